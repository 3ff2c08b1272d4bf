// A loaded StyleGAN2 generator for interactive use: seeds → w+ latents (mapping, truncation) and w+ → images
// (synthesis), kept apart so that mixing and editing re-run only the synthesis from cached latents.
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../api/errors.js';
import { signedToRgb } from '../../models/common/image-tensor.js';
import { loadModel } from '../model-files/model-folder.js';
import { seedLatent } from '../../models/common/numpy-random-state.js';
import type { NoiseMode } from '../../models/common/noise-injection.js';
import { namedVariables } from '../../models/common/param-tree.js';
import type { FamilyEngine } from '../../models/common/family-engine.js';
import type { StyleGAN2Config } from '../../models/stylegan/config.js';
import { mixStyles, type LayerMixWeights } from '../../models/stylegan/mixing.js';
import { mapping, numWs, synthesis, type GeneratorWeights } from '../../models/stylegan/networks.js';
import { noiseMapsOf, withNoiseMaps } from '../../models/stylegan/projector.js';
import { compileGenerator, type CompiledGenerator } from './onnx/compiled-generator.js';

export interface TruncationOptions {
  psi: number; // ψ: 1 leaves w alone, 0 gives the average w̄; 0.5–0.8 trades variety for typical, cleaner images
  cutoff?: number | undefined; // truncate only ws indices below this (coarse styles); unset: all
}

/** One source of a mix: a seed's ws, or a stored latent (w broadcast to every layer, or a whole w+). */
export type MixSource = { seed: number; truncation: TruncationOptions } | { ws: Float32Array; noise?: Float32Array | undefined };

export interface StyleGeneratorModel {
  readonly resolution: number;
  readonly numWs: number;
  readonly wDim: number;
  /** z = numpy RandomState(seed).randn(zDim) for each seed → ws, `seeds.length × numWs × wDim` row-major. */
  mapSeeds(seeds: readonly number[], truncation: TruncationOptions): Float32Array;
  /**
   * ws (`count × numWs × wDim`) → `count` images, each `resolution² × 3` uint8 RGB. `noiseMaps` (an inversion's, all
   * layers concatenated) replace the model's constant noise.
   */
  synthesize(ws: Float32Array, count: number, noiseMode: NoiseMode, noiseMaps?: Float32Array): Uint8Array[];
  /** Sources' ws blended per layer (models/stylegan/mixing.ts) → one `numWs × wDim` latent. */
  mix(sources: readonly MixSource[], weights: LayerMixWeights): Float32Array;
  dispose(): void;
}

const inference = { training: false };

/** Batches whose synthesis is compiled to one ONNX Runtime session (one image for mixing, a page of seeds). */
const COMPILED_BATCHES = new Set([1, 16]);

/** The z of each seed as numpy's legacy RandomState(seed).randn draws it: `seeds.length × zDim` row-major. */
export function seedLatents(seeds: readonly number[], zDim: number): Float32Array {
  for (const seed of seeds) if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new StudioError('INVALID_PARAMS', `A seed is a whole number from 0 to 4294967295, not ${seed}.`);
  const z = new Float32Array(seeds.length * zDim);
  seeds.forEach((seed, i) => z.set(seedLatent(seed, zDim), i * zDim));
  return z;
}

/** StyleGeneratorModel.mix for a model of `layers` × `wDim` ws whose seeds `mapSeeds` maps. */
export function latentMixer(layers: number, wDim: number, mapSeeds: StyleGeneratorModel['mapSeeds']): StyleGeneratorModel['mix'] {
  const wsOf = (source: MixSource): Float32Array => {
    if ('seed' in source) return mapSeeds([source.seed], source.truncation);
    if (source.ws.length === layers * wDim) return source.ws;
    if (source.ws.length === wDim) return Float32Array.from({ length: layers * wDim }, (_, i) => source.ws[i % wDim]!);
    throw new StudioError('MODEL_INCOMPATIBLE', `This latent has ${source.ws.length} numbers; a latent of this model has ${wDim} (w) or ${layers} × ${wDim} (w+).`);
  };
  return (sources, weights) => {
    const latents = sources.map(wsOf);
    return tf.tidy(() => {
      try {
        return mixStyles(latents.map((ws) => tf.tensor2d(ws, [layers, wDim])), weights).dataSync() as Float32Array;
      } catch (err) {
        throw err instanceof RangeError ? new StudioError('INVALID_PARAMS', err.message) : err;
      }
    });
  };
}

export async function loadStyleGenerator(folder: string): Promise<StyleGeneratorModel> {
  const loaded = await loadModel(folder, { family: 'stylegan2' });
  const config = loaded.meta.config as StyleGAN2Config;
  const generator = loaded.parts['generator'] as GeneratorWeights;
  const layers = numWs(config.resolution);
  const size = config.resolution * config.resolution * 3;
  // Compiled per (batch, noise mode) on first use: a slider drag is then one native call (~5× the tfjs forward here).
  // Random noise is drawn per call, so it stays in tfjs; so do backends other than the CPU, which run tfjs on a device.
  const compiled = new Map<string, CompiledGenerator>();
  const synthesisOf = (count: number, noiseMode: NoiseMode): ((ws: tf.Tensor3D) => tf.Tensor) => {
    const forward = (ws: tf.Tensor): tf.Tensor => synthesis(generator.synthesis, ws as tf.Tensor3D, inference, { noiseMode });
    if (noiseMode === 'random' || tf.getBackend() !== 'cpu' || !COMPILED_BATCHES.has(count)) return forward;
    const key = `${count}:${noiseMode}`;
    let session = compiled.get(key);
    if (session === undefined) {
      session = compileGenerator(forward, [count, layers, config.wDim], { weights: namedVariables(generator.synthesis) });
      compiled.set(key, session);
    }
    return (ws) => session.run(ws);
  };
  // Synthesis with a latent's own noise maps (an inverted picture's). Compiled too, once per set of maps (a picture
  // opened in Mix is edited for many frames); the few most recent sets are kept.
  const ownMaps = noiseMapsOf(generator.synthesis);
  const ownNoiseSessions = new Map<string, CompiledGenerator>();
  const withOwnNoise = (noiseMaps: Float32Array, count: number): ((ws: tf.Tensor3D) => tf.Tensor) => {
    const total = ownMaps.reduce((n, m) => n + m.size, 0);
    if (noiseMaps.length !== total) throw new StudioError('MODEL_INCOMPATIBLE', `These noise maps have ${noiseMaps.length} values; this model's have ${total}.`);
    const forward = (ws: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        let offset = 0;
        const maps = ownMaps.map((m) => tf.tensor(noiseMaps.subarray(offset, (offset += m.size)), m.shape));
        return synthesis(withNoiseMaps(generator.synthesis, maps), ws as tf.Tensor3D, inference, { noiseMode: 'const' });
      });
    if (tf.getBackend() !== 'cpu' || count !== 1) return forward;
    const key = createHash('sha1').update(new Uint8Array(noiseMaps.buffer, noiseMaps.byteOffset, noiseMaps.byteLength)).digest('hex');
    let session = ownNoiseSessions.get(key);
    ownNoiseSessions.delete(key);
    session ??= compileGenerator(forward, [1, layers, config.wDim], { weights: namedVariables(generator.synthesis) });
    ownNoiseSessions.set(key, session);
    for (const [oldKey, old] of ownNoiseSessions) {
      if (ownNoiseSessions.size <= 2) break;
      old.dispose();
      ownNoiseSessions.delete(oldKey);
    }
    return (ws) => session.run(ws);
  };
  const mapSeeds = (seeds: readonly number[], { psi, cutoff }: TruncationOptions): Float32Array =>
    tf.tidy(() => {
      const z = tf.tensor2d(seedLatents(seeds, config.zDim), [seeds.length, config.zDim]);
      return mapping(generator.mapping, z, inference, { truncationPsi: psi, ...(cutoff === undefined ? {} : { truncationCutoff: cutoff }) }).dataSync() as Float32Array;
    });
  return {
    resolution: config.resolution,
    numWs: layers,
    wDim: config.wDim,
    mapSeeds,
    synthesize(ws, count, noiseMode, noiseMaps) {
      if (ws.length !== count * layers * config.wDim) throw new StudioError('INVALID_PARAMS', `A latent of this model is ${layers} × ${config.wDim} numbers.`);
      const run = noiseMaps === undefined ? synthesisOf(count, noiseMode) : withOwnNoise(noiseMaps, count);
      const pixels = tf.tidy(() => signedToRgb(run(tf.tensor3d(ws, [count, layers, config.wDim])).dataSync()));
      return Array.from({ length: count }, (_, i) => pixels.slice(i * size, (i + 1) * size));
    },
    mix: latentMixer(layers, config.wDim, mapSeeds),
    dispose() {
      for (const session of [...compiled.values(), ...ownNoiseSessions.values()]) session.dispose();
      loaded.dispose();
    },
  };
}

/** A model that draws images of seeds: StyleGAN2 (through w, with truncation) or a family's seed drawer (z straight to the image). */
export interface SeedImageModel {
  readonly resolution: number;
  draw(seeds: readonly number[], truncation: TruncationOptions, noiseMode: NoiseMode): Uint8Array[];
  dispose(): void;
}

export function styleSeedImages(model: StyleGeneratorModel): SeedImageModel {
  return {
    resolution: model.resolution,
    draw: (seeds, truncation, noiseMode) => model.synthesize(model.mapSeeds(seeds, truncation), seeds.length, noiseMode),
    dispose: () => undefined, // the generator belongs to the engine's model cache, which disposes it
  };
}

/**
 * A model of a family that draws seeds without a w space (its engine's `seedDrawer`, e.g. PGGAN): z straight to the
 * image, so truncation and noise settings do not apply (ψ must be 1).
 */
export async function loadSeedDrawerImages(folder: string, family: FamilyEngine): Promise<SeedImageModel> {
  const loaded = await loadModel(folder, { family: family.name });
  const drawer = family.seedDrawer?.(loaded.parts, loaded.meta.config);
  if (drawer === undefined) throw new StudioError('MODEL_INCOMPATIBLE', `A ${family.view.label} model does not draw images from seeds.`);
  const size = drawer.resolution * drawer.resolution * 3;
  return {
    resolution: drawer.resolution,
    draw(seeds, truncation) {
      if (truncation.psi !== 1) throw new StudioError('INVALID_PARAMS', `A ${family.view.label} model has no w space to truncate in: use ψ 1.`);
      const pixels = tf.tidy(() => {
        const z = tf.tensor2d(seedLatents(seeds, drawer.latentSize), [seeds.length, drawer.latentSize]);
        return signedToRgb(drawer.draw(z).dataSync());
      });
      return seeds.map((_, i) => pixels.slice(i * size, (i + 1) * size));
    },
    dispose: () => loaded.dispose(),
  };
}

// A loaded StyleGAN2 generator for interactive use: seeds → w+ latents (mapping, truncation) and w+ → images
// (synthesis), kept apart so that mixing and editing re-run only the synthesis from cached latents.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../api/errors.js';
import { signedToRgb } from '../data/image-tensor.js';
import { loadModel } from '../models/model-folder.js';
import { seedLatent } from '../../models/common/numpy-random-state.js';
import type { NoiseMode } from '../../models/common/noise-injection.js';
import type { StyleGAN2Config } from '../../models/stylegan/config.js';
import { mapping, numWs, synthesis, type GeneratorWeights } from '../../models/stylegan/networks.js';

export interface TruncationOptions {
  psi: number; // ψ: 1 leaves w alone, 0 gives the average w̄; 0.5–0.8 trades variety for typical, cleaner images
  cutoff?: number | undefined; // truncate only ws indices below this (coarse styles); unset: all
}

export interface StyleGeneratorModel {
  readonly resolution: number;
  readonly numWs: number;
  readonly wDim: number;
  /** z = numpy RandomState(seed).randn(zDim) for each seed → ws, `seeds.length × numWs × wDim` row-major. */
  mapSeeds(seeds: readonly number[], truncation: TruncationOptions): Float32Array;
  /** ws (`count × numWs × wDim`) → `count` images, each `resolution² × 3` uint8 RGB. */
  synthesize(ws: Float32Array, count: number, noiseMode: NoiseMode): Uint8Array[];
  dispose(): void;
}

const inference = { training: false };

export async function loadStyleGenerator(folder: string): Promise<StyleGeneratorModel> {
  const loaded = await loadModel(folder, { family: 'stylegan2' });
  const config = loaded.meta.config as StyleGAN2Config;
  const generator = loaded.parts['generator'] as GeneratorWeights;
  const layers = numWs(config.resolution);
  const size = config.resolution * config.resolution * 3;
  return {
    resolution: config.resolution,
    numWs: layers,
    wDim: config.wDim,
    mapSeeds(seeds, { psi, cutoff }) {
      for (const seed of seeds) if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new StudioError('INVALID_PARAMS', `A seed is a whole number from 0 to 4294967295, not ${seed}.`);
      return tf.tidy(() => {
        const z = tf.tensor2d(seeds.flatMap((seed) => [...seedLatent(seed, config.zDim)]), [seeds.length, config.zDim]);
        return mapping(generator.mapping, z, inference, { truncationPsi: psi, ...(cutoff === undefined ? {} : { truncationCutoff: cutoff }) }).dataSync() as Float32Array;
      });
    },
    synthesize(ws, count, noiseMode) {
      if (ws.length !== count * layers * config.wDim) throw new StudioError('INVALID_PARAMS', `A latent of this model is ${layers} × ${config.wDim} numbers.`);
      const pixels = tf.tidy(() => signedToRgb(synthesis(generator.synthesis, tf.tensor3d(ws, [count, layers, config.wDim]), inference, { noiseMode }).dataSync()));
      return Array.from({ length: count }, (_, i) => pixels.slice(i * size, (i + 1) * size));
    },
    dispose: () => loaded.dispose(),
  };
}

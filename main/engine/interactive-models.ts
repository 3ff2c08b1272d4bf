// The engine's loaded interactive models (sketch preview, transfer, later mixing): loading and compiling a model takes
// seconds, so it happens once and every preview after that is one inference. Lives for the engine process.
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../api/errors.js';
import { planarToRgb, rgbToPlanar, rgbToSigned, signedToRgb } from '../../models/common/image-tensor.js';
import { loadModel, readModelJson, type LoadedModel } from '../model-files/model-folder.js';
import { namedVariables, type ParamTree } from '../../models/common/param-tree.js';
import type { CycleganConfig } from '../../models/cyclegan/config.js';
import { cycleganInferenceMode, resnetGenerator, type ResnetGeneratorWeights } from '../../models/cyclegan/networks.js';
import type { TranslationDirection } from '../../models/cyclegan/train.js';
import type { Pix2pixConfig } from '../../models/pix2pix/config.js';
import { pix2pixInferenceMode, unetGenerator, type UnetGeneratorWeights } from '../../models/pix2pix/networks.js';
import { compileGenerator, type CompiledGenerator } from './onnx/compiled-generator.js';
import { ONNX_MANIFEST_FILE, ONNX_MODEL_FILE, OnnxImportManifest } from './onnx/onnx-import.js';
import { loadOnnxStyleGenerator } from './onnx/onnx-style-generator.js';
import { OrtSyncSession } from './ort-kernels/ort-sync-session.js';
import { familyEngines } from '../../models/family-engines.js';
import { loadSeedDrawerImages, loadStyleGenerator, styleSeedImages, type SeedImageModel, type StyleGeneratorModel } from './style-generator.js';

/** An image-to-image model ready to run: square RGB pixels of `size` in, the same out. */
export interface ImageToImageModel {
  readonly family: string;
  readonly size: number; // square side in pixels
  /** rgb: `size × size × 3` uint8 HWC → the model's output, same layout. Deterministic (dropout off). */
  run(rgb: Uint8Array): Uint8Array;
  dispose(): void;
}

interface Entry {
  version: string; // reload when the folder's weights change (a retrained model saved over the old one, a new import)
  model: Promise<{ dispose(): void }>; // shared by requests that arrive while it loads
}

type ImageToImageForward = { forward: (x: tf.Tensor4D) => tf.Tensor4D; generator: ParamTree; size: number };

/** Which model in a folder to run: its family, if the caller can run only one, and the direction of translation. */
export interface ImageToImageRequest {
  family?: string; // refuse any other family with a clear message
  direction?: TranslationDirection; // default 'AtoB', the only direction of a pix2pix model or an imported generator
}

const oneWayOnly = (what: string): StudioError => new StudioError('MODEL_INCOMPATIBLE', `${what} translates one way only (A → B); B → A needs a CycleGAN model.`);

/** Families whose generator maps an image to an image, with how to build its inference forward from a loaded model. */
const imageToImageFamilies: Record<string, (parts: Record<string, ParamTree>, config: unknown, direction: TranslationDirection) => ImageToImageForward> = {
  pix2pix: (parts, config, direction) => {
    if (direction !== 'AtoB') throw oneWayOnly('A pix2pix model');
    const generator = parts.generator as UnetGeneratorWeights;
    return { forward: (x) => unetGenerator(generator, x, pix2pixInferenceMode), generator, size: (config as Pix2pixConfig).imageSize };
  },
  // Both generators are saved (models/cyclegan/family.ts): G_A under generatorAB, G_B under generatorBA. Instance norm over the
  // one test image, as the reference's test.py runs it (cycleganInferenceMode).
  cyclegan: (parts, config, direction) => {
    const generator = (direction === 'AtoB' ? parts.generatorAB : parts.generatorBA) as ResnetGeneratorWeights;
    return { forward: (x) => resnetGenerator(generator, x, cycleganInferenceMode), generator, size: (config as CycleganConfig).imageSize };
  },
};

/** The inference forward of a loaded image-to-image model in `direction`: [1, size, size, 3] in [-1, 1] → the same. */
export function imageToImageForward(loaded: LoadedModel, direction: TranslationDirection = 'AtoB'): ImageToImageForward {
  const build = imageToImageFamilies[loaded.meta.family];
  if (build === undefined) throw new StudioError('MODEL_INCOMPATIBLE', `This is a ${loaded.meta.family} model; it does not turn one image into another.`);
  return build(loaded.parts, loaded.meta.config, direction);
}

export class InteractiveModels {
  readonly #entries = new Map<string, Entry>(); // by folder, least recently used first
  readonly #capacity: number;

  constructor(capacity = 3) {
    this.#capacity = capacity;
  }

  /**
   * The image-to-image model in `folder` — the studio's own format, or an imported ONNX generator — loaded (and
   * compiled) on first use, one entry per direction; refuses other families by name.
   */
  async imageToImage(folder: string, request: ImageToImageRequest = {}): Promise<ImageToImageModel> {
    const { family: expectedFamily, direction = 'AtoB' } = request;
    const onnx = await importedOnnxVersion(folder);
    let version: string;
    let load: () => Promise<ImageToImageModel>;
    if (onnx !== null) {
      // An exported generator is one network, and models.exportOnnx writes a CycleGAN's G_A: it is taken as A → B.
      if (direction !== 'AtoB') throw oneWayOnly('An imported ONNX generator');
      version = onnx;
      load = () => loadOnnxImageToImage(folder, expectedFamily);
    } else {
      const meta = await readModelJson(folder, expectedFamily);
      if (imageToImageFamilies[meta.family] === undefined) {
        throw new StudioError('MODEL_INCOMPATIBLE', `This is a ${meta.family} model; it does not turn one image into another.`);
      }
      version = meta.weights.sha256;
      load = () => loadImageToImage(folder, meta.family, direction);
    }
    return this.#cached(`image-to-image:${direction}:${folder}`, version, load);
  }

  /** The StyleGAN2 generator in `folder`, loaded on first use (mapping and synthesis kept apart for mixing). */
  async styleGenerator(folder: string): Promise<StyleGeneratorModel> {
    const onnx = await importedOnnxVersion(folder);
    if (onnx !== null) return this.#cached(`style:${folder}`, onnx, () => loadOnnxStyleGenerator(folder));
    const meta = await readModelJson(folder, 'stylegan2');
    return this.#cached(`style:${folder}`, meta.weights.sha256, () => loadStyleGenerator(folder));
  }

  /** A model that draws seeds: a StyleGAN2 (shared with mixing; the studio's or an imported ONNX pair) or a family's seed drawer (PGGAN). */
  async seedImages(folder: string): Promise<SeedImageModel> {
    if ((await importedOnnxVersion(folder)) !== null) return styleSeedImages(await this.styleGenerator(folder));
    const meta = await readModelJson(folder);
    if (meta.family === 'stylegan2') return styleSeedImages(await this.styleGenerator(folder));
    const family = familyEngines.find((f) => f.name === meta.family);
    if (family?.seedDrawer !== undefined) return this.#cached(`seeds:${folder}`, meta.weights.sha256, () => loadSeedDrawerImages(folder, family));
    throw new StudioError('MODEL_INCOMPATIBLE', `This is a ${meta.family} model; it does not draw images from seeds.`);
  }

  /** The model cached under `key` at `version`, or `load()`ed (and cached, least recently used evicted). */
  #cached<T extends { dispose(): void }>(key: string, version: string, load: () => Promise<T>): Promise<T> {
    const cached = this.#entries.get(key);
    this.#entries.delete(key);
    if (cached !== undefined && cached.version === version) {
      this.#entries.set(key, cached);
      return cached.model as Promise<T>;
    }
    if (cached !== undefined) void cached.model.then((m) => m.dispose(), () => undefined);
    const model = load();
    this.#entries.set(key, { version, model });
    // A model that failed to load is not kept: the next request tries again (and reports the error again).
    model.catch(() => {
      if (this.#entries.get(key)?.model === model) this.#entries.delete(key);
    });
    this.#evict();
    return model;
  }

  #evict(): void {
    for (const [folder, entry] of this.#entries) {
      if (this.#entries.size <= this.#capacity) break;
      void entry.model.then((m) => m.dispose(), () => undefined);
      this.#entries.delete(folder);
    }
  }

  dispose(): void {
    for (const entry of this.#entries.values()) void entry.model.then((m) => m.dispose(), () => undefined);
    this.#entries.clear();
  }
}

async function loadImageToImage(folder: string, family: string, direction: TranslationDirection): Promise<ImageToImageModel> {
  const loaded = await loadModel(folder, { family });
  let compiled: CompiledGenerator | undefined;
  try {
    const { forward, generator, size } = imageToImageForward(loaded, direction);
    const weights = namedVariables(generator);
    let infer: (x: tf.Tensor4D) => tf.Tensor = forward;
    if (onCpu()) {
      const session = compileGenerator((x) => forward(x as tf.Tensor4D), [1, size, size, 3], { weights });
      compiled = session;
      infer = (x) => session.run(x);
    }
    return {
      family,
      size,
      run(rgb) {
        if (rgb.length !== size * size * 3) throw new StudioError('INVALID_PARAMS', `The model takes ${size}×${size} RGB pixels.`);
        return tf.tidy(() => {
          const x = tf.tensor4d(rgbToSigned(rgb), [1, size, size, 3]);
          return signedToRgb(infer(x).dataSync());
        });
      },
      dispose() {
        compiled?.dispose();
        loaded.dispose();
      },
    };
  } catch (err) {
    compiled?.dispose();
    loaded.dispose();
    throw err;
  }
}

/** An imported ONNX generator, run as its manifest says (planar NCHW, values mapped onto its input range). */
async function loadOnnxImageToImage(folder: string, expectedFamily: string | undefined): Promise<ImageToImageModel> {
  const manifest = OnnxImportManifest.parse(JSON.parse(await readFile(path.join(folder, ONNX_MANIFEST_FILE), 'utf8')));
  if (expectedFamily !== undefined && manifest.family !== expectedFamily) {
    throw new StudioError('MODEL_INCOMPATIBLE', `This is a ${manifest.family} model, not ${expectedFamily}.`);
  }
  if (manifest.family === 'stylegan2') throw new StudioError('MODEL_INCOMPATIBLE', 'This is a stylegan2 model; it does not turn one image into another.');
  const session = new OrtSyncSession(await readFile(path.join(folder, ONNX_MODEL_FILE)), { intraOpThreads: availableParallelism() });
  const [input] = manifest.inputs;
  const [output] = manifest.outputs;
  const size = manifest.resolution;
  return {
    family: manifest.family,
    size,
    run(rgb) {
      if (rgb.length !== size * size * 3) throw new StudioError('INVALID_PARAMS', `The model takes ${size}×${size} RGB pixels.`);
      const result = session.run({ [input.name]: { values: rgbToPlanar(rgb, size, input.range), shape: [1, 3, size, size] } })[output.name];
      if (result === undefined || !(result.values instanceof Float32Array)) throw new StudioError('ENGINE_ERROR', `The model gave no float output '${output.name}'.`);
      return planarToRgb(result.values, size, output.range);
    },
    dispose: () => session.dispose(),
  };
}

/** A version of an imported ONNX model folder (its generator file's size and time), or null for a studio model. */
async function importedOnnxVersion(folder: string): Promise<string | null> {
  const onnxStat = await stat(path.join(folder, ONNX_MODEL_FILE)).catch(() => null);
  return onnxStat === null ? null : `onnx:${onnxStat.size}:${onnxStat.mtimeMs}`;
}

/** Compiled ORT sessions beat tfjs kernels on the cpu backend; a GPU backend runs the tfjs forward itself. */
const onCpu = (): boolean => tf.getBackend() === 'cpu';

// An imported StyleGAN2 (a synthesis + mapping ONNX pair, main/engine/onnx/onnx-import.ts) as a StyleGeneratorModel:
// seeds map through the mapping file, ws draw through the synthesis file, both in ONNX Runtime, so the Generate and
// Mix views use it as they use a studio model. What needs the network's weights in tfjs (inversion, training, noise
// other than the constant maps baked into the export) is refused by name.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../api/errors.js';
import { planarToRgb } from '../../../models/common/image-tensor.js';
import type { NoiseMode } from '../../../models/common/noise-injection.js';
import { truncate } from '../../../models/stylegan/networks.js';
import { OrtSyncSession, type DenseTensor } from '../ort-kernels/ort-sync-session.js';
import { latentMixer, seedLatents, type StyleGeneratorModel, type TruncationOptions } from '../style-generator.js';
import { ONNX_MANIFEST_FILE, ONNX_MAPPING_FILE, ONNX_MODEL_FILE, OnnxImportManifest } from './onnx-import.js';

function floatOutput(result: Record<string, DenseTensor>, name: string): Float32Array {
  const out = result[name];
  if (out === undefined || !(out.values instanceof Float32Array)) throw new StudioError('ENGINE_ERROR', `The imported model gave no float output '${name}'.`);
  return out.values;
}

export async function loadOnnxStyleGenerator(folder: string): Promise<StyleGeneratorModel> {
  const manifest = OnnxImportManifest.parse(JSON.parse(await readFile(path.join(folder, ONNX_MANIFEST_FILE), 'utf8')));
  if (manifest.family !== 'stylegan2' || manifest.wAvg === undefined) throw new StudioError('MODEL_INCOMPATIBLE', `This imported model is a ${manifest.family} generator, not a StyleGAN2.`);
  const threads = availableParallelism();
  const synthesisSession = new OrtSyncSession(await readFile(path.join(folder, ONNX_MODEL_FILE)), { intraOpThreads: threads });
  let mappingSession: OrtSyncSession;
  try {
    mappingSession = new OrtSyncSession(await readFile(path.join(folder, ONNX_MAPPING_FILE)), { intraOpThreads: threads });
  } catch (err) {
    synthesisSession.dispose();
    throw err;
  }
  const [wsSpec] = manifest.inputs;
  const [imageSpec] = manifest.outputs;
  const [zSpec] = manifest.mapping.inputs;
  const [mappedSpec] = manifest.mapping.outputs;
  const [, layers, wDim] = wsSpec.shape;
  const zDim = zSpec.shape[1];
  const resolution = manifest.resolution;
  const wAvg = Float32Array.from(manifest.wAvg);
  const latentSize = layers * wDim;

  // The files may fix their batch at 1 (PyTorch's default export), so images go through one at a time.
  const mapSeeds = (seeds: readonly number[], { psi, cutoff }: TruncationOptions): Float32Array => {
    const z = seedLatents(seeds, zDim);
    const ws = new Float32Array(seeds.length * latentSize);
    seeds.forEach((_, i) => {
      const result = mappingSession.run({ [zSpec.name]: { values: z.subarray(i * zDim, (i + 1) * zDim), shape: [1, zDim] } });
      ws.set(floatOutput(result, mappedSpec.name), i * latentSize);
    });
    if (psi === 1) return ws;
    return tf.tidy(() => truncate(tf.tensor3d(ws, [seeds.length, layers, wDim]), tf.tensor1d(wAvg), psi, cutoff).dataSync() as Float32Array);
  };

  return {
    resolution,
    numWs: layers,
    wDim,
    mapSeeds,
    synthesize(ws: Float32Array, count: number, noiseMode: NoiseMode, noiseMaps?: Float32Array): Uint8Array[] {
      if (ws.length !== count * latentSize) throw new StudioError('INVALID_PARAMS', `A latent of this model is ${layers} × ${wDim} numbers.`);
      if (noiseMode !== 'const' || noiseMaps !== undefined) {
        throw new StudioError('INVALID_PARAMS', 'An imported StyleGAN2 draws with the noise fixed in its ONNX file: choose the constant noise mode.');
      }
      return Array.from({ length: count }, (_, i) => {
        const result = synthesisSession.run({ [wsSpec.name]: { values: ws.subarray(i * latentSize, (i + 1) * latentSize), shape: [1, layers, wDim] } });
        return planarToRgb(floatOutput(result, imageSpec.name), resolution, imageSpec.range);
      });
    },
    mix: latentMixer(layers, wDim, mapSeeds),
    dispose() {
      synthesisSession.dispose();
      mappingSession.dispose();
    },
  };
}

// Engine task: exports a model's generator to ONNX files other tools can run (NCHW, as PyTorch exports), with a
// manifest of inputs, outputs and value ranges, and checks each file in ONNX Runtime against the studio's own forward.
// An image-to-image model is one file; a StyleGAN2 is the pair stylegan2-ada-pytorch's G splits into, the synthesis
// (ws → image, so other tools can mix styles) and the mapping (z → ws) beside it, as the studio imports them.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { StudioError } from '../../api/errors.js';
import { writeFileAtomic } from '../../library/atomic-write.js';
import { exportOnnx, type OnnxExportOptions } from '../onnx/export-onnx.js';
import { OrtSyncSession } from '../ort-kernels/ort-sync-session.js';
import { imageToImageForward } from '../interactive-models.js';
import { loadModel, type LoadedModel } from '../../models/model-folder.js';
import { namedVariables } from '../../../models/common/param-tree.js';
import type { StyleGAN2Config } from '../../../models/stylegan/config.js';
import { mapping, numWs, synthesis, type GeneratorWeights } from '../../../models/stylegan/networks.js';

export const ExportOnnxParams = z.object({
  modelFolder: z.string(),
  onnxPath: z.string(),
  name: z.string(),
});

interface ManifestTensor {
  name: string;
  shape: number[];
  layout?: 'NCHW';
  range?: [number, number];
  meaning: string;
}

/** What a tool needs to run the file: the manifest written beside it (`<name>.onnx.json`). */
export interface OnnxManifest {
  format: 'gan-studio.onnx-manifest';
  version: 1;
  family: string;
  name: string;
  inputs: ManifestTensor[];
  outputs: ManifestTensor[];
  resolution: number;
  /** A StyleGAN2's mapping network (z → ws), in the file named here beside the synthesis file. */
  mapping?: { file: string; inputs: ManifestTensor[]; outputs: ManifestTensor[] };
  /** A StyleGAN2's w̄ (the centre of the truncation trick), so an import truncates as the studio does. */
  wAvg?: number[];
}

export interface OnnxExportResult {
  bytes: number; // of every file written
  manifestPath: string;
  maxAbsDiff: number; // the largest |ONNX Runtime − studio| over the exported files, on random inputs
}

const inputImage = (size: number): ManifestTensor => ({ name: 'input', shape: [1, 3, size, size], layout: 'NCHW', range: [-1, 1], meaning: 'RGB image, (pixel / 127.5) − 1' });
const outputImage = (name: string, size: number): ManifestTensor => ({ name, shape: [1, 3, size, size], layout: 'NCHW', range: [-1, 1], meaning: 'RGB image, (value + 1) · 127.5 → pixel' });

interface CheckedGraph {
  model: Uint8Array;
  maxAbsDiff: number;
}

/**
 * Exports `forward` traced on `input` and runs the file as any tool will (a fresh session on the bytes, fed NCHW
 * images): the largest difference from the studio's own output on that input.
 */
function exportChecked(forward: (x: tf.Tensor) => tf.Tensor, input: tf.Tensor, options: OnnxExportOptions & { inputName: string; outputName: string }): CheckedGraph {
  const { model, output } = exportOnnx(forward, input, options);
  const session = new OrtSyncSession(model, { intraOpThreads: 1 });
  try {
    const maxAbsDiff = tf.tidy(() => {
      const nchw = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);
      const fed = nchw(input);
      const result = session.run({ [options.inputName]: { values: fed.dataSync() as Float32Array, shape: fed.shape } })[options.outputName]!;
      return tf.max(tf.abs(tf.sub(tf.tensor(result.values as Float32Array, [...result.shape]), nchw(output)))).dataSync()[0]!;
    });
    return { model, maxAbsDiff };
  } finally {
    session.dispose();
    output.dispose();
  }
}

const inference = { training: false };

function exportImageToImage(loaded: LoadedModel, name: string): { files: Array<[string, Uint8Array]>; manifest: OnnxManifest; maxAbsDiff: number } {
  const { forward, size, generator } = imageToImageForward(loaded);
  const family = loaded.meta.family;
  const metadata = { family, name, resolution: String(size), value_range: '[-1, 1]', layout: 'NCHW' };
  const input = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 11);
  try {
    const { model, maxAbsDiff } = exportChecked((x) => forward(x as tf.Tensor4D), input, { layout: 'nchw', inputName: 'input', outputName: 'output', weights: namedVariables(generator), metadata });
    const manifest: OnnxManifest = { format: 'gan-studio.onnx-manifest', version: 1, family, name, inputs: [inputImage(size)], outputs: [outputImage('output', size)], resolution: size };
    return { files: [['', model]], manifest, maxAbsDiff };
  } finally {
    input.dispose();
  }
}

/** The StyleGAN2 pair: the synthesis with its constant noise maps baked in (noise_mode 'const'), the mapping at ψ 1. */
function exportStyleGAN2(loaded: LoadedModel, name: string, mappingFile: string): { files: Array<[string, Uint8Array]>; manifest: OnnxManifest; maxAbsDiff: number } {
  const config = loaded.meta.config as StyleGAN2Config;
  const generator = loaded.parts['generator'] as GeneratorWeights;
  const size = config.resolution;
  const layers = numWs(size);
  const metadata = (part: string): Record<string, string> => ({ family: 'stylegan2', part, name, resolution: String(size), num_ws: String(layers), w_dim: String(config.wDim), z_dim: String(config.zDim) });
  const z = tf.randomNormal([1, config.zDim], 0, 1, 'float32', 11);
  const ws = tf.tidy(() => mapping(generator.mapping, z as tf.Tensor2D, inference));
  try {
    const mapped = exportChecked((x) => mapping(generator.mapping, x as tf.Tensor2D, inference), z, {
      layout: 'nchw',
      inputName: 'z',
      outputName: 'ws',
      weights: namedVariables(generator.mapping),
      metadata: metadata('mapping'),
    });
    const drawn = exportChecked((x) => synthesis(generator.synthesis, x as tf.Tensor3D, inference, { noiseMode: 'const' }), ws, {
      layout: 'nchw',
      inputName: 'ws',
      outputName: 'image',
      weights: namedVariables(generator.synthesis),
      metadata: metadata('synthesis'),
    });
    const wsTensor: ManifestTensor = { name: 'ws', shape: [1, layers, config.wDim], meaning: 'w per synthesis layer (ws index 0 = coarsest)' };
    const manifest: OnnxManifest = {
      format: 'gan-studio.onnx-manifest',
      version: 1,
      family: 'stylegan2',
      name,
      inputs: [wsTensor],
      outputs: [outputImage('image', size)],
      resolution: size,
      mapping: { file: mappingFile, inputs: [{ name: 'z', shape: [1, config.zDim], meaning: 'z ~ N(0, I); seed s is numpy RandomState(s).randn(1, z_dim)' }], outputs: [wsTensor] },
      wAvg: Array.from(generator.mapping.wAvg.dataSync()),
    };
    return { files: [['', drawn.model], [mappingFile, mapped.model]], manifest, maxAbsDiff: Math.max(mapped.maxAbsDiff, drawn.maxAbsDiff) };
  } finally {
    tf.dispose([z, ws]);
  }
}

export async function exportOnnxTask(raw: unknown): Promise<OnnxExportResult> {
  const params = ExportOnnxParams.parse(raw);
  const loaded = await loadModel(params.modelFolder);
  try {
    const mappingFile = `${path.basename(params.onnxPath, '.onnx')}.mapping.onnx`;
    const { files, manifest, maxAbsDiff } = loaded.meta.family === 'stylegan2' ? exportStyleGAN2(loaded, params.name, mappingFile) : exportImageToImage(loaded, params.name);
    await mkdir(path.dirname(params.onnxPath), { recursive: true });
    // '' is the main file (onnxPath itself); others sit beside it under their own names.
    for (const [file, bytes] of files) await writeFileAtomic(file === '' ? params.onnxPath : path.join(path.dirname(params.onnxPath), file), bytes);
    const manifestPath = `${params.onnxPath}.json`;
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    return { bytes: files.reduce((n, [, bytes]) => n + bytes.byteLength, 0), manifestPath, maxAbsDiff };
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('ENGINE_ERROR', `Could not export ${params.name} to ONNX: ${(err as Error).message}`);
  } finally {
    loaded.dispose();
  }
}

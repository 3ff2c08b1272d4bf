// Engine task: exports a model's generator to ONNX files other tools can run (NCHW, as PyTorch exports), with a
// manifest of inputs, outputs and value ranges, and checks each file in ONNX Runtime against the studio's own forward.
// A StyleGAN2 is two files (exported-networks.ts): `NAME.onnx` the synthesis, `NAME.mapping.onnx` beside it.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../api/errors.js';
import { writeFileAtomic } from '../../library/atomic-write.js';
import { claimNewFile } from '../../library/new-file.js';
import { exportOnnx } from '../onnx/export-onnx.js';
import { OrtSyncSession } from '../ort-kernels/ort-sync-session.js';
import { loadModel } from '../../model-files/model-folder.js';
import { exportPlan, type ExportedNetwork, type ExportPlan } from './exported-networks.js';
import type { EngineParams, ModelExportResult } from '../engine-api.js';
import { mkdirInLiveProject } from '../../library/project-paths.js';

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

const image = (name: string, size: number, meaning: string): ManifestTensor => ({ name, shape: [1, 3, size, size], layout: 'NCHW', range: [-1, 1], meaning });
const IMAGE_IN = 'RGB image, (pixel / 127.5) − 1';
const IMAGE_OUT = 'RGB image, (value + 1) · 127.5 → pixel';

/** The tensor's values in NCHW when it is an image, as ONNX tools feed and read them. */
const nchw = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);

/** Exports one network and runs the file as any tool will (a fresh session on the bytes): its bytes and largest |Δ|. */
function exportChecked(network: ExportedNetwork): { model: Uint8Array; maxAbsDiff: number } {
  const { model, output } = exportOnnx(network.forward, network.example, { layout: 'nchw', inputName: network.inputName, outputName: network.outputName, weights: network.weights, metadata: network.metadata });
  const session = new OrtSyncSession(model, { intraOpThreads: 1 });
  try {
    const maxAbsDiff = tf.tidy(() => {
      const fed = nchw(network.example);
      const result = session.run({ [network.inputName]: { values: fed.dataSync() as Float32Array, shape: fed.shape } })[network.outputName]!;
      return tf.max(tf.abs(tf.sub(tf.tensor(result.values as Float32Array, [...result.shape]), nchw(output)))).dataSync()[0]!;
    });
    return { model, maxAbsDiff };
  } finally {
    session.dispose();
    output.dispose();
  }
}

function onnxManifest(plan: ExportPlan, name: string, mappingFile: string): OnnxManifest {
  const size = plan.resolution;
  const base = { format: 'gan-studio.onnx-manifest', version: 1, family: plan.family, name, resolution: size } as const;
  if (plan.style === undefined) return { ...base, inputs: [image('input', size, IMAGE_IN)], outputs: [image('output', size, IMAGE_OUT)] };
  const { zDim, wDim, numWs, wAvg } = plan.style;
  const ws: ManifestTensor = { name: 'ws', shape: [1, numWs, wDim], meaning: 'w per synthesis layer (ws index 0 = coarsest)' };
  return {
    ...base,
    inputs: [ws],
    outputs: [image('image', size, IMAGE_OUT)],
    mapping: { file: mappingFile, inputs: [{ name: 'z', shape: [1, zDim], meaning: 'z ~ N(0, I); seed s is numpy RandomState(s).randn(1, z_dim)' }], outputs: [ws] },
    wAvg,
  };
}

/** Loads the model, runs `write` on its export plan, and words any failure as the export's. */
export async function withExportPlan<T>(params: EngineParams<'models.exportOnnx'>, write: (plan: ExportPlan, params: EngineParams<'models.exportOnnx'>) => Promise<T>): Promise<T> {
  const loaded = await loadModel(params.modelFolder);
  let plan: ExportPlan | undefined;
  try {
    plan = exportPlan(loaded, params.name);
    return await write(plan, params);
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('ENGINE_ERROR', `Could not export ${params.name}: ${(err as Error).message}`);
  } finally {
    plan?.dispose();
    loaded.dispose();
  }
}

export function exportOnnxTask(params: EngineParams<'models.exportOnnx'>): Promise<ModelExportResult> {
  return withExportPlan(params, async (plan, { outPath: wanted, name }) => {
    const exported = plan.networks.map((network) => ({ part: network.part, ...exportChecked(network) }));
    await mkdirInLiveProject(path.dirname(wanted));
    // The .onnx name is claimed first (an empty file, replaced below); the mapping file and the manifest are named
    // after the claimed stem, so a second export of the same model at once writes beside it, never over it.
    const outPath = await claimNewFile(wanted);
    const mappingFile = `${path.basename(outPath, '.onnx')}.mapping.onnx`;
    const mappingPath = path.join(path.dirname(outPath), mappingFile);
    const manifestPath = `${outPath}.json`;
    try {
      for (const { part, model } of exported) await writeFileAtomic(part === 'mapping' ? mappingPath : outPath, model);
      await writeFile(manifestPath, `${JSON.stringify(onnxManifest(plan, name, mappingFile), null, 2)}\n`);
      return { path: outPath, bytes: exported.reduce((n, e) => n + e.model.byteLength, 0), manifestPath, maxAbsDiff: Math.max(...exported.map((e) => e.maxAbsDiff)) };
    } catch (err) {
      // The files named after the claimed stem belong to this claim: a failed export leaves none of them behind.
      // Each is tried (one that cannot go does not keep the others), and the export's own error is the one reported.
      await Promise.allSettled([outPath, mappingPath, manifestPath].map((file) => rm(file, { force: true })));
      throw err;
    }
  });
}

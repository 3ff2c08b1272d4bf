// Engine task: exports a model's generator as TensorFlow.js GraphModels (model.json + weights shard, what
// tf.loadGraphModel reads in a browser or Node), one folder per network, with `gan-studio.json` saying how to feed
// them; each is loaded back with tfjs-converter and checked against the studio's own forward.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { exportGraphModel, GRAPH_MODEL_WEIGHTS_FILE } from '../onnx/export-graph-model.js';
import { claimNewFolder } from '../../library/new-file.js';
import type { EngineParams, ModelExportResult } from '../engine-api.js';
import { withExportPlan } from './export-onnx.js';
import type { ExportPlan } from './exported-networks.js';
import { mkdirInLiveProject } from '../../library/project-paths.js';

/** `gan-studio.json` in the export folder. Images are NHWC float in [-1, 1], as tfjs computes. */
export interface TfjsExportManifest {
  format: 'gan-studio.tfjs-export';
  version: 1;
  family: string;
  name: string;
  resolution: number;
  networks: Array<{ part: string; folder: string; input: { name: string; shape: number[] }; output: { name: string; shape: number[] } }>;
  valueRange: [number, number];
  wAvg?: number[];
}

/** Runs the exported model.json + shard as a user's tf.loadGraphModel would, on `input`. */
async function runExported(modelJson: object, weightData: Uint8Array, input: tf.Tensor, inputName: string): Promise<tf.Tensor> {
  const json = JSON.parse(JSON.stringify(modelJson)) as tf.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => [tf.io.getWeightSpecs(manifest), weightData.slice().buffer]);
  const model = await loadGraphModel(tf.io.fromMemory(artifacts));
  try {
    return (await model.executeAsync({ [inputName]: input })) as tf.Tensor;
  } finally {
    model.dispose();
  }
}

export function exportTfjsTask(params: EngineParams<'models.exportTfjs'>): Promise<ModelExportResult> {
  return withExportPlan(params, async (plan, { outPath: wanted, name }) => {
    // A new folder every time (`-2` and on): an earlier export, or one running at once, is never deleted or mixed in.
    const outPath = await claimNewFolder(wanted);
    try {
      return await writeTfjsFolder(plan, outPath, name);
    } catch (err) {
      // The folder is this export's own claim: a failed or cancelled export leaves no half folder that looks like one.
      await rm(outPath, { recursive: true, force: true });
      throw err;
    }
  });
}

async function writeTfjsFolder(plan: ExportPlan, outPath: string, name: string): Promise<ModelExportResult> {
  let bytes = 0;
  let maxAbsDiff = 0;
  const networks: TfjsExportManifest['networks'] = [];
  for (const network of plan.networks) {
    const folder = plan.networks.length === 1 ? '.' : network.part;
    const { modelJson, weightData, output } = exportGraphModel(network.forward, network.example, { inputName: network.inputName, outputName: network.outputName, weights: network.weights, metadata: network.metadata });
    try {
      const loaded = await runExported(modelJson, weightData, network.example, network.inputName);
      maxAbsDiff = Math.max(maxAbsDiff, tf.tidy(() => tf.max(tf.abs(tf.sub(loaded, output))).dataSync()[0]!));
      loaded.dispose();
      const dir = path.join(outPath, folder);
      await mkdirInLiveProject(dir);
      const json = `${JSON.stringify(modelJson)}\n`;
      await writeFile(path.join(dir, 'model.json'), json);
      await writeFile(path.join(dir, GRAPH_MODEL_WEIGHTS_FILE), weightData);
      bytes += json.length + weightData.byteLength;
      networks.push({ part: network.part, folder, input: { name: network.inputName, shape: [...network.example.shape] }, output: { name: network.outputName, shape: [...output.shape] } });
    } finally {
      output.dispose();
    }
  }
  const manifest: TfjsExportManifest = { format: 'gan-studio.tfjs-export', version: 1, family: plan.family, name, resolution: plan.resolution, networks, valueRange: [-1, 1], ...(plan.style === undefined ? {} : { wAvg: plan.style.wAvg }) };
  const manifestPath = path.join(outPath, 'gan-studio.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { path: outPath, bytes, manifestPath, maxAbsDiff };
}

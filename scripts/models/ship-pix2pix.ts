// Turns a pix2pix training run into a shipped demo model: the latest checkpoint's generator saved as an fp16 model
// folder under assets/models/, listed in the manifest, with held-out L1/PSNR measured on the dataset's test split (of
// the fp16 weights as shipped) and a contact sheet (sketch | result | target). Optionally keeps the checkpoint in
// assets/training/ so the next session continues the run exactly.
//   node --import tsx scripts/models/ship-pix2pix.ts --run RUN_DIR --dataset DATASET_DIR --id edges-to-emoji-128 \
//     --name "Edges to 3D emoji" --description "…" --licence-attribution "…" [--sheet sheet.png] [--keep-checkpoint]
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { contactSheet } from '../../main/data/contact-sheet.js';
import { rgbToSigned, signedToRgb } from '../../models/common/image-tensor.js';
import { loadPairedDataset } from '../../main/data/prepare-pairs.js';
import { selectBackend } from '../../main/engine/backend-ladder.js';
import { latestCheckpoint, loadPix2pixCheckpoint } from '../../main/model-files/checkpoint.js';
import { hostTensors, loadModel, saveModel } from '../../main/model-files/model-folder.js';
import { pix2pixInferenceMode, unetGenerator, type UnetGeneratorWeights } from '../../models/pix2pix/networks.js';
import { centreCrop, Pix2pixRun } from '../../models/pix2pix/train.js';
import { keepCheckpoint, listInManifest, recordMetrics, relativeToRepo, required, shipOptions } from './ship-common.js';

const { values: args } = parseArgs({
  options: {
    ...shipOptions,
    dataset: { type: 'string' },
    rows: { type: 'string', default: '8' },
  },
});
const need = (name: keyof typeof args): string => required(args, name);

await selectBackend('cpu');
const runDir = path.resolve(need('run'));
const datasetDir = path.resolve(need('dataset'));
const id = need('id');
const modelsDir = path.resolve(args['models-dir']);
const checkpoint = await latestCheckpoint(runDir);
if (checkpoint === null) throw new Error(`${runDir} has no checkpoint`);
const snapshot = await loadPix2pixCheckpoint(checkpoint.dir);
const train = await loadPairedDataset(datasetDir, 'train');
const test = await loadPairedDataset(datasetDir, 'test');
const run = await Pix2pixRun.resume(snapshot, train, null);
const datasetRecipe = JSON.parse(await readFile(path.join(datasetDir, 'dataset.json'), 'utf8'), relativeToRepo) as { source: unknown; storedSize: number; heldOutFraction: number; seed: unknown };

// Saved in fp16, then measured as shipped: the numbers below are those of the files an artist gets.
const folder = path.join(modelsDir, id);
await saveModel(
  folder,
  {
    family: 'pix2pix',
    config: run.config,
    tensors: hostTensors(run.model.generator, 'generator'),
    licence: { spdx: 'MIT', attribution: args['licence-attribution'] },
    provenance: {
      run: path.basename(runDir),
      steps: run.stepCount,
      dataset: { source: datasetRecipe.source, storedSize: datasetRecipe.storedSize, heldOutFraction: datasetRecipe.heldOutFraction, seed: datasetRecipe.seed, train: train.length, test: test.length },
      metrics: {},
    },
  },
  { fp16: true },
);
const shipped = await loadModel(folder, { family: 'pix2pix' });
const generator = shipped.parts['generator'] as UnetGeneratorWeights;
const size = run.config.imageSize;
let l1Sum = 0;
let psnrSum = 0;
const rows: Uint8Array[][] = [];
for (let i = 0; i < test.length; i++) {
  const pair = centreCrop(test.read(i), size);
  const output = tf.tidy(() => unetGenerator(generator, tf.tensor4d(rgbToSigned(pair.a), [1, size, size, 3]), pix2pixInferenceMode).dataSync());
  const target = rgbToSigned(pair.b);
  let abs = 0;
  let squared = 0;
  for (let k = 0; k < target.length; k++) {
    const d = output[k]! - target[k]!;
    abs += Math.abs(d);
    squared += d * d;
  }
  l1Sum += abs / target.length;
  psnrSum += Math.min(100, 10 * Math.log10(4 / (squared / target.length)));
  // Rows spread evenly over the test split (sorted by file name, so runs of flags or faces would crowd a prefix).
  const every = Math.max(1, Math.floor(test.length / Number(args.rows)));
  if (i % every === 0 && rows.length < Number(args.rows)) rows.push([pair.a, signedToRgb(output), pair.b]);
}
const metrics = { test_l1: l1Sum / test.length, test_psnr: psnrSum / test.length, test_pairs: test.length };
shipped.dispose();
await recordMetrics(folder, metrics);
await listInManifest(modelsDir, { folder: id, name: need('name'), family: 'pix2pix', description: args.description });
if (args.sheet !== undefined) await writeFile(args.sheet, await contactSheet(rows, size));
if (args['keep-checkpoint']) await keepCheckpoint(id, checkpoint.dir);
run.dispose();
console.log(JSON.stringify({ model: folder, steps: snapshot.state.step, ...metrics }));

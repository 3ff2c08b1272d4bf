// Turns a CycleGAN training run on the flat ↔ 3D emoji folders (scripts/datasets/emoji-flat-3d.ts) into a shipped demo
// model: the latest checkpoint's two generators saved as an fp16 model folder under assets/models/ (as the training job
// saves a finished run), listed in the manifest, and measured as shipped on the emoji the run held out. The two folders
// pair by name, so each held-out flat emoji translated A → B is compared with its true 3D counterpart, and each held-out
// 3D emoji translated B → A with its true flat one: L1 on [-1, 1] and PSNR on [0, 1] (as ship-pix2pix), and the same
// figures for the untranslated input, what doing nothing scores. The translations are the Transfer view's own
// (InteractiveModels.imageToImage: compiled on the cpu backend, uint8 pixels in and out), of the centre crop at the
// model's size as the run's sample grids and test.py take it. Contact sheet rows: flat | A → B | true 3D |
// B → A (of the true 3D) | true flat. Optionally keeps the checkpoint in assets/training/ for the next session.
//   node --import tsx scripts/models/ship-cyclegan.ts --run RUN_DIR --data DATA_DIR --id emoji-flat-3d-64 \
//     --name "Flat ↔ 3D emoji" --description "…" --licence-attribution "…" [--sheet sheet.png] [--rows 8] \
//     [--keep-checkpoint] [--models-dir DIR]
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { contactSheet } from '../../main/data/contact-sheet.js';
import { centreCropRgb, referenceLoadSize } from '../../models/common/crop-and-flip.js';
import { loadImageFolder } from '../../main/data/image-folder-dataset.js';
import { selectBackend } from '../../main/engine/backend-ladder.js';
import { InteractiveModels } from '../../main/engine/interactive-models.js';
import { latestCheckpoint, loadCycleGANCheckpoint } from '../../main/model-files/checkpoint.js';
import { hostTensors, saveModel, type ModelJson, type SaveModelInput } from '../../main/model-files/model-folder.js';
import { cycleganModelParts } from '../../models/cyclegan/training-task.js';
import { CycleGANRun } from '../../models/cyclegan/train.js';
import { DATASET_JSON, HELD_OUT_FRACTION, type EmojiFlat3dManifest } from '../datasets/emoji-flat-3d.js';
import { keepCheckpoint, listInManifest, recordMetrics, relativeToRepo, required, shipOptions } from './ship-common.js';

/** The model folder of a CycleGAN run: both generators (cycleganModelParts), as the training task saves it. */
function saveCycleGANModel(modelDir: string, run: CycleGANRun, record: Pick<SaveModelInput, 'licence' | 'provenance'>, options: { fp16: boolean }): Promise<ModelJson> {
  const tensors = new Map(Object.entries(cycleganModelParts(run)).flatMap(([part, tree]) => [...hostTensors(tree, part)]));
  return saveModel(modelDir, { family: 'cyclegan', config: run.config, tensors, ...record }, options);
}

const { values: args } = parseArgs({
  options: {
    ...shipOptions,
    data: { type: 'string' },
    rows: { type: 'string', default: '8' },
  },
});
const need = (name: keyof typeof args): string => required(args, name);

/** L1 on [-1, 1] and PSNR on [0, 1] (at most 100 dB) of uint8 RGB `output` against `target`. */
function compare(output: Uint8Array, target: Uint8Array): { l1: number; psnr: number } {
  let abs = 0;
  let squared = 0;
  for (let k = 0; k < target.length; k++) {
    const d = (output[k]! - target[k]!) / 127.5; // the difference of the two on [-1, 1]
    abs += Math.abs(d);
    squared += d * d;
  }
  return { l1: abs / target.length, psnr: Math.min(100, 10 * Math.log10(4 / (squared / target.length))) };
}

await selectBackend('cpu');
const runDir = path.resolve(need('run'));
const dataDir = path.resolve(need('data'));
const id = need('id');
const modelsDir = path.resolve(args['models-dir']);
const checkpoint = await latestCheckpoint(runDir);
if (checkpoint === null) throw new Error(`${runDir} has no checkpoint`);
const snapshot = await loadCycleGANCheckpoint(checkpoint.dir);
const { imageSize } = snapshot.config;
const storedSize = referenceLoadSize(imageSize);
const recipe = JSON.parse(await readFile(path.join(dataDir, DATASET_JSON), 'utf8'), relativeToRepo) as EmojiFlat3dManifest;
// The training job read the folders resized to storedSize as this script does; stored smaller, they would be upscaled.
if (recipe.storedSize < storedSize) throw new Error(`${dataDir} is stored at ${recipe.storedSize} px; a ${imageSize} px model trains on ${storedSize}`);

// The run's own split: the same folders, seed and fraction keep the same emoji out of training, in A and in B alike.
const read = (side: 'A' | 'B'): ReturnType<typeof loadImageFolder> =>
  loadImageFolder(path.join(dataDir, side), { size: storedSize, heldOutFraction: HELD_OUT_FRACTION, seed: snapshot.state.seed });
const flat = await read('A');
const threeD = await read('B');
const heldOut = flat.test.names;
if (heldOut.join('\n') !== threeD.test.names.join('\n')) throw new Error(`${dataDir}: A and B hold out different files; the emoji recipe names both sides alike`);
// Resuming checks the run trained on folders of these sizes.
const run = await CycleGANRun.resume(snapshot, { a: flat.train, b: threeD.train }, null);

// Saved in fp16, then measured as shipped: the numbers below are those of the files an artist gets.
const folder = path.join(modelsDir, id);
await saveCycleGANModel(
  folder,
  run,
  {
    licence: { spdx: 'MIT', attribution: args['licence-attribution'] },
    provenance: {
      run: path.basename(runDir),
      steps: run.stepCount,
      dataset: {
        recipe: recipe.recipe,
        sources: recipe.sources,
        pairing: recipe.pairing,
        storedSize,
        margin: recipe.margin,
        heldOutFraction: HELD_OUT_FRACTION,
        seed: snapshot.state.seed,
        train: { A: flat.train.length, B: threeD.train.length },
        heldOut, // file names in A/ and B/: pictures the model never saw, with their true counterparts
      },
      metrics: {},
    },
  },
  { fp16: true },
);
run.dispose();

const models = new InteractiveModels();
const toThreeD = await models.imageToImage(folder, { family: 'cyclegan', direction: 'AtoB' });
const toFlat = await models.imageToImage(folder, { family: 'cyclegan', direction: 'BtoA' });
const rowCount = Math.min(Number(args.rows), heldOut.length);
// Rows spread over the held-out emoji (sorted by codepoint, so neighbours are often variants of one emoji).
const rowIndices = new Set(Array.from({ length: rowCount }, (_, k) => Math.floor((k * heldOut.length) / rowCount)));
const rows: Uint8Array[][] = [];
const perEmoji: Array<{ name: string; aToB: { l1: number; psnr: number }; bToA: { l1: number; psnr: number }; identity: { l1: number; psnr: number } }> = [];
for (const [i, name] of heldOut.entries()) {
  const a = centreCropRgb(flat.test.read(i), storedSize, imageSize);
  const b = centreCropRgb(threeD.test.read(i), storedSize, imageSize);
  const fakeB = toThreeD.run(a);
  const fakeA = toFlat.run(b);
  perEmoji.push({ name, aToB: compare(fakeB, b), bToA: compare(fakeA, a), identity: compare(a, b) });
  if (rowIndices.has(i)) rows.push([a, fakeB, b, fakeA, a]);
}
models.dispose();

const mean = (pick: (e: (typeof perEmoji)[number]) => number): number => perEmoji.reduce((sum, e) => sum + pick(e), 0) / Math.max(perEmoji.length, 1);
// model.json keeps numbers only (its schema); each emoji's figures are printed for the run record.
const metrics = {
  test_pairs: perEmoji.length,
  test_l1_a_to_b: mean((e) => e.aToB.l1),
  test_psnr_a_to_b: mean((e) => e.aToB.psnr),
  test_l1_b_to_a: mean((e) => e.bToA.l1),
  test_psnr_b_to_a: mean((e) => e.bToA.psnr),
  // The input itself against its counterpart: the figure a translation has to beat.
  identity_l1: mean((e) => e.identity.l1),
  identity_psnr: mean((e) => e.identity.psnr),
};
await recordMetrics(folder, metrics);
await listInManifest(modelsDir, { folder: id, name: need('name'), family: 'cyclegan', description: args.description });
if (args.sheet !== undefined && rows.length > 0) await writeFile(args.sheet, await contactSheet(rows, imageSize));
if (args['keep-checkpoint']) await keepCheckpoint(id, checkpoint.dir);
console.log(JSON.stringify({ model: folder, steps: snapshot.state.step, ...metrics, perEmoji }));

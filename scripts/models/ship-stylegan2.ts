// Turns a StyleGAN2 training run into a shipped demo model: the latest checkpoint's G_ema saved as an fp16 model folder
// under assets/models/, listed in the manifest, and measured as shipped (the fp16 weights an artist gets):
//   - KID against the training images, as the training job measures it (main/engine/metrics/kid-meter.ts);
//   - W+ inversion (models/stylegan/projector.ts, as the Invert view runs it) of held-out images the run never saw,
//     PSNR and SSIM each (model.json keeps their means and the worst PSNR);
//   - a seed contact sheet (seeds 0…, ψ 1 and const noise, as the seed browser shows them) and an inversion sheet
//     (held-out image | its reconstruction).
// Optionally keeps the checkpoint in assets/training/ so the next session continues the run exactly.
//   node --import tsx scripts/models/ship-stylegan2.ts --run RUN_DIR --data DATA_DIR --id emoji-objects-64 \
//     --name "Emoji objects" --description "…" --licence-attribution "…" [--sheet seeds.png] [--inversion-sheet inv.png] \
//     [--inversions 8] [--inversion-steps 1000] [--keep-checkpoint]   (--checkpoint DIR instead of --run: that folder)
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { contactSheet } from '../../main/data/contact-sheet.js';
import { loadImageFolder } from '../../main/data/image-folder-dataset.js';
import { rgbToSigned, signedToRgb } from '../../models/common/image-tensor.js';
import { selectBackend } from '../../main/engine/backend-ladder.js';
import { createKidMeter } from '../../main/engine/metrics/kid-meter.js';
import { seedGrid } from '../../main/engine/tasks/image-folder-training.js';
import { latestCheckpoint, loadStyleGAN2Checkpoint } from '../../main/model-files/checkpoint.js';
import { hostTensors, loadModel, readModelJson, saveModel } from '../../main/model-files/model-folder.js';
import { evalMode } from '../../models/common/mode.js';
import { seedLatent } from '../../models/common/numpy-random-state.js';
import { generator, type GeneratorWeights } from '../../models/stylegan/networks.js';
import { Projector } from '../../models/stylegan/projector.js';
import { StyleGAN2Run } from '../../models/stylegan/train.js';
import { keepCheckpoint, listInManifest, recordMetrics, required, shipOptions } from './ship-common.js';

const { values: args } = parseArgs({
  options: {
    ...shipOptions,
    data: { type: 'string' },
    'dataset-recipe': { type: 'string', default: 'node --import tsx scripts/datasets/emoji-objects.ts --out DIR' },
    'held-out-fraction': { type: 'string', default: '0.05' }, // the training job's default split
    'kid-images': { type: 'string', default: '256' }, // the training job's default
    seeds: { type: 'string', default: '64' }, // on the contact sheet, and checked against the training images
    'inversion-sheet': { type: 'string' },
    inversions: { type: 'string', default: '8' },
    'inversion-steps': { type: 'string', default: '1000' },
    checkpoint: { type: 'string' }, // instead of --run: this checkpoint folder
  },
});
const need = (name: keyof typeof args): string => required(args, name);

await selectBackend('cpu');
const id = need('id');
const modelsDir = path.resolve(args['models-dir']);
// --run ships the run's latest checkpoint; --checkpoint one folder (e.g. the one kept in assets/training/).
const checkpoint = args.checkpoint !== undefined ? { dir: path.resolve(args.checkpoint) } : await latestCheckpoint(path.resolve(need('run')));
if (checkpoint === null) throw new Error(`${need('run')} has no checkpoint`);
// The run's name in the model's provenance: its folder in the library, or the one it is kept under in assets/training.
const runName = path.basename(args.checkpoint !== undefined ? path.dirname(checkpoint.dir) : need('run'));
const snapshot = await loadStyleGAN2Checkpoint(checkpoint.dir);
const { resolution } = snapshot.config;
const heldOutFraction = Number(args['held-out-fraction']);
// The run's own split: the same folder, seed and fraction put the same images out of training.
const data = await loadImageFolder(path.resolve(need('data')), { size: resolution, heldOutFraction, seed: snapshot.state.seed });
const run = await StyleGAN2Run.resume(snapshot, data.train);
// A fine-tuned run's source, named relative to the repository (the shipped folder must not name this machine's paths).
const { fineTunedFrom } = (await readModelJson(checkpoint.dir)).provenance;

const folder = path.join(modelsDir, id);
await saveModel(
  folder,
  {
    family: 'stylegan2',
    config: run.config,
    // G_ema is what generates; D rides along so that an artist's run can fine-tune from the model (Train, "Start from").
    tensors: new Map([...hostTensors(run.generatorEma, 'generator'), ...hostTensors(run.model.discriminator, 'discriminator')]),
    licence: { spdx: 'MIT', attribution: args['licence-attribution'] },
    provenance: {
      run: runName,
      steps: run.stepCount,
      dataset: {
        recipe: args['dataset-recipe'],
        heldOutFraction,
        seed: snapshot.state.seed,
        mirror: snapshot.state.mirror,
        train: data.train.length,
        // Named, so an inversion test (or an artist) can pick pictures the model has never seen.
        heldOut: data.test.names,
      },
      metrics: {},
      ...(fineTunedFrom === undefined ? {} : { fineTunedFrom: path.relative(process.cwd(), fineTunedFrom) }),
    },
  },
  { fp16: true },
);
run.dispose();

const shipped = await loadModel(folder, { family: 'stylegan2' });
const weights = shipped.parts['generator'] as GeneratorWeights;
const images = (seeds: readonly number[]): tf.Tensor4D =>
  tf.tidy(() => generator(weights, tf.tensor2d(seeds.flatMap((seed) => [...seedLatent(seed, run.config.zDim)]), [seeds.length, run.config.zDim]), evalMode, { noiseMode: 'const' }));

const kidMeter = await createKidMeter(data.train, Number(args['kid-images']));
const kid = kidMeter.measure(images);
kidMeter.dispose();

/**
 * PSNR of each of `pictures` ([n, res, res, 3], in [-1, 1]) to its nearest training image: a seed at 30 dB or more
 * from one is a copy of it, not a new picture. The held-out emoji's figure beside it says how near new real ones come.
 */
function nearestTrainingPsnr(pictures: tf.Tensor4D): number[] {
  const pixels = resolution * resolution * 3;
  const train = signedImages(data.train);
  return tf.tidy(() => {
    const a = tf.reshape(pictures, [-1, pixels]);
    const b = tf.tensor2d(train, [data.train.length, pixels]);
    // ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b for every pair, then the nearest.
    const squared = tf.add(tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(tf.matMul(a, b, false, true), 2)), tf.reshape(tf.sum(tf.square(b), 1), [1, -1]));
    const mse = tf.div(tf.relu(tf.min(squared, 1)), pixels);
    // Signed pixels span 2: PSNR = 10·log10(2² / mse).
    return [...(mse.dataSync() as Float32Array)].map((m) => (m === 0 ? 100 : Math.min(100, 10 * Math.log10(4 / m))));
  });
}
/** Every image of a split as one signed batch, flat. */
function signedImages(split: { length: number; read(i: number): Uint8Array }): Float32Array {
  const pixels = resolution * resolution * 3;
  const out = new Float32Array(split.length * pixels);
  for (let i = 0; i < split.length; i++) rgbToSigned(split.read(i), out, i * pixels);
  return out;
}
const seedCount = Number(args.seeds);
const seedImages = images(Array.from({ length: seedCount }, (_, seed) => seed));
const seedNearest = nearestTrainingPsnr(seedImages);
const heldOutImages = tf.tensor4d(signedImages(data.test), [data.test.length, resolution, resolution, 3]);
const heldOutNearest = nearestTrainingPsnr(heldOutImages);
heldOutImages.dispose();

const inversionCount = Math.min(Number(args.inversions), data.test.length);
const inversions: Array<{ name: string; psnr: number; ssim: number }> = [];
const inversionRows: Uint8Array[][] = [];
for (let k = 0; k < inversionCount; k++) {
  // Spread over the held-out images (sorted by name, so neighbours are often variants of one emoji).
  const index = Math.floor((k * data.test.length) / inversionCount);
  const rgb = data.test.read(index);
  const target = tf.tensor4d(rgbToSigned(rgb), [1, resolution, resolution, 3]);
  const projector = new Projector(weights, target, { space: 'w+', steps: Number(args['inversion-steps']), seed: k });
  target.dispose();
  while (!projector.done) projector.step();
  const reconstruction = projector.image();
  inversionRows.push([rgb, signedToRgb(reconstruction.dataSync())]);
  reconstruction.dispose();
  inversions.push({ name: data.test.names[index]!, ...projector.quality() });
  projector.dispose();
  console.error(`inverted ${inversions.at(-1)!.name}: ${inversions.at(-1)!.psnr.toFixed(2)} dB`);
}
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
// model.json keeps numbers only (its schema); each image's figures are printed for the run record.
const metrics = {
  kid,
  kid_images: Number(args['kid-images']),
  held_out_inversions: inversions.length,
  held_out_inversion_steps: Number(args['inversion-steps']),
  held_out_psnr: mean(inversions.map((i) => i.psnr)),
  held_out_psnr_min: Math.min(...inversions.map((i) => i.psnr)),
  held_out_ssim: mean(inversions.map((i) => i.ssim)),
  seeds_nearest_train_psnr_mean: mean(seedNearest),
  seeds_nearest_train_psnr_max: Math.max(...seedNearest),
  held_out_nearest_train_psnr_mean: mean(heldOutNearest),
  held_out_nearest_train_psnr_max: Math.max(...heldOutNearest),
};
await recordMetrics(folder, metrics);
await listInManifest(modelsDir, { folder: id, name: need('name'), family: 'stylegan2', description: args.description });

// seedGrid disposes the batch.
if (args.sheet !== undefined) await writeFile(args.sheet, await seedGrid(seedImages, Math.ceil(Math.sqrt(seedCount))));
else seedImages.dispose();
if (args['inversion-sheet'] !== undefined) await writeFile(args['inversion-sheet'], await contactSheet(inversionRows, resolution));
shipped.dispose();
// A checkpoint already kept there stays as it is (keeping it would first remove it).
if (args['keep-checkpoint'] && path.dirname(checkpoint.dir) !== path.resolve('assets/training', id)) await keepCheckpoint(id, checkpoint.dir);
console.log(JSON.stringify({ model: folder, steps: snapshot.state.step, ...metrics, inversions }));

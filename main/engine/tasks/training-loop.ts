// The part of every training task that is the same for each family: step until done or paused, stream losses,
// sample and checkpoint on schedule, checkpoint on pause so a later job continues exactly.
import { mkdir } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../api/errors.js';
import { contactSheet } from '../../data/contact-sheet.js';
import { loadImageFolder, type ImageFolderDataset } from '../../data/image-folder-dataset.js';
import { signedToRgb } from '../../data/image-tensor.js';
import { writeFileAtomic } from '../../library/atomic-write.js';
import { rgbToSigned } from '../../data/image-tensor.js';
import type { ImageDataset } from '../../../models/stylegan/train.js';
import { loadImageFeatureExtractor } from '../metrics/image-features.js';
import { kernelInceptionDistance } from '../metrics/kid.js';
import { latestCheckpoint, saveCheckpoint, type CheckpointRef, type TrainingSnapshot } from '../../models/checkpoint.js';
import type { EngineTaskContext } from './index.js';

/** Engine params every unconditional family (StyleGAN2, PGGAN) takes besides its network settings (`config`). */
export const ImageFolderTrainingParams = z.object({
  runDir: z.string(), // checkpoints/ and samples/ of the run (shared by the jobs that resume it)
  dataDir: z.string(), // a folder of images
  margin: z.number().min(0).max(1).optional(),
  heldOutFraction: z.number().min(0).lt(1).default(0.05), // images kept out of training (inversion and KID)
  modelDir: z.string(), // where the finished model is saved
  totalKimg: z.number().positive(),
  seed: z.number().int(),
  checkpointEvery: z.number().int().min(1),
  sampleEvery: z.number().int().min(1),
  untilStep: z.number().int().min(1).optional(),
  kidEvery: z.number().int().min(1).optional(), // iterations between KID measurements (and once at the end)
  kidImages: z.number().int().min(2).default(256), // generated and real images per KID measurement
  continueFrom: z.string().optional(), // a checkpoint folder to start from when the run has none of its own yet
  fp16: z.boolean().default(false),
  licence: z.object({ spdx: z.string(), attribution: z.string().optional() }).optional(),
  datasetRecipe: z.unknown().optional(),
});

/** What a training task streams to main/ as it goes, each stored at once. */
export type TrainingItem =
  | { kind: 'resumed'; step: number } // continuing from the checkpoint at `step`
  | { kind: 'dataset'; train: number; test: number; skipped: Array<{ file: string; reason: string }>; notices: string[] } // what was read
  | { kind: 'metrics'; step: number; values: Record<string, number> }
  | { kind: 'sample'; step: number; path: string } // a PNG grid of the run's fixed samples
  | { kind: 'checkpoint'; step: number; dir: string }
  | { kind: 'model'; dir: string; step: number; metrics: Record<string, number> };

/** A family's run as the loop drives it. */
export interface SteppedRun {
  readonly stepCount: number;
  readonly totalSteps: number;
  /** One update; its losses and the stage label for the progress bar ("Training, epoch 3"). */
  step(): { values: Record<string, number>; stage: string };
  snapshot(): Promise<TrainingSnapshot>;
}

export interface TrainingSchedule {
  runDir: string;
  checkpointEvery: number;
  sampleEvery: number;
  untilStep?: number | undefined; // stop (with a checkpoint) once this many steps are done
  evaluateEvery?: number | undefined; // steps between quality measurements (KID), and once at the end of the run
}

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains `run` up to its end or `untilStep`: metrics after each step, `sampleNow` every sampleEvery steps (and once
 * before the first), a checkpoint every checkpointEvery steps and at the stop. A pause (the signal) checkpoints and
 * ends the task as CANCELLED. Returns with the last checkpoint written; the caller saves the model when the run is done.
 */
export async function driveTraining(
  run: SteppedRun,
  schedule: TrainingSchedule,
  ctx: EngineTaskContext,
  hooks: { sampleNow(): Promise<void>; evaluateNow?(): Promise<void>; checkpointProvenance(): Record<string, unknown> },
): Promise<void> {
  const emit = (item: TrainingItem): void => ctx.emitItem(item);
  const checkpointNow = async (): Promise<void> => {
    const ref = await saveCheckpoint(schedule.runDir, await run.snapshot(), { provenance: hooks.checkpointProvenance() });
    emit({ kind: 'checkpoint', step: ref.step, dir: ref.dir });
  };
  const until = Math.min(run.totalSteps, schedule.untilStep ?? Number.POSITIVE_INFINITY);
  if (run.stepCount === 0) await hooks.sampleNow(); // the untrained starting point
  while (run.stepCount < until) {
    if (ctx.signal.aborted) {
      await checkpointNow();
      throw new StudioError('CANCELLED', `Paused at step ${run.stepCount}; resuming continues from there.`);
    }
    const { values, stage } = run.step();
    const step = run.stepCount;
    emit({ kind: 'metrics', step, values });
    ctx.onProgress({ stage, step, total: run.totalSteps, metrics: values });
    if (step % schedule.sampleEvery === 0) await hooks.sampleNow();
    if (schedule.evaluateEvery !== undefined && step % schedule.evaluateEvery === 0) await hooks.evaluateNow?.();
    if (step % schedule.checkpointEvery === 0) await checkpointNow();
    await yieldToEvents(); // lets a pause request, and previews of other models, in between steps
  }
  const finished = run.stepCount >= run.totalSteps;
  if (finished && schedule.evaluateEvery !== undefined && run.stepCount % schedule.evaluateEvery !== 0) await hooks.evaluateNow?.();
  if (run.stepCount % schedule.checkpointEvery !== 0) await checkpointNow();
  if (finished && run.stepCount % schedule.sampleEvery !== 0) await hooks.sampleNow();
}

/** The checkpoint a task starts from: the run's own latest, else a folder from elsewhere (`continueFrom`), else none. */
export async function startingCheckpoint(runDir: string, continueFrom: string | undefined): Promise<CheckpointRef | null> {
  return (await latestCheckpoint(runDir)) ?? (continueFrom === undefined ? null : { dir: continueFrom, step: -1 });
}

/** Writes a sample grid as <runDir>/samples/step-NNNNNN.png and returns its path. */
export async function saveSampleGrid(runDir: string, step: number, png: Buffer): Promise<string> {
  const file = path.join(runDir, 'samples', `step-${String(step).padStart(6, '0')}.png`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
  return file;
}

/**
 * The training images of an unconditional GAN (StyleGAN2, PGGAN) from a folder, with progress; what was skipped or
 * adapted is streamed as a 'dataset' item. Refuses a folder with nothing to train on, saying why.
 */
export async function readTrainingImages(
  ctx: EngineTaskContext,
  options: { dataDir: string; resolution: number; heldOutFraction: number; seed: number; margin?: number | undefined },
): Promise<ImageFolderDataset> {
  ctx.onProgress({ stage: 'Reading the images', step: 0, total: 0 });
  const data = await loadImageFolder(options.dataDir, {
    size: options.resolution,
    heldOutFraction: options.heldOutFraction,
    seed: options.seed,
    signal: ctx.signal,
    onProgress: (done, total) => ctx.onProgress({ stage: 'Reading the images', step: done, total }),
    ...(options.margin === undefined ? {} : { margin: options.margin }),
  });
  if (data.train.length === 0) {
    const why = data.skipped.length > 0 ? ` ${data.skipped.length} files could not be read, e.g. ${data.skipped[0]!.file}: ${data.skipped[0]!.reason}` : '';
    throw new StudioError('INVALID_PARAMS', `The folder ${options.dataDir} has no images to train on.${why}`);
  }
  ctx.emitItem({ kind: 'dataset', train: data.train.length, test: data.test.length, skipped: data.skipped, notices: data.notices } satisfies TrainingItem);
  return data;
}

/** Images [n, r, r, 3] in about [-1, 1] (disposed here) as a PNG grid of `columns` per row. */
export async function seedGrid(images: tf.Tensor4D, columns: number): Promise<Buffer> {
  const [count, resolution] = images.shape;
  const pixels = signedToRgb(images.dataSync());
  images.dispose();
  const size = resolution * resolution * 3;
  const rows = Array.from({ length: Math.ceil(count / columns) }, (_, r) =>
    Array.from({ length: Math.min(columns, count - r * columns) }, (_, c) => pixels.subarray((r * columns + c) * size, (r * columns + c + 1) * size)),
  );
  return contactSheet(rows, resolution);
}

/** Seeds of the generated half of every KID estimate: fixed, so a run's KID curve is not seed noise. */
const KID_SEEDS_FROM = 100_000;

/**
 * KID of a generator against real images: the reals' features are computed once (up to `count` images, spread over
 * the dataset); each `measure` draws `count` images of fixed seeds and compares (main/engine/metrics/kid.ts).
 */
export async function createKidMeter(reals: ImageDataset, count: number): Promise<{ measure(sample: (seeds: number[]) => tf.Tensor4D): number; dispose(): void }> {
  const extractor = await loadImageFeatureExtractor();
  const n = Math.min(count, reals.length);
  const { size } = reals;
  const pixels = size * size * 3;
  const batched = (total: number, images: (from: number, to: number) => tf.Tensor4D): Float32Array[] => {
    const features: Float32Array[] = [];
    for (let from = 0; from < total; from += 16) {
      const batch = images(from, Math.min(total, from + 16));
      features.push(...extractor.features(batch));
      batch.dispose();
    }
    return features;
  };
  const realFeatures = batched(n, (from, to) => {
    const values = new Float32Array((to - from) * pixels);
    for (let i = from; i < to; i++) rgbToSigned(reals.read(Math.floor((i * reals.length) / n)), values, (i - from) * pixels);
    return tf.tensor4d(values, [to - from, size, size, 3]);
  });
  return {
    measure(sample) {
      const fakeFeatures = batched(n, (from, to) =>
        tf.tidy(() => {
          const images = sample(Array.from({ length: to - from }, (_, i) => KID_SEEDS_FROM + from + i));
          return images.shape[1] === size ? images : tf.image.resizeNearestNeighbor(images, [size, size]);
        }),
      );
      return kernelInceptionDistance(realFeatures, fakeFeatures, { subsets: 50, subsetSize: 1000, seed: 1 }).kid;
    },
    dispose: () => extractor.dispose(),
  };
}

/**
 * The `evaluateNow` hook of an unconditional run: KID of `sample` against the reals, streamed as the 'kid' metric
 * and kept in `metrics` (the model's provenance). The meter is built on first use and freed by `dispose`.
 */
export function kidEvaluation(
  ctx: EngineTaskContext,
  reals: ImageDataset,
  count: number,
  sample: (seeds: number[]) => tf.Tensor4D,
  run: { readonly stepCount: number; readonly totalSteps: number },
  metrics: Record<string, number>,
): { evaluateNow(): Promise<void>; dispose(): void } {
  let meter: Awaited<ReturnType<typeof createKidMeter>> | undefined;
  const stepCount = (): number => run.stepCount;
  return {
    async evaluateNow() {
      // The run's own step and total: this can be the job's last progress report, which the job keeps.
      ctx.onProgress({ stage: 'Measuring KID', step: run.stepCount, total: run.totalSteps });
      meter ??= await createKidMeter(reals, count);
      metrics['kid'] = meter.measure(sample);
      ctx.emitItem({ kind: 'metrics', step: stepCount(), values: { kid: metrics['kid'] } } satisfies TrainingItem);
    },
    dispose: () => meter?.dispose(),
  };
}

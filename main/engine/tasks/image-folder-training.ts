// What the training tasks on folders of images (StyleGAN2, PGGAN; CycleGAN reads two) share: their engine params,
// reading a folder of images, seed grids, and KID measured on schedule.
import type * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../api/errors.js';
import { contactSheet } from '../../data/contact-sheet.js';
import { loadImageFolder, type ImageFolderDataset } from '../../data/image-folder-dataset.js';
import { signedToRgb } from '../../../models/common/image-tensor.js';
import type { ImageDataset } from '../../../models/common/datasets.js';
import { createKidMeter } from '../metrics/kid-meter.js';
import type { TrainingItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';

/**
 * The images of a training folder, with progress, refused when there is nothing to train on (saying why). `label`
 * names the folder in progress and errors when a run reads more than one (CycleGAN's "A" and "B").
 */
export async function loadTrainingFolder(
  ctx: EngineTaskContext<TrainingItem>,
  options: { dataDir: string; resolution: number; heldOutFraction: number; seed: number; margin?: number | undefined; label?: string },
): Promise<ImageFolderDataset> {
  const stage = options.label === undefined ? 'Reading the images' : `Reading the images of ${options.label}`;
  ctx.onProgress({ stage, step: 0, total: 0 });
  const data = await loadImageFolder(options.dataDir, {
    size: options.resolution,
    heldOutFraction: options.heldOutFraction,
    seed: options.seed,
    signal: ctx.signal,
    onProgress: (done, total) => ctx.onProgress({ stage, step: done, total }),
    ...(options.margin === undefined ? {} : { margin: options.margin }),
  });
  if (data.train.length === 0) {
    const why = data.skipped.length > 0 ? ` ${data.skipped.length} files could not be read, e.g. ${data.skipped[0]!.file}: ${data.skipped[0]!.reason}` : '';
    throw new StudioError('INVALID_PARAMS', `The folder ${options.dataDir} has no images to train on.${why}`);
  }
  return data;
}

/** The training images of an unconditional GAN (StyleGAN2, PGGAN); what was skipped or adapted is streamed as a 'dataset' item. */
export async function readTrainingImages(
  ctx: EngineTaskContext<TrainingItem>,
  options: { dataDir: string; resolution: number; heldOutFraction: number; seed: number; margin?: number | undefined },
): Promise<ImageFolderDataset> {
  const data = await loadTrainingFolder(ctx, options);
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

/**
 * The `evaluateNow` hook of an unconditional run: KID of `sample` against the reals, streamed as the 'kid' metric
 * and kept in `metrics` (the model's provenance). The meter is built on first use and freed by `dispose`.
 */
export function kidEvaluation(
  ctx: EngineTaskContext<TrainingItem>,
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
      ctx.emitItem({ kind: 'metrics', step: stepCount(), total: run.totalSteps, values: { kid: metrics['kid'] } } satisfies TrainingItem);
    },
    dispose: () => meter?.dispose(),
  };
}

// The engine's side of what training tasks on folders of images (StyleGAN2, PGGAN; CycleGAN reads two) use through
// their host (training-runner.ts): reading a folder of images, seed grids, and KID measured on schedule.
import type * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../api/errors.js';
import { contactSheet } from '../../data/contact-sheet.js';
import { loadImageFolder, type ImageFolderDataset } from '../../data/image-folder-dataset.js';
import { seedGridRows } from '../../../models/common/training-host.js';
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

/** Images [n, r, r, 3] in about [-1, 1] (disposed here) as a PNG grid of `columns` per row. */
export async function seedGrid(images: tf.Tensor4D, columns: number): Promise<Buffer> {
  const { rows, size } = seedGridRows(images, columns);
  return contactSheet(rows, size);
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

// What a family's training task (models/<family>/training-task.ts, referenced by its engine.ts) needs from the studio,
// and no more: its data read from disk, the checkpoint it starts from, sample grids and the model folder written, KID
// measured, and the loop that steps, samples and checkpoints on schedule. The engine implements it once for every
// family (main/engine/tasks/training-runner.ts), bound to one job: its run folder, the checkpoint it continues, where
// the model goes. The task decides the rest: its networks, what it samples, which settings a checkpoint must share.
import type * as tf from '@tensorflow/tfjs-core';
import type { AdamState } from './adam.js';
import type { ImageDataset, PairAugmenter, PairedDataset } from './datasets.js';
import type { HostTensor } from './host-tensor.js';
import { signedToRgb } from './image-tensor.js';
import type { ParamTree } from './param-tree.js';
import type { TrainingItem } from './training-params.js';

/** What a run hands to a checkpoint (Pix2pixSnapshot is one): weights, optimizers and the run's own JSON state. */
export interface TrainingSnapshot<State extends { step: number } = { step: number }> {
  family: string;
  config: unknown;
  state: State; // JSON; `step` (updates done) names the folder
  weights: ReadonlyMap<string, HostTensor>; // every network's variables by path, running statistics included
  optimizers: Readonly<Record<string, AdamState>>; // by network, moments keyed by the weights' paths
  /** Tensors of the run's state that belong to no network (CycleGAN's image pools), by name; most families have none. */
  runTensors?: ReadonlyMap<string, HostTensor>;
}

/** A family's run as the loop drives it. */
export interface SteppedRun {
  readonly stepCount: number;
  readonly totalSteps: number;
  /** One update; its losses and the stage label for the progress bar ("Training, epoch 3"). */
  step(): { values: Record<string, number>; stage: string };
  snapshot(): Promise<TrainingSnapshot>;
}

/** A family's training run as its own class exposes it; `step` returns the family's report. */
interface FamilyRun<Report> {
  readonly stepCount: number;
  readonly totalSteps: number;
  step(): Report;
  snapshot(): Promise<TrainingSnapshot>;
}

/** The loop's view of a family's run: `describe` turns each step's report into the values streamed and the stage shown. */
export function steppedRun<Report>(run: FamilyRun<Report>, describe: (report: Report) => { values: Record<string, number>; stage: string }): SteppedRun {
  return {
    get stepCount() {
      return run.stepCount;
    },
    get totalSteps() {
      return run.totalSteps;
    },
    step: () => describe(run.step()),
    snapshot: () => run.snapshot(),
  };
}

/** How epoch-scheduled runs (pix2pix, CycleGAN) report a step: their losses and learning rate, staged by epoch. */
export const epochStep = (report: { losses: object; learningRate: number; epoch: number }): { values: Record<string, number>; stage: string } => ({
  values: { ...(report.losses as Record<string, number>), lr: report.learningRate },
  stage: `Training, epoch ${report.epoch + 1}`,
});

/** A split of a folder of images in memory, with the file each came from. */
export interface ImageSet extends ImageDataset {
  readonly names: readonly string[];
}

/** A folder of training images as read: its training and held-out splits, and what was skipped or adapted. */
export interface ImageFolder {
  train: ImageSet;
  test: ImageSet;
  skipped: Array<{ file: string; reason: string }>;
  /** What was adapted, for the user ("412 images were not square: centre-cropped to a square."). */
  notices: string[];
}

/** How the loop runs: steps between samples and checkpoints, where to stop, and how often to measure. */
export interface DriveSchedule {
  checkpointEvery: number;
  sampleEvery: number;
  untilStep?: number | undefined; // stop (with a checkpoint) once this many steps are done
  evaluateEvery?: number | undefined; // steps between quality measurements (KID), and once at the end of the run
}

/** The model folder a finished run leaves: its networks by part (the tensor names' first segment), and its record. */
export interface FinishedModel {
  config: unknown;
  parts: Readonly<Record<string, ParamTree>>;
  steps: number;
  /** What the model was made from besides the run and its steps: the dataset's recipe, metrics, a fine-tune's source. */
  provenance: { dataset: unknown; metrics: Record<string, number>; fineTunedFrom?: string };
}

export interface TrainingHost {
  /** Streams one item to main/, which stores it at once. */
  emit(item: TrainingItem): void;
  /** The studio's error for a job that cannot run as asked (INVALID_PARAMS) or a checkpoint that does not fit (MODEL_INCOMPATIBLE). */
  refusal(code: 'INVALID_PARAMS' | 'MODEL_INCOMPATIBLE', message: string): Error;
  /** Shows `stage` before the first step (step 0 of 0). */
  progress(stage: string): void;

  /**
   * A folder of images at `resolution`, split by name, with progress; refused when there is nothing to train on.
   * `label` names the folder when a run reads more than one (CycleGAN's "A" and "B").
   */
  readImageFolder(options: { dataDir: string; resolution: number; heldOutFraction: number; seed: number; margin?: number | undefined; label?: string }): Promise<ImageFolder>;
  /** A prepared paired dataset's splits, and how its pairs are augmented for training. */
  readPairedDataset(dir: string): Promise<{ train: PairedDataset; test: PairedDataset; augment: PairAugmenter }>;

  /**
   * The checkpoint the run starts from: its own latest, else the job's `continueFrom`, read as a snapshot of this
   * family (with its run tensors when `runTensors`); null for a fresh run.
   */
  startingCheckpoint<S extends TrainingSnapshot>(needs?: { runTensors?: boolean }): Promise<{ dir: string; snapshot: S } | null>;
  /** Refuses a checkpoint (or fine-tune source) at `dir` whose `keys` settings differ from the job's. */
  checkSettings<C>(dir: string, saved: C, wanted: C, keys: ReadonlyArray<keyof C>): void;
  /**
   * The networks a fine-tune starts from: a checkpoint (a run folder means its latest) or a model folder of this family
   * that keeps its discriminator; `fromModel` says which.
   */
  loadFineTuneSource(dir: string): Promise<{ dir: string; config: unknown; weights: Map<string, HostTensor>; fromModel: boolean }>;

  /** Writes the grid at `step` (rows of `size` px RGB images) into the run folder and streams it as a 'sample' item. */
  writeSampleGrid(step: number, rows: readonly (readonly Uint8Array[])[], size: number): Promise<void>;
  /**
   * The `evaluateNow` hook of an unconditional run: KID of `sample` against `reals`, streamed as the 'kid' metric and
   * kept in `metrics`. The meter is built on first use and freed by `dispose`.
   */
  kidEvaluation(
    reals: ImageDataset,
    count: number,
    sample: (seeds: number[]) => tf.Tensor4D,
    run: { readonly stepCount: number; readonly totalSteps: number },
    metrics: Record<string, number>,
  ): { evaluateNow(): Promise<void>; dispose(): void };
  /**
   * Trains `run` up to its end or `untilStep`: metrics after each step, `sampleNow` on schedule (and before the
   * first), checkpoints on schedule and at the stop; a pause checkpoints and ends the job as CANCELLED.
   */
  drive(run: SteppedRun, schedule: DriveSchedule, hooks: { sampleNow(): Promise<void>; evaluateNow?(): Promise<void>; checkpointProvenance(): Record<string, unknown> }): Promise<void>;
  /** Saves the finished model into the job's model folder (its licence, run name and storage precision are the job's). */
  saveModel(model: FinishedModel): Promise<void>;
}

/** A family's training task: the engine task under its job kind, with that task's validated params. */
export type TrainingTask<Params = never, Result = unknown> = (params: Params, host: TrainingHost) => Promise<Result>;

/** Images [n, r, r, 3] in about [-1, 1] (disposed here) as RGB rows of `columns` for a sample grid, and their side. */
export function seedGridRows(images: tf.Tensor4D, columns: number): { rows: Uint8Array[][]; size: number } {
  const [count, resolution] = images.shape;
  const pixels = signedToRgb(images.dataSync());
  images.dispose();
  const size = resolution * resolution * 3;
  const rows = Array.from({ length: Math.ceil(count / columns) }, (_, r) =>
    Array.from({ length: Math.min(columns, count - r * columns) }, (_, c) => pixels.subarray((r * columns + c) * size, (r * columns + c + 1) * size)),
  );
  return { rows, size: resolution };
}

/** The training images of an unconditional GAN (StyleGAN2, PGGAN); what was skipped or adapted is streamed as a 'dataset' item. */
export async function readTrainingImages(host: TrainingHost, options: { dataDir: string; resolution: number; heldOutFraction: number; seed: number; margin?: number | undefined }): Promise<ImageFolder> {
  const data = await host.readImageFolder(options);
  host.emit({ kind: 'dataset', train: data.train.length, test: data.test.length, skipped: data.skipped, notices: data.notices });
  return data;
}

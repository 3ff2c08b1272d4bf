// The pix2pix training loop (junyanz train.py): shuffled epochs of augmented pairs, the linear lr schedule, exact resume.
import * as tf from '@tensorflow/tfjs-core';
import type { AdamState } from '../common/adam.js';
import { centreCropRgb } from '../common/crop-and-flip.js';
import type { PairAugmenter, PairedDataset, RgbPair } from '../common/datasets.js';
import type { HostTensor } from '../common/host-tensor.js';
import { signedBatch } from '../common/image-batch.js';
import { EpochSchedule, linearDecayLearningRate, linearDecayTotalSteps, stepsPerEpoch, type EpochPosition } from '../common/linear-decay.js';
import { seededTrainMode } from '../common/mode.js';
import { disposeParams, namedVariables } from '../common/param-tree.js';
import { checkSameConfig, copyVariables, restoredRun, restoreVariables } from '../common/variable-snapshot.js';
import { seededRandom, type RandomState, type SeededRandom } from '../common/seeded-random.js';
import type { Pix2pixConfig } from './config.js';
import { createPix2pix, pix2pixInferenceMode, unetGenerator, type Pix2pixModel } from './networks.js';
import { createPix2pixTrainer, type Pix2pixLosses, type Pix2pixTrainer } from './train-step.js';

/** Batches per epoch: every pair once, the last batch smaller when the batch size does not divide the dataset. */
export function pix2pixStepsPerEpoch(config: Pix2pixConfig, datasetLength: number): number {
  return stepsPerEpoch(datasetLength, config.batchSize);
}

/** Steps of the whole run: `epochs` at the initial rate, then `epochsDecay` decaying. */
export function pix2pixTotalSteps(config: Pix2pixConfig, datasetLength: number): number {
  return linearDecayTotalSteps(config, pix2pixStepsPerEpoch(config, datasetLength));
}

/** α for the update at `step`: the reference's linear policy (models/common/linear-decay.ts). */
export const pix2pixLearningRate: (config: Pix2pixConfig, step: number, stepsPerEpoch: number) => number = linearDecayLearningRate;

/**
 * Where a run stands (its epoch position: models/common/linear-decay.ts) and the random streams' states: plain JSON,
 * the `state.json` of a checkpoint.
 */
export interface Pix2pixRunState extends EpochPosition {
  seed: number; // the run's seed (weight init when the config sets none, and the random streams)
  datasetLength: number; // pairs in the training set: a checkpoint resumes only on the same data
  random: { data: RandomState; augment: RandomState; dropout: RandomState };
}

/** Everything needed to continue a run exactly. The tensors are host copies: a snapshot outlives the run's variables. */
export interface Pix2pixSnapshot {
  family: 'pix2pix';
  config: Pix2pixConfig;
  state: Pix2pixRunState;
  /** Every variable of G and D by path (`generator.levels.0.down.conv.filter`), batch-norm running statistics included. */
  weights: Map<string, HostTensor>;
  /** Adam of each network, moments keyed by the same paths. */
  optimizers: { generator: AdamState; discriminator: AdamState };
}

/** One step's outcome: the losses, and the position and rate it ran at. */
export interface Pix2pixStepReport {
  step: number; // updates done, this one included (1 after the first)
  epoch: number; // 0-based epoch this batch belonged to
  learningRate: number; // α of this update, both networks
  losses: Pix2pixLosses;
}

/** Held-out quality of G as the studio runs it (pix2pixInferenceMode: each image's own statistics, no dropout), means over the test pairs. */
export interface Pix2pixEvaluation {
  l1: number; // mean |G(A) − B| in [-1, 1] units (the training L1 term, before λ)
  psnr: number; // mean per-pair PSNR in dB of G(A) against B as [0, 1] images (an exact match counts as 100 dB)
  pairs: number;
}

/** Cuts the centred `crop × crop` square out of an HWC RGB pair (test pairs, and training without an augmenter). */
export function centreCrop(pair: RgbPair, crop: number): RgbPair {
  if (pair.size < crop) throw new Error(`pix2pix: a ${pair.size} px pair is smaller than the ${crop} px crop`);
  return { a: centreCropRgb(pair.a, pair.size, crop), b: centreCropRgb(pair.b, pair.size, crop), size: crop };
}

/** uint8 RGB pairs → A and B [n, S, S, 3] in [-1, 1]. */
function pairsToTensors(pairs: RgbPair[], size: number): { a: tf.Tensor4D; b: tf.Tensor4D } {
  const wrong = pairs.find((pair) => pair.size !== size);
  if (wrong !== undefined) throw new Error(`pix2pix: a training pair is ${wrong.size} px, the model takes ${size} px`);
  return { a: signedBatch(pairs.map((p) => p.a), size), b: signedBatch(pairs.map((p) => p.b), size) };
}

interface Streams {
  data: SeededRandom; // one permutation of the pairs per epoch
  augment: SeededRandom; // crops, flips… of the augmenter
  dropout: SeededRandom; // one seed per dropout mask
}

const streamsFromSeed = (seed: number): Streams => ({
  data: seededRandom(`pix2pix/${seed}/data`),
  augment: seededRandom(`pix2pix/${seed}/augment`),
  dropout: seededRandom(`pix2pix/${seed}/dropout`),
});

/**
 * A pix2pix training run over a paired dataset. Every random draw comes from three seeded streams (data order,
 * augmentation, dropout) whose states are part of `snapshot()`, so `restore` — in this process or a fresh one —
 * continues with exactly the updates the uninterrupted run would have made.
 */
export class Pix2pixRun {
  readonly model: Pix2pixModel;
  readonly #dataset: PairedDataset;
  readonly #augment: PairAugmenter | null;
  readonly #trainer: Pix2pixTrainer;
  readonly #schedule: EpochSchedule;
  #state: Omit<Pix2pixRunState, 'random'>;
  #streams: Streams;

  private constructor(config: Pix2pixConfig, dataset: PairedDataset, augment: PairAugmenter | null, seed: number) {
    if (dataset.length === 0) throw new Error('pix2pix: the training set is empty');
    if (!Number.isInteger(seed)) throw new Error(`pix2pix: the run seed must be an integer, got ${seed}`);
    // Weights are initialised from the config's seed, else the run's: a seeded run is reproducible end to end.
    this.model = createPix2pix({ ...config, seed: config.seed ?? seed });
    this.#dataset = dataset;
    this.#augment = augment;
    this.#schedule = new EpochSchedule(config, dataset.length);
    this.#streams = streamsFromSeed(seed);
    this.#state = { seed, datasetLength: dataset.length, ...this.#schedule.start() };
    // The dropout seeds are read through `this`, so a restore that replaces the streams reaches the masks too.
    this.#trainer = createPix2pixTrainer(this.model, { mode: seededTrainMode(() => this.#streams.dropout.seed()) });
  }

  /** A fresh run: networks initialised from `config.seed ?? seed`, streams seeded by `seed`. `augment` null: centre crops. */
  static create(config: Pix2pixConfig, dataset: PairedDataset, augment: PairAugmenter | null, seed: number): Pix2pixRun {
    return new Pix2pixRun(config, dataset, augment, seed);
  }

  /** A run rebuilt from a snapshot (e.g. a checkpoint read in a fresh process), ready to take the next step. */
  static async resume(snapshot: Pix2pixSnapshot, dataset: PairedDataset, augment: PairAugmenter | null): Promise<Pix2pixRun> {
    const run = new Pix2pixRun(snapshot.config, dataset, augment, snapshot.state.seed);
    return restoredRun(run, snapshot);
  }

  get config(): Pix2pixConfig {
    return this.model.config;
  }

  /** Updates done so far. */
  get stepCount(): number {
    return this.#state.step;
  }

  get epoch(): number {
    return this.#state.epoch;
  }

  get stepsPerEpoch(): number {
    return this.#schedule.stepsPerEpoch;
  }

  get totalSteps(): number {
    return this.#schedule.totalSteps;
  }

  get done(): boolean {
    return this.#state.step >= this.totalSteps;
  }

  /** One update of G then D on the next batch, at the schedule's rate. Leaves no tensors behind. */
  step(): Pix2pixStepReport {
    if (this.done) throw new Error(`pix2pix: the run is complete (${this.totalSteps} steps)`);
    const state = this.#state;
    const { imageSize } = this.config;
    // A new epoch draws its order first (the DataLoader's shuffle=True), then the batch takes the next indices.
    const indices = this.#schedule.nextBatch(state, (n) => this.#streams.data.permutation(n));
    const pairs = indices.map((i) => {
      const pair = this.#dataset.read(i);
      return this.#augment === null ? centreCrop(pair, imageSize) : this.#augment(pair, imageSize, this.#streams.augment);
    });
    const learningRate = this.#schedule.learningRate(state);
    this.#trainer.optimizers.generator.setLearningRate(learningRate);
    this.#trainer.optimizers.discriminator.setLearningRate(learningRate);
    const { a, b } = pairsToTensors(pairs, imageSize);
    let losses: Pix2pixLosses;
    try {
      losses = this.#trainer.step(a, b);
    } finally {
      tf.dispose([a, b]);
    }
    const epoch = this.#schedule.advance(state, indices.length, learningRate);
    return { step: state.step, epoch, learningRate, losses };
  }

  /** A host copy of the weights, the optimizers and the position: enough to continue exactly, here or elsewhere. */
  async snapshot(): Promise<Pix2pixSnapshot> {
    const { generator, discriminator } = this.model;
    const weights = copyVariables(this.#variables());
    const s = this.#state;
    return {
      family: 'pix2pix',
      config: structuredClone(this.config),
      state: {
        ...s,
        permutation: s.permutation === null ? null : [...s.permutation],
        random: { data: this.#streams.data.state(), augment: this.#streams.augment.state(), dropout: this.#streams.dropout.state() },
      },
      weights,
      optimizers: {
        generator: await this.#trainer.optimizers.generator.exportState(namedVariables(generator, 'generator')),
        discriminator: await this.#trainer.optimizers.discriminator.exportState(namedVariables(discriminator, 'discriminator')),
      },
    };
  }

  /** Puts this run where `snapshot` was. The snapshot must come from a run of the same config on a dataset of the same length. */
  async restore(snapshot: Pix2pixSnapshot): Promise<void> {
    if (snapshot.family !== 'pix2pix') throw new Error(`pix2pix: cannot restore a ${String(snapshot.family)} snapshot`);
    checkSameConfig('pix2pix', this.config, snapshot.config);
    const { state } = snapshot;
    if (state.datasetLength !== this.#dataset.length) {
      throw new Error(`pix2pix: the snapshot was trained on ${state.datasetLength} pairs, this dataset has ${this.#dataset.length}`);
    }
    restoreVariables('pix2pix', this.#variables(), snapshot.weights);
    const { generator, discriminator } = this.model;
    await this.#trainer.optimizers.generator.importState(snapshot.optimizers.generator, namedVariables(generator, 'generator'));
    await this.#trainer.optimizers.discriminator.importState(snapshot.optimizers.discriminator, namedVariables(discriminator, 'discriminator'));
    const { random, ...position } = state;
    this.#streams = { data: seededRandom(random.data), augment: seededRandom(random.augment), dropout: seededRandom(random.dropout) };
    this.#state = { ...position, permutation: position.permutation === null ? null : [...position.permutation] };
  }

  /** L1 and PSNR of G(A) against B over `testDataset` (centre crops, one pair at a time), G in inference mode. */
  evaluate(testDataset: PairedDataset): Pix2pixEvaluation {
    const { imageSize } = this.config;
    let l1Sum = 0;
    let psnrSum = 0;
    for (let i = 0; i < testDataset.length; i++) {
      const { a, b } = pairsToTensors([centreCrop(testDataset.read(i), imageSize)], imageSize);
      const errors = tf.tidy(() => {
        const diff = tf.sub(unetGenerator(this.model.generator, a, pix2pixInferenceMode), b);
        return tf.stack([tf.mean(tf.abs(diff)), tf.mean(tf.square(diff))]);
      });
      const [l1, mse] = errors.dataSync() as unknown as [number, number];
      tf.dispose([a, b, errors]);
      l1Sum += l1;
      // [-1, 1] has range 2, so MSE/4 is the MSE of the [0, 1] images: PSNR = 10 log₁₀(1 / (MSE/4)).
      psnrSum += mse === 0 ? 100 : Math.min(100, 10 * Math.log10(4 / mse));
    }
    const pairs = testDataset.length;
    return { l1: pairs === 0 ? NaN : l1Sum / pairs, psnr: pairs === 0 ? NaN : psnrSum / pairs, pairs };
  }

  /** Frees the networks and the optimizers' state. */
  dispose(): void {
    this.#trainer.dispose();
    disposeParams(this.model);
  }

  /** G and D's variables by the paths snapshots use. */
  #variables(): Map<string, tf.Variable> {
    return new Map([...namedVariables(this.model.generator, 'generator'), ...namedVariables(this.model.discriminator, 'discriminator')]);
  }
}

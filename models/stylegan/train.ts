// The StyleGAN2 training loop (stylegan2-ada-pytorch training_loop.py): shuffled, optionally mirrored epochs of real
// images, Gmain/Dmain every iteration, lazy R1 every dRegInterval-th, the generator EMA after each, exact resume.
import * as tf from '@tensorflow/tfjs-core';
import type { AdamState } from '../common/adam.js';
import type { ImageDataset } from '../common/datasets.js';
import type { HostTensor } from '../common/host-tensor.js';
import { rgbToSigned } from '../common/image-tensor.js';
import { seededTrainMode } from '../common/mode.js';
import { seedLatent } from '../common/numpy-random-state.js';
import { disposeParams, namedVariables } from '../common/param-tree.js';
import { seededRandom, type RandomState, type SeededRandom } from '../common/seeded-random.js';
import { checkSameConfig, copyVariables, restoredRun, restoreVariables } from '../common/variable-snapshot.js';
import type { StyleGAN2Config } from './config.js';
import { createGenerator, createStyleGAN2, generator as runGenerator, type GeneratorWeights, type StyleGAN2Model } from './networks.js';
import { createStyleGAN2Trainer, emaBeta, updateGeneratorEma, type StyleGAN2Losses, type StyleGAN2Trainer } from './train-step.js';

/** How long and on what a run trains; the networks' settings are the StyleGAN2Config. */
export interface StyleGAN2RunOptions {
  totalKimg: number; // thousands of real images shown to D (the reference's --kimg)
  mirror: boolean; // x-flips as extra images (--mirror=1): each epoch shows every image and its mirror once
}

/** Where a run stands and its random streams' states: plain JSON, the `state.json` of a checkpoint. */
export interface StyleGAN2RunState {
  seed: number;
  datasetLength: number; // images in the training set (before mirroring): a checkpoint resumes only on the same data
  totalKimg: number;
  mirror: boolean;
  step: number; // iterations done; images shown = step · batchSize
  epoch: number;
  cursor: number; // position in `permutation` of the next batch's first image
  permutation: number[] | null; // this epoch's order (indices ≥ datasetLength are mirrored images); null until drawn
  random: { data: RandomState; latents: RandomState };
}

export interface StyleGAN2Snapshot {
  family: 'stylegan2';
  config: StyleGAN2Config;
  state: StyleGAN2RunState;
  /** generator.…, generatorEma.… and discriminator.… by path, w̄ and the constant noise images included. */
  weights: Map<string, HostTensor>;
  optimizers: { generator: AdamState; discriminator: AdamState };
}

export interface StyleGAN2StepReport {
  step: number; // iterations done, this one included
  epoch: number;
  kimg: number; // thousands of real images shown so far
  losses: StyleGAN2Losses;
}

interface Streams {
  data: SeededRandom; // one permutation of the (mirrored) images per epoch
  latents: SeededRandom; // every z, noise image and mixing draw of the training forward passes
}

const streamsFromSeed = (seed: number): Streams => ({ data: seededRandom(`stylegan2/${seed}/data`), latents: seededRandom(`stylegan2/${seed}/latents`) });

/** HWC RGB uint8 mirrored left to right. */
function mirrorImage(rgb: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out.set(rgb.subarray((y * size + x) * 3, (y * size + x) * 3 + 3), (y * size + size - 1 - x) * 3);
  }
  return out;
}

/**
 * A StyleGAN2 training run. G, D and G_ema are initialised from `config.seed ?? seed`; the data order and every latent
 * come from two seeded streams whose states are part of `snapshot()`, so `resume` continues exactly.
 */
export class StyleGAN2Run {
  readonly model: StyleGAN2Model;
  /** G_ema: what samples, exports and the studio's generation use (training_loop.py's G_ema). */
  readonly generatorEma: GeneratorWeights;
  readonly #dataset: ImageDataset;
  readonly #trainer: StyleGAN2Trainer;
  #state: Omit<StyleGAN2RunState, 'random'>;
  #streams: Streams;

  private constructor(config: StyleGAN2Config, dataset: ImageDataset, options: StyleGAN2RunOptions, seed: number) {
    if (dataset.length === 0) throw new Error('stylegan2: the training set is empty');
    if (dataset.size !== config.resolution) throw new Error(`stylegan2: the images are ${dataset.size} px, the model makes ${config.resolution} px`);
    if (!Number.isInteger(seed)) throw new Error(`stylegan2: the run seed must be an integer, got ${seed}`);
    if (!(options.totalKimg > 0)) throw new Error(`stylegan2: totalKimg must be positive, got ${options.totalKimg}`);
    const seeded = { ...config, seed: config.seed ?? seed };
    this.model = createStyleGAN2(seeded);
    this.generatorEma = createGenerator(seeded);
    updateGeneratorEma(this.generatorEma, this.model.generator, 0);
    this.#dataset = dataset;
    this.#streams = streamsFromSeed(seed);
    this.#state = { seed, datasetLength: dataset.length, totalKimg: options.totalKimg, mirror: options.mirror, step: 0, epoch: 0, cursor: 0, permutation: null };
    this.#trainer = createStyleGAN2Trainer(this.model, { mode: seededTrainMode(() => this.#streams.latents.seed()) });
  }

  static create(config: StyleGAN2Config, dataset: ImageDataset, options: StyleGAN2RunOptions, seed: number): StyleGAN2Run {
    return new StyleGAN2Run(config, dataset, options, seed);
  }

  /** A run rebuilt from a snapshot (e.g. a checkpoint read in a fresh process), ready for its next iteration. */
  static async resume(snapshot: StyleGAN2Snapshot, dataset: ImageDataset): Promise<StyleGAN2Run> {
    const { totalKimg, mirror, seed } = snapshot.state;
    const run = new StyleGAN2Run(snapshot.config, dataset, { totalKimg, mirror }, seed);
    return restoredRun(run, snapshot);
  }

  /**
   * A new run on `dataset` whose networks start from trained ones (`weights`: generator.…, generatorEma.… and
   * discriminator.… by path, as a snapshot holds them): transfer learning, as stylegan2-ada-pytorch's train.py
   * --resume=PKL does it. G, D and G_ema (w̄ and the constant noise included) are copied; the optimisers, the step count,
   * the data order and the latent stream start afresh, so the images, their number, the batch, R1 and the length may
   * all differ. The networks' shapes must match (`restoreVariables` names the first that does not).
   */
  static fineTune(weights: ReadonlyMap<string, HostTensor>, config: StyleGAN2Config, dataset: ImageDataset, options: StyleGAN2RunOptions, seed: number): StyleGAN2Run {
    const run = new StyleGAN2Run(config, dataset, options, seed);
    try {
      restoreVariables('stylegan2', run.#variables(), weights);
    } catch (err) {
      run.dispose();
      throw err;
    }
    return run;
  }

  get config(): StyleGAN2Config {
    return this.model.config;
  }

  get stepCount(): number {
    return this.#state.step;
  }

  /** Iterations of the whole run: totalKimg thousand images in batches. */
  get totalSteps(): number {
    return Math.ceil((this.#state.totalKimg * 1000) / this.config.batchSize);
  }

  get done(): boolean {
    return this.#state.step >= this.totalSteps;
  }

  get kimg(): number {
    return (this.#state.step * this.config.batchSize) / 1000;
  }

  /** One iteration: the next batch of reals, Gmain, Dmain, Dreg when due, then G_ema. Leaves no tensors behind. */
  step(): StyleGAN2StepReport {
    if (this.done) throw new Error(`stylegan2: the run is complete (${this.totalSteps} iterations)`);
    const state = this.#state;
    const { batchSize, resolution, dRegInterval } = this.config;
    const epochLength = this.#dataset.length * (state.mirror ? 2 : 1);
    // Batches run across epoch ends (the reference samples an endless stream): a new order is drawn as one runs out.
    const images: Uint8Array[] = [];
    const epoch = state.epoch;
    while (images.length < batchSize) {
      state.permutation ??= this.#streams.data.permutation(epochLength);
      const index = state.permutation[state.cursor]!;
      const image = this.#dataset.read(index % this.#dataset.length);
      images.push(index >= this.#dataset.length ? mirrorImage(image, resolution) : image);
      state.cursor++;
      if (state.cursor >= epochLength) {
        state.epoch++;
        state.cursor = 0;
        state.permutation = null;
      }
    }
    const pixels = resolution * resolution * 3;
    const batch = new Float32Array(batchSize * pixels);
    images.forEach((image, n) => rgbToSigned(image, batch, n * pixels));
    const reals = tf.tensor4d(batch, [batchSize, resolution, resolution, 3]);
    let losses: StyleGAN2Losses;
    try {
      // Dreg runs on iterations 0, 16, 32, … as the reference's `batch_idx % interval == 0`.
      losses = this.#trainer.step(reals, state.step % dRegInterval === 0);
    } finally {
      reals.dispose();
    }
    updateGeneratorEma(this.generatorEma, this.model.generator, emaBeta(this.config, state.step * batchSize));
    state.step++;
    return { step: state.step, epoch, kimg: this.kimg, losses };
  }

  /** G_ema's images for `seeds` (z = numpy RandomState(seed).randn(zDim)), ψ 1, constant noise: [n, res, res, 3] in about [-1, 1]. */
  sample(seeds: readonly number[]): tf.Tensor4D {
    const { zDim } = this.config;
    return tf.tidy(() => {
      const z = tf.tensor2d(seeds.flatMap((seed) => [...seedLatent(seed, zDim)]), [seeds.length, zDim]);
      return runGenerator(this.generatorEma, z, { training: false }, { noiseMode: 'const' });
    });
  }

  async snapshot(): Promise<StyleGAN2Snapshot> {
    const s = this.#state;
    const { generator, discriminator } = this.model;
    return {
      family: 'stylegan2',
      config: structuredClone(this.config),
      state: {
        ...s,
        permutation: s.permutation === null ? null : [...s.permutation],
        random: { data: this.#streams.data.state(), latents: this.#streams.latents.state() },
      },
      weights: copyVariables(this.#variables()),
      optimizers: {
        generator: await this.#trainer.optimizers.generator.exportState(namedVariables(generator, 'generator')),
        discriminator: await this.#trainer.optimizers.discriminator.exportState(namedVariables(discriminator, 'discriminator')),
      },
    };
  }

  /** Puts this run where `snapshot` was: same config (but the init seed), same dataset length. */
  async restore(snapshot: StyleGAN2Snapshot): Promise<void> {
    if (snapshot.family !== 'stylegan2') throw new Error(`stylegan2: cannot restore a ${String(snapshot.family)} snapshot`);
    checkSameConfig('stylegan2', this.config, snapshot.config);
    const { random, ...position } = snapshot.state;
    if (position.datasetLength !== this.#dataset.length) {
      throw new Error(`stylegan2: the snapshot was trained on ${position.datasetLength} images, this dataset has ${this.#dataset.length}`);
    }
    restoreVariables('stylegan2', this.#variables(), snapshot.weights);
    const { generator, discriminator } = this.model;
    await this.#trainer.optimizers.generator.importState(snapshot.optimizers.generator, namedVariables(generator, 'generator'));
    await this.#trainer.optimizers.discriminator.importState(snapshot.optimizers.discriminator, namedVariables(discriminator, 'discriminator'));
    this.#streams = { data: seededRandom(random.data), latents: seededRandom(random.latents) };
    this.#state = { ...position, permutation: position.permutation === null ? null : [...position.permutation] };
  }

  dispose(): void {
    this.#trainer.dispose();
    disposeParams(this.model);
    disposeParams(this.generatorEma);
  }

  #variables(): Map<string, tf.Variable> {
    return new Map([
      ...namedVariables(this.model.generator, 'generator'),
      ...namedVariables(this.generatorEma, 'generatorEma'),
      ...namedVariables(this.model.discriminator, 'discriminator'),
    ]);
  }
}

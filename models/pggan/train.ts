// The PGGAN training loop (progressive_growing_of_gans train.py and loss.py): WGAN-GP with the drift term, the
// resolution schedule with fade-in, Adam reset at each new resolution, Gs as an EMA of G, exact resume.
import * as tf from '@tensorflow/tfjs-core';
import '../common/comparison-gradients.js';
import { createAdam, type Adam, type AdamState } from '../common/adam.js';
import type { ImageDataset } from '../common/datasets.js';
import type { HostTensor } from '../common/host-tensor.js';
import { rgbToSigned } from '../common/image-tensor.js';
import { seedLatent } from '../common/numpy-random-state.js';
import { disposeParams, namedVariables, trainableVariables } from '../common/param-tree.js';
import { seededRandom, type RandomState, type SeededRandom } from '../common/seeded-random.js';
import { checkSameConfig, copyVariables, restoredRun, restoreVariables } from '../common/variable-snapshot.js';
import { growthAt, type PGGANConfig } from './config.js';
import { createPGGAN, createPGGANGenerator, pgganDiscriminator, pgganGenerator, type Growth, type PGGANGeneratorWeights, type PGGANModel } from './networks.js';

export interface PGGANLosses {
  gLoss: number; // −D(G(z)), the WGAN generator loss
  dLoss: number; // D(G(z)) − D(x) + λ·GP + ε·D(x)², the whole critic loss
  wasserstein: number; // D(x) − D(G(z)): the critic's estimate of the distance; should shrink as G improves
  gradientPenalty: number; // (‖∇D(x̂)‖ − 1)², before λ
  resolution: number;
  alpha: number;
}

export interface PGGANRunState {
  seed: number;
  datasetLength: number;
  totalKimg: number;
  step: number; // iterations (each one D and one G update)
  imagesSeen: number; // real images shown to D: the schedule's clock
  optimizerResolution: number; // the resolution the optimizers' moments belong to (reset when it changes)
  cursor: number;
  permutation: number[] | null;
  random: { data: RandomState; latents: RandomState };
}

export interface PGGANSnapshot {
  family: 'pggan';
  config: PGGANConfig;
  state: PGGANRunState;
  weights: Map<string, HostTensor>; // generator.…, generatorEma.…, discriminator.…
  optimizers: { generator: AdamState; discriminator: AdamState };
}

/** Reals at the training resolution: box-filtered down from the dataset's size (the reference's downscale2d), [-1, 1]. */
function realsAt(images: Uint8Array[], size: number, resolution: number): tf.Tensor4D {
  const pixels = size * size * 3;
  const batch = new Float32Array(images.length * pixels);
  images.forEach((image, n) => rgbToSigned(image, batch, n * pixels));
  return tf.tidy(() => {
    const full = tf.tensor4d(batch, [images.length, size, size, 3]);
    return size === resolution ? full : tf.avgPool(full, size / resolution, size / resolution, 'valid');
  });
}

export class PGGANRun {
  readonly model: PGGANModel;
  readonly generatorEma: PGGANGeneratorWeights; // Gs: what samples and the saved model use
  readonly #dataset: ImageDataset;
  #state: Omit<PGGANRunState, 'random'>;
  #streams: { data: SeededRandom; latents: SeededRandom };
  #optG: Adam;
  #optD: Adam;

  private constructor(config: PGGANConfig, dataset: ImageDataset, totalKimg: number, seed: number) {
    if (dataset.length === 0) throw new Error('pggan: the training set is empty');
    if (dataset.size !== config.resolution) throw new Error(`pggan: the images are ${dataset.size} px, the model makes ${config.resolution} px`);
    const seeded = { ...config, seed: config.seed ?? seed };
    this.model = createPGGAN(seeded);
    this.generatorEma = createPGGANGenerator(seeded);
    this.#copyToEma(0);
    this.#dataset = dataset;
    this.#streams = { data: seededRandom(`pggan/${seed}/data`), latents: seededRandom(`pggan/${seed}/latents`) };
    this.#state = { seed, datasetLength: dataset.length, totalKimg, step: 0, imagesSeen: 0, optimizerResolution: 4, cursor: 0, permutation: null };
    [this.#optG, this.#optD] = this.#createOptimizers();
  }

  static create(config: PGGANConfig, dataset: ImageDataset, totalKimg: number, seed: number): PGGANRun {
    return new PGGANRun(config, dataset, totalKimg, seed);
  }

  static async resume(snapshot: PGGANSnapshot, dataset: ImageDataset): Promise<PGGANRun> {
    const run = new PGGANRun(snapshot.config, dataset, snapshot.state.totalKimg, snapshot.state.seed);
    return restoredRun(run, snapshot);
  }

  get config(): PGGANConfig {
    return this.model.config;
  }

  get stepCount(): number {
    return this.#state.step;
  }

  get totalSteps(): number {
    return Math.ceil((this.#state.totalKimg * 1000) / this.config.batchSize);
  }

  get done(): boolean {
    return this.#state.step >= this.totalSteps;
  }

  /** The resolution and fade-in of the next iteration. */
  get growth(): Growth {
    return growthAt(this.config, this.#state.imagesSeen / 1000);
  }

  step(): PGGANLosses {
    if (this.done) throw new Error(`pggan: the run is complete (${this.totalSteps} iterations)`);
    const state = this.#state;
    const { batchSize, latentSize, wganLambda, wganEpsilon, wganTarget } = this.config;
    const growth = this.growth;
    // reset_opt_for_new_lod: a new resolution starts with fresh Adam moments.
    if (growth.resolution !== state.optimizerResolution) {
      this.#optG.dispose();
      this.#optD.dispose();
      [this.#optG, this.#optD] = this.#createOptimizers();
      state.optimizerResolution = growth.resolution;
    }
    const images: Uint8Array[] = [];
    while (images.length < batchSize) {
      state.permutation ??= this.#streams.data.permutation(this.#dataset.length);
      images.push(this.#dataset.read(state.permutation[state.cursor]!));
      if (++state.cursor >= this.#dataset.length) {
        state.cursor = 0;
        state.permutation = null;
      }
    }
    const reals = realsAt(images, this.#dataset.size, growth.resolution);
    const seeds = this.#streams.latents;
    const { generator, discriminator } = this.model;
    const G = (z: tf.Tensor2D): tf.Tensor4D => pgganGenerator(generator, z, growth);
    const D = (x: tf.Tensor4D): tf.Tensor2D => pgganDiscriminator(discriminator, x, growth);
    const kept: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      kept.push(tf.keep(t));
      return t;
    };
    try {
      const values = tf.tidy(() => {
        // D first (train.py runs D_repeats 1 critic update, then G): WGAN-GP with the drift term.
        const zD = tf.randomNormal([batchSize, latentSize], 0, 1, 'float32', seeds.seed()) as tf.Tensor2D;
        const fakes = G(zD);
        const mix = tf.randomUniform([batchSize, 1, 1, 1], 0, 1, 'float32', seeds.seed());
        const mixed = tf.add(reals, tf.mul(tf.sub(fakes, reals), mix)) as tf.Tensor4D;
        let dLoss: tf.Scalar | undefined;
        let wasserstein: tf.Scalar | undefined;
        let penalty: tf.Scalar | undefined;
        this.#optD.minimize(() => {
          const realScores = D(reals);
          const fakeScores = D(fakes);
          const gradients = tf.grad((x: tf.Tensor) => tf.sum(D(x as tf.Tensor4D)))(mixed);
          const norms = tf.sqrt(tf.add(tf.sum(tf.square(gradients), [1, 2, 3]), 1e-12));
          const gp = tf.mean(tf.square(tf.sub(norms, wganTarget)));
          penalty = keep(gp as tf.Scalar);
          wasserstein = keep(tf.sub(tf.mean(realScores), tf.mean(fakeScores)) as tf.Scalar);
          const loss = tf.addN([tf.neg(wasserstein), tf.mul(gp, wganLambda / wganTarget ** 2), tf.mul(tf.mean(tf.square(realScores)), wganEpsilon)]) as tf.Scalar;
          dLoss = keep(loss);
          return loss;
        }, trainableVariables(discriminator));
        let gLoss: tf.Scalar | undefined;
        const zG = tf.randomNormal([batchSize, latentSize], 0, 1, 'float32', seeds.seed()) as tf.Tensor2D;
        this.#optG.minimize(() => {
          gLoss = keep(tf.neg(tf.mean(D(G(zG)))));
          return gLoss;
        }, trainableVariables(generator));
        return tf.stack([gLoss!, dLoss!, wasserstein!, penalty!]).dataSync();
      });
      this.#copyToEma(this.config.gSmoothingBeta);
      state.step++;
      state.imagesSeen += batchSize;
      return { gLoss: values[0]!, dLoss: values[1]!, wasserstein: values[2]!, gradientPenalty: values[3]!, ...growth };
    } finally {
      tf.dispose([reals, ...kept]);
    }
  }

  /** Gs's images for `seeds` (z = numpy RandomState(seed).randn) at the current growth: [n, r, r, 3]. */
  sample(seeds: readonly number[], growth: Growth = this.growth): tf.Tensor4D {
    const { latentSize } = this.config;
    return tf.tidy(() => pgganGenerator(this.generatorEma, tf.tensor2d(seeds.flatMap((s) => [...seedLatent(s, latentSize)]), [seeds.length, latentSize]), growth));
  }

  async snapshot(): Promise<PGGANSnapshot> {
    const s = this.#state;
    const { generator, discriminator } = this.model;
    return {
      family: 'pggan',
      config: structuredClone(this.config),
      state: { ...s, permutation: s.permutation === null ? null : [...s.permutation], random: { data: this.#streams.data.state(), latents: this.#streams.latents.state() } },
      weights: copyVariables(this.#variables()),
      optimizers: {
        generator: await this.#optG.exportState(namedVariables(generator, 'generator')),
        discriminator: await this.#optD.exportState(namedVariables(discriminator, 'discriminator')),
      },
    };
  }

  async restore(snapshot: PGGANSnapshot): Promise<void> {
    if (snapshot.family !== 'pggan') throw new Error(`pggan: cannot restore a ${String(snapshot.family)} snapshot`);
    checkSameConfig('pggan', this.config, snapshot.config);
    const { random, ...position } = snapshot.state;
    if (position.datasetLength !== this.#dataset.length) throw new Error(`pggan: the snapshot was trained on ${position.datasetLength} images, this dataset has ${this.#dataset.length}`);
    restoreVariables('pggan', this.#variables(), snapshot.weights);
    const { generator, discriminator } = this.model;
    await this.#optG.importState(snapshot.optimizers.generator, namedVariables(generator, 'generator'));
    await this.#optD.importState(snapshot.optimizers.discriminator, namedVariables(discriminator, 'discriminator'));
    this.#streams = { data: seededRandom(random.data), latents: seededRandom(random.latents) };
    this.#state = { ...position, permutation: position.permutation === null ? null : [...position.permutation] };
  }

  dispose(): void {
    this.#optG.dispose();
    this.#optD.dispose();
    disposeParams(this.model);
    disposeParams(this.generatorEma);
  }

  #createOptimizers(): [Adam, Adam] {
    const { learningRate, beta1, beta2, epsilon } = this.config;
    return [createAdam({ learningRate, beta1, beta2, epsilon }), createAdam({ learningRate, beta1, beta2, epsilon })];
  }

  /** Gs ← lerp(G, Gs, β) (tfutil Network.setup_as_moving_average_of); β 0 copies. */
  #copyToEma(beta: number): void {
    const source = namedVariables(this.model.generator);
    for (const [path, target] of namedVariables(this.generatorEma)) {
      const from = source.get(path)!;
      tf.tidy(() => target.assign(beta === 0 ? from : tf.add(from, tf.mul(tf.sub(target, from), beta))));
    }
  }

  #variables(): Map<string, tf.Variable> {
    return new Map([
      ...namedVariables(this.model.generator, 'generator'),
      ...namedVariables(this.generatorEma, 'generatorEma'),
      ...namedVariables(this.model.discriminator, 'discriminator'),
    ]);
  }
}

// The CycleGAN training loop (junyanz train.py over data/unaligned_dataset.py): epochs over the larger domain, each
// image met by a random partner from the other, image pools for both D, the linear lr schedule, and exact resume.
import * as tf from '@tensorflow/tfjs-core';
import type { AdamState } from '../common/adam.js';
import { centreCropRgb, type ImageAugmenter } from '../common/crop-and-flip.js';
import type { ImageDataset } from '../common/datasets.js';
import type { HostTensor } from '../common/host-tensor.js';
import { signedBatch } from '../common/image-batch.js';
import { ImagePool } from '../common/image-pool.js';
import { signedToRgb } from '../common/image-tensor.js';
import { EpochSchedule, type EpochPosition } from '../common/linear-decay.js';
import { evalMode } from '../common/mode.js';
import { disposeParams, namedVariables } from '../common/param-tree.js';
import { seededRandom, type RandomState, type SeededRandom } from '../common/seeded-random.js';
import { checkSameConfig, copyVariables, restoredRun, restoreVariables } from '../common/variable-snapshot.js';
import type { CycleganConfig } from './config.js';
import { createCyclegan, cycleganParts, resnetGenerator, type CycleganModel, type ResnetGeneratorWeights } from './networks.js';
import { createCycleganTrainer, type CycleganLosses, type CycleganTrainer } from './train-step.js';

/** The two unpaired image sets, each stored at one size ≥ the model's (RGB HWC uint8); their lengths may differ. */
export interface UnpairedDatasets {
  a: ImageDataset;
  b: ImageDataset;
}

/** Which generator to run: G_A (A → B) or G_B (B → A). */
export type TranslationDirection = 'AtoB' | 'BtoA';

/**
 * Where a run stands and the random streams' states: plain JSON, the `state.json` of a checkpoint. Its epochs run over
 * max(lengthA, lengthB) indices (the position: models/common/linear-decay.ts).
 */
export interface CycleGANRunState extends EpochPosition {
  seed: number; // the run's seed (weight init when the config sets none, and the random streams)
  lengthA: number; // images of A in the training set: a checkpoint resumes only on the same data
  lengthB: number;
  random: { data: RandomState; augment: RandomState; pool: RandomState };
}

/** Everything needed to continue a run exactly; the tensors are host copies. */
export interface CycleGANSnapshot {
  family: 'cyclegan';
  config: CycleganConfig;
  state: CycleGANRunState;
  /** Every variable by path under the parts' names (networks.ts `cycleganParts`): generatorAB.…, discriminatorA.… */
  weights: Map<string, HostTensor>;
  /** One Adam over both generators, one over both discriminators (as the reference), moments keyed by the same paths. */
  optimizers: { generator: AdamState; discriminator: AdamState };
  /** The image pools' contents: fakeAPool.<slot> (G_BA's past outputs, shown to D of A) and fakeBPool.<slot>. */
  runTensors: Map<string, HostTensor>;
}

/** One step's outcome: the losses, and the position and rate it ran at. */
export interface CycleGANStepReport {
  step: number; // updates done, this one included
  epoch: number; // 0-based epoch this batch belonged to
  learningRate: number; // α of this update, all four networks
  losses: CycleganLosses;
}

interface Streams {
  data: SeededRandom; // one permutation per epoch, and each A image's partner from B
  augment: SeededRandom; // crops and flips
  pool: SeededRandom; // the pools' swap draws
}

const streamsFromSeed = (seed: number): Streams => ({
  data: seededRandom(`cyclegan/${seed}/data`),
  augment: seededRandom(`cyclegan/${seed}/augment`),
  pool: seededRandom(`cyclegan/${seed}/pool`),
});

const POOLS = { fakeA: 'fakeAPool', fakeB: 'fakeBPool' } as const;

/**
 * A CycleGAN training run. Every random draw comes from three seeded streams (data, augmentation, pools) whose states
 * are part of `snapshot()` with the pools' images, so `resume` — here or in a fresh process — makes exactly the updates
 * the uninterrupted run would have made.
 */
export class CycleGANRun {
  readonly model: CycleganModel;
  readonly #data: UnpairedDatasets;
  readonly #augment: ImageAugmenter | null;
  readonly #trainer: CycleganTrainer;
  readonly #schedule: EpochSchedule;
  #state: Omit<CycleGANRunState, 'random'>;
  #streams: Streams;
  #pools: { fakeA: ImagePool; fakeB: ImagePool };

  private constructor(config: CycleganConfig, data: UnpairedDatasets, augment: ImageAugmenter | null, seed: number) {
    for (const [domain, set] of [['A', data.a], ['B', data.b]] as const) {
      if (set.length === 0) throw new Error(`cyclegan: the training set of ${domain} is empty`);
      if (set.size < config.imageSize) throw new Error(`cyclegan: the ${domain} images are ${set.size} px, smaller than the model's ${config.imageSize} px`);
    }
    if (!Number.isInteger(seed)) throw new Error(`cyclegan: the run seed must be an integer, got ${seed}`);
    // Weights are initialised from the config's seed, else the run's: a seeded run is reproducible end to end.
    this.model = createCyclegan({ ...config, seed: config.seed ?? seed });
    this.#data = data;
    this.#augment = augment;
    // unaligned_dataset.py: __len__ = max(A_size, B_size), A_paths[index % A_size], B at random.
    this.#schedule = new EpochSchedule(config, Math.max(data.a.length, data.b.length));
    this.#streams = streamsFromSeed(seed);
    this.#pools = { fakeA: new ImagePool(config.poolSize), fakeB: new ImagePool(config.poolSize) };
    this.#state = { seed, lengthA: data.a.length, lengthB: data.b.length, ...this.#schedule.start() };
    this.#trainer = createCycleganTrainer(this.model);
  }

  /** A fresh run: networks initialised from `config.seed ?? seed`, streams seeded by `seed`. `augment` null: centre crops. */
  static create(config: CycleganConfig, data: UnpairedDatasets, augment: ImageAugmenter | null, seed: number): CycleGANRun {
    return new CycleGANRun(config, data, augment, seed);
  }

  /** A run rebuilt from a snapshot (e.g. a checkpoint read in a fresh process), ready to take the next step. */
  static async resume(snapshot: CycleGANSnapshot, data: UnpairedDatasets, augment: ImageAugmenter | null): Promise<CycleGANRun> {
    return restoredRun(new CycleGANRun(snapshot.config, data, augment, snapshot.state.seed), snapshot);
  }

  get config(): CycleganConfig {
    return this.model.config;
  }

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

  /** Images stored in the pools so far. */
  get poolSizes(): { fakeA: number; fakeB: number } {
    return { fakeA: this.#pools.fakeA.size, fakeB: this.#pools.fakeB.size };
  }

  /** One update of both G then both D on the next batch, at the schedule's rate. Leaves no tensors behind. */
  step(): CycleGANStepReport {
    if (this.done) throw new Error(`cyclegan: the run is complete (${this.totalSteps} steps)`);
    const state = this.#state;
    const { imageSize } = this.config;
    const { a: setA, b: setB } = this.#data;
    const indices = this.#schedule.nextBatch(state, (n) => this.#streams.data.permutation(n));
    const sample = (set: ImageDataset, index: number): Uint8Array =>
      this.#augment === null ? centreCropRgb(set.read(index), set.size, imageSize) : this.#augment(set.read(index), set.size, imageSize, this.#streams.augment);
    const imagesA: Uint8Array[] = [];
    const imagesB: Uint8Array[] = [];
    for (const index of indices) {
      const partner = this.#streams.data.int(setB.length); // random.randint(0, B_size − 1)
      imagesA.push(sample(setA, index % setA.length));
      imagesB.push(sample(setB, partner));
    }
    const learningRate = this.#schedule.learningRate(state);
    this.#trainer.optimizers.generator.setLearningRate(learningRate);
    this.#trainer.optimizers.discriminator.setLearningRate(learningRate);
    const a = signedBatch(imagesA, imageSize);
    const b = signedBatch(imagesB, imageSize);
    let losses: CycleganLosses;
    try {
      // backward_D_A queries the fake-B pool before backward_D_B queries the fake-A pool: the same order of draws.
      losses = this.#trainer.step(a, b, ({ fakeA, fakeB }) => {
        const shownB = this.#pools.fakeB.query(fakeB, this.#streams.pool);
        return { fakeA: this.#pools.fakeA.query(fakeA, this.#streams.pool), fakeB: shownB };
      });
    } finally {
      tf.dispose([a, b]);
    }
    const epoch = this.#schedule.advance(state, indices.length, learningRate);
    return { step: state.step, epoch, learningRate, losses };
  }

  /** `images` (each `imageSize × imageSize × 3` uint8) through G_A or G_B, in one batch; uint8 out, the same layout. */
  translate(direction: TranslationDirection, images: readonly Uint8Array[]): Uint8Array[] {
    const { gA, gB } = this.model;
    return translateImages(direction === 'AtoB' ? gA : gB, images, this.config.imageSize);
  }

  /**
   * Rows of a sample grid from fixed images (stored size ≥ the model's, centre-cropped): [a, G_A(a), G_B(G_A(a))] for
   * each of `a`, then [b, G_B(b), G_A(G_B(b))] for each of `b`. The reconstruction shows what the cycle loss sees.
   */
  sample(a: readonly Uint8Array[], b: readonly Uint8Array[], storedSize: number): Uint8Array[][] {
    const { imageSize } = this.config;
    const rows = (images: readonly Uint8Array[], there: TranslationDirection, back: TranslationDirection): Uint8Array[][] => {
      if (images.length === 0) return [];
      const inputs = images.map((rgb) => centreCropRgb(rgb, storedSize, imageSize));
      const translated = this.translate(there, inputs);
      const reconstructed = this.translate(back, translated);
      return inputs.map((input, i) => [input, translated[i]!, reconstructed[i]!]);
    };
    return [...rows(a, 'AtoB', 'BtoA'), ...rows(b, 'BtoA', 'AtoB')];
  }

  /** A host copy of the weights, the optimizers, the pools and the position: enough to continue exactly. */
  async snapshot(): Promise<CycleGANSnapshot> {
    const s = this.#state;
    const runTensors = new Map<string, HostTensor>();
    for (const [pool, name] of Object.entries(POOLS) as Array<[keyof typeof POOLS, string]>) {
      this.#pools[pool].contents().forEach((image, slot) => runTensors.set(`${name}.${slot}`, image));
    }
    return {
      family: 'cyclegan',
      config: structuredClone(this.config),
      state: {
        ...s,
        permutation: s.permutation === null ? null : [...s.permutation],
        random: { data: this.#streams.data.state(), augment: this.#streams.augment.state(), pool: this.#streams.pool.state() },
      },
      weights: copyVariables(new Map([...this.#generatorVariables(), ...this.#discriminatorVariables()])),
      optimizers: {
        generator: await this.#trainer.optimizers.generator.exportState(this.#generatorVariables()),
        discriminator: await this.#trainer.optimizers.discriminator.exportState(this.#discriminatorVariables()),
      },
      runTensors,
    };
  }

  /** Puts this run where `snapshot` was; it must come from a run of the same config on datasets of the same lengths. */
  async restore(snapshot: CycleGANSnapshot): Promise<void> {
    if (snapshot.family !== 'cyclegan') throw new Error(`cyclegan: cannot restore a ${String(snapshot.family)} snapshot`);
    checkSameConfig('cyclegan', this.config, snapshot.config);
    const { state } = snapshot;
    if (state.lengthA !== this.#data.a.length || state.lengthB !== this.#data.b.length) {
      throw new Error(`cyclegan: the snapshot was trained on ${state.lengthA} A and ${state.lengthB} B images, these datasets have ${this.#data.a.length} and ${this.#data.b.length}`);
    }
    const pools = { fakeA: new ImagePool(this.config.poolSize, poolImages(snapshot.runTensors, POOLS.fakeA)), fakeB: new ImagePool(this.config.poolSize, poolImages(snapshot.runTensors, POOLS.fakeB)) };
    const unknown = [...snapshot.runTensors.keys()].find((name) => !Object.values(POOLS).some((pool) => name.startsWith(`${pool}.`)));
    if (unknown !== undefined) throw new Error(`cyclegan: the snapshot has a run tensor "${unknown}" this run does not keep`);
    restoreVariables('cyclegan', new Map([...this.#generatorVariables(), ...this.#discriminatorVariables()]), snapshot.weights);
    await this.#trainer.optimizers.generator.importState(snapshot.optimizers.generator, this.#generatorVariables());
    await this.#trainer.optimizers.discriminator.importState(snapshot.optimizers.discriminator, this.#discriminatorVariables());
    const { random, ...position } = state;
    this.#streams = { data: seededRandom(random.data), augment: seededRandom(random.augment), pool: seededRandom(random.pool) };
    this.#pools = pools;
    this.#state = { ...position, permutation: position.permutation === null ? null : [...position.permutation] };
  }

  /** Frees the networks and the optimizers' state. */
  dispose(): void {
    this.#trainer.dispose();
    disposeParams(this.model);
  }

  /** Both generators' variables by the paths snapshots use (in the order the generator Adam updates them). */
  #generatorVariables(): Map<string, tf.Variable> {
    const { generatorAB, generatorBA } = cycleganParts(this.model);
    return new Map([...namedVariables(generatorAB, 'generatorAB'), ...namedVariables(generatorBA, 'generatorBA')]);
  }

  /** Both discriminators' variables, D_A (judging B) first as the reference's optimizer_D holds them. */
  #discriminatorVariables(): Map<string, tf.Variable> {
    const { discriminatorA, discriminatorB } = cycleganParts(this.model);
    return new Map([...namedVariables(discriminatorB, 'discriminatorB'), ...namedVariables(discriminatorA, 'discriminatorA')]);
  }
}

/** A generator's output for uint8 RGB images of `size`, as uint8 RGB (instance norm: eval and train forward agree). */
export function translateImages(generator: ResnetGeneratorWeights, images: readonly Uint8Array[], size: number): Uint8Array[] {
  if (images.length === 0) return [];
  const pixels = size * size * 3;
  const out = tf.tidy(() => {
    const x = signedBatch(images, size);
    return signedToRgb(resnetGenerator(generator, x, evalMode).dataSync());
  });
  return images.map((_, i) => out.slice(i * pixels, (i + 1) * pixels));
}

/** A pool's saved images in slot order, refused unless the slots run 0, 1, 2… without a gap. */
function poolImages(runTensors: ReadonlyMap<string, HostTensor>, pool: string): HostTensor[] {
  const slots = [...runTensors].filter(([name]) => name.startsWith(`${pool}.`)).map(([name, image]) => ({ slot: Number(name.slice(pool.length + 1)), image }));
  slots.sort((x, y) => x.slot - y.slot);
  slots.forEach(({ slot }, i) => {
    if (slot !== i) throw new Error(`cyclegan: the snapshot's ${pool} lacks slot ${i}`);
  });
  return slots.map(({ image }) => image);
}

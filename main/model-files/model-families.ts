// The model families a saved model folder may hold: each one's config schema, its parts and how to build its networks.
import { z } from 'zod';
import { isDiffAugmentPolicy } from '../../models/common/diff-augment.js';
import { seedSequence } from '../../models/common/init.js';
import type { ParamTree } from '../../models/common/param-tree.js';
import type { CycleganConfig } from '../../models/cyclegan/config.js';
import { createCycleganDiscriminator, createResnetGenerator } from '../../models/cyclegan/networks.js';
import type { CycleGANRunState } from '../../models/cyclegan/train.js';
import type { PGGANConfig } from '../../models/pggan/config.js';
import { createPGGANDiscriminator, createPGGANGenerator } from '../../models/pggan/networks.js';
import type { PGGANRunState } from '../../models/pggan/train.js';
import type { Pix2pixConfig } from '../../models/pix2pix/config.js';
import { createPix2pixDiscriminator, createUnetGenerator } from '../../models/pix2pix/networks.js';
import type { Pix2pixRunState } from '../../models/pix2pix/train.js';
import type { StyleGAN2Config } from '../../models/stylegan/config.js';
import { createDiscriminator, createGenerator } from '../../models/stylegan/networks.js';
import type { StyleGAN2RunState } from '../../models/stylegan/train.js';

/** A family as the model folder sees it; `create` gives the networks whose variable paths the tensor manifest names. */
export interface ModelFamilySpec<Config = unknown> {
  name: string;
  /** Validates model.json's `config` (a config that builds other networks than the weights is refused here or by shape). */
  configSchema: z.ZodType<Config>;
  /** Top-level parts of the tensor names (`generator.…`); required ones must be saved, optional ones may be left out. */
  parts: Readonly<Record<string, { required: boolean }>>;
  /** Fresh networks for `config`, one tree per part asked for; the loader overwrites their weights. */
  create(config: Config, parts: readonly string[]): Record<string, ParamTree>;
  /** Validates a training run's state (state.json of a checkpoint). */
  runStateSchema: z.ZodType;
}

const int = (min = 0): z.ZodNumber => z.number().int().min(min);

/** A family's `create` from one builder per part; a part it does not have is refused by name. */
function partsBuiltBy<Config>(family: string, builders: Readonly<Record<string, (config: Config) => ParamTree>>): ModelFamilySpec<Config>['create'] {
  return (config, parts) =>
    Object.fromEntries(
      parts.map((part) => {
        const build = builders[part];
        if (build === undefined) throw new Error(`${family} has no part "${part}"`);
        return [part, build(config)];
      }),
    );
}

/** Pix2pixConfig as stored in model.json; defaults and their sources are in models/pix2pix/config.ts (junyanz options). */
export const pix2pixConfigSchema = z
  .object({
    imageSize: int(32),
    inChannels: int(1),
    outChannels: int(1),
    ngf: int(1),
    ndf: int(1),
    numDowns: int(5),
    nLayersD: int(1),
    norm: z.enum(['batch', 'instance']),
    dropout: z.boolean(),
    ganMode: z.enum(['vanilla', 'lsgan']),
    lambdaL1: z.number().min(0),
    learningRate: z.number().positive(),
    beta1: z.number().min(0).lt(1),
    beta2: z.number().min(0).lt(1),
    batchSize: int(1),
    epochs: int(0),
    epochsDecay: int(0),
    seed: z.number().int().optional(),
  })
  .strict()
  .refine((c) => c.imageSize % 2 ** c.numDowns === 0, { message: 'imageSize must be a multiple of 2^numDowns (the U-Net halves it numDowns times)' });

// seedrandom's Alea state (models/common/seeded-random.ts): three 32-bit fractions and a carry.
const randomState = z.object({ alea: z.object({ c: z.number(), s0: z.number(), s1: z.number(), s2: z.number() }).strict() }).strict();

/** Where an epoch-scheduled run (pix2pix, CycleGAN) stands: updates done, epoch, place in its order, current rate. */
const epochPosition = {
  step: int(0),
  epoch: int(0),
  cursor: int(0),
  permutation: z.array(int(0)).nullable(),
  learningRate: z.number().min(0),
};

/** Pix2pixRunState in state.json. */
export const pix2pixRunStateSchema = z
  .object({
    seed: z.number().int(),
    datasetLength: int(1),
    ...epochPosition,
    random: z.object({ data: randomState, augment: randomState, dropout: randomState }).strict(),
  })
  .strict() satisfies z.ZodType<Pix2pixRunState>;

export const pix2pixFamily: ModelFamilySpec<Pix2pixConfig> = {
  name: 'pix2pix',
  configSchema: pix2pixConfigSchema,
  // A shipped model needs G only; checkpoints add D to continue training.
  parts: { generator: { required: true }, discriminator: { required: false } },
  create: partsBuiltBy('pix2pix', { generator: createUnetGenerator, discriminator: createPix2pixDiscriminator }),
  runStateSchema: pix2pixRunStateSchema,
};

const powerOf2 = (min: number, max: number) => int(min).max(max).refine((n) => (n & (n - 1)) === 0, { message: 'must be a power of 2' });

/** StyleGAN2Config as stored in model.json; defaults and their sources are in models/stylegan/config.ts. */
export const styleGAN2ConfigSchema = z
  .object({
    resolution: powerOf2(32, 256),
    imgChannels: z.literal(3),
    zDim: int(1),
    wDim: int(1),
    mappingLayers: int(1),
    mappingLrMultiplier: z.number().positive(),
    wAvgBeta: z.number().min(0).max(1),
    channelBase: powerOf2(16, 1 << 20),
    channelMax: powerOf2(1, 1024),
    convClamp: z.number().positive().optional(),
    generatorArchitecture: z.literal('skip'),
    discriminatorArchitecture: z.literal('resnet'),
    mbstdGroupSize: int(1),
    mbstdChannels: int(1),
    r1Gamma: z.number().min(0),
    dRegInterval: int(1),
    styleMixingProb: z.number().min(0).max(1),
    emaKimg: z.number().min(0),
    emaRampup: z.number().positive().optional(),
    learningRate: z.number().positive(),
    beta1: z.number().min(0).lt(1),
    beta2: z.number().min(0).lt(1),
    epsilon: z.number().positive(),
    batchSize: int(1),
    augment: z.string().refine(isDiffAugmentPolicy, { message: 'names an unknown augmentation op' }).optional(),
    seed: z.number().int().optional(),
  })
  .strict() satisfies z.ZodType<StyleGAN2Config>;

/** What the run state of every family that trains on one folder of images (StyleGAN2, PGGAN) holds. */
const imageFolderRunState = {
  seed: z.number().int(),
  datasetLength: int(1),
  totalKimg: z.number().positive(),
  step: int(0),
  cursor: int(0),
  permutation: z.array(int(0)).nullable(),
  random: z.object({ data: randomState, latents: randomState }).strict(),
};

/** StyleGAN2RunState in state.json. */
export const styleGAN2RunStateSchema = z
  .object({ ...imageFolderRunState, mirror: z.boolean(), epoch: int(0) })
  .strict() satisfies z.ZodType<StyleGAN2RunState>;

export const styleGAN2Family: ModelFamilySpec<StyleGAN2Config> = {
  name: 'stylegan2',
  configSchema: styleGAN2ConfigSchema,
  // A saved model is G_ema under "generator" (what the studio generates with); checkpoints add G's raw weights and D.
  parts: { generator: { required: true }, generatorEma: { required: false }, discriminator: { required: false } },
  create: partsBuiltBy('stylegan2', { generator: createGenerator, generatorEma: createGenerator, discriminator: createDiscriminator }),
  runStateSchema: styleGAN2RunStateSchema,
};

/** PGGANConfig as stored in model.json; defaults and their sources are in models/pggan/config.ts. */
export const pgganConfigSchema = z
  .object({
    resolution: powerOf2(8, 256),
    latentSize: int(1),
    fmapBase: int(1),
    fmapMax: int(1),
    mbstdGroupSize: int(1),
    lodTrainingKimg: z.number().positive(),
    lodTransitionKimg: z.number().min(0),
    learningRate: z.number().positive(),
    beta1: z.number().min(0).lt(1),
    beta2: z.number().min(0).lt(1),
    epsilon: z.number().positive(),
    wganLambda: z.number().min(0),
    wganEpsilon: z.number().min(0),
    wganTarget: z.number().positive(),
    gSmoothingBeta: z.number().min(0).lt(1),
    batchSize: int(1),
    seed: z.number().int().optional(),
  })
  .strict() satisfies z.ZodType<PGGANConfig>;

/** PGGANRunState in state.json. */
export const pgganRunStateSchema = z
  .object({ ...imageFolderRunState, imagesSeen: int(0), optimizerResolution: int(4) })
  .strict() satisfies z.ZodType<PGGANRunState>;

export const pgganFamily: ModelFamilySpec<PGGANConfig> = {
  name: 'pggan',
  configSchema: pgganConfigSchema,
  // A saved model is Gs under "generator"; checkpoints add G's raw weights and D.
  parts: { generator: { required: true }, generatorEma: { required: false }, discriminator: { required: false } },
  create: partsBuiltBy('pggan', { generator: createPGGANGenerator, generatorEma: createPGGANGenerator, discriminator: createPGGANDiscriminator }),
  runStateSchema: pgganRunStateSchema,
};

/** CycleganConfig as stored in model.json; defaults and their sources are in models/cyclegan/config.ts (junyanz options). */
export const cycleganConfigSchema = z
  .object({
    imageSize: int(16).refine((n) => n % 4 === 0, { message: 'must be divisible by 4 (G downsamples twice)' }),
    channels: z.literal(3),
    ngf: int(1),
    ndf: int(1),
    nBlocks: int(0),
    nLayersD: int(1),
    norm: z.enum(['batch', 'instance']),
    ganMode: z.enum(['vanilla', 'lsgan']),
    lambdaA: z.number().min(0),
    lambdaB: z.number().min(0),
    lambdaIdentity: z.number().min(0),
    poolSize: int(0),
    learningRate: z.number().positive(),
    beta1: z.number().min(0).lt(1),
    beta2: z.number().min(0).lt(1),
    batchSize: int(1),
    epochs: int(0),
    epochsDecay: int(0),
    seed: z.number().int().optional(),
  })
  .strict() satisfies z.ZodType<CycleganConfig>;

/** CycleGANRunState in state.json. */
export const cycleganRunStateSchema = z
  .object({
    seed: z.number().int(),
    lengthA: int(1),
    lengthB: int(1),
    ...epochPosition,
    random: z.object({ data: randomState, augment: randomState, pool: randomState }).strict(),
  })
  .strict() satisfies z.ZodType<CycleGANRunState>;

export const cycleganFamily: ModelFamilySpec<CycleganConfig> = {
  name: 'cyclegan',
  configSchema: cycleganConfigSchema,
  // A saved model holds both generators, so it translates either way; checkpoints add the discriminators, named by
  // the domain they judge (models/cyclegan/networks.ts `cycleganParts`).
  parts: { generatorAB: { required: true }, generatorBA: { required: true }, discriminatorA: { required: false }, discriminatorB: { required: false } },
  create: partsBuiltBy('cyclegan', {
    generatorAB: (config) => createResnetGenerator(config, seedSequence(config.seed)),
    generatorBA: (config) => createResnetGenerator(config, seedSequence(config.seed)),
    discriminatorA: (config) => createCycleganDiscriminator(config, seedSequence(config.seed)),
    discriminatorB: (config) => createCycleganDiscriminator(config, seedSequence(config.seed)),
  }),
  runStateSchema: cycleganRunStateSchema,
};

export const modelFamilies: Readonly<Record<string, ModelFamilySpec>> = {
  pix2pix: pix2pixFamily as ModelFamilySpec,
  cyclegan: cycleganFamily as ModelFamilySpec,
  stylegan2: styleGAN2Family as ModelFamilySpec,
  pggan: pgganFamily as ModelFamilySpec,
};

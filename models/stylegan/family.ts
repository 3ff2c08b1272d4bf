// The StyleGAN2 family as the studio sees it (plain zod and data; networks in ./engine.ts): model.json's config and a
// checkpoint's run state, the parts saved, its training job, and how the Train view offers it and charts its runs.
import { z } from 'zod';
import { DIFF_AUGMENT_OPS, isDiffAugmentPolicy } from '../common/diff-augment-policy.js';
import { chart, colours, kidChart, line, seedGridView, type FamilyDescriptor } from '../common/family-descriptor.js';
import { generatorRunSchedule, imageFolderRunState, imageSide, int, powerOf2, wholeNumbers } from '../common/family-schemas.js';
import { ImageFolderTrainingParams, Measure } from '../common/training-params.js';

/** StyleGAN2Config as stored in model.json; defaults and their sources are in ./config.ts. */
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
  .strict();

/** StyleGAN2RunState in state.json. */
export const styleGAN2RunStateSchema = z.object({ ...imageFolderRunState, mirror: z.boolean(), epoch: int(0) }).strict();

/** The network settings the engine's training task takes (the job's were checked against their limits). */
const engineConfig = wholeNumbers(['resolution', 'channelBase', 'channelMax', 'mappingLayers', 'batchSize']).extend({ r1Gamma: z.number().min(0).optional() });

export const styleGAN2Family = {
  name: 'stylegan2',
  configSchema: styleGAN2ConfigSchema,
  runStateSchema: styleGAN2RunStateSchema,
  // A saved model is G_ema under "generator" (what the studio generates with); checkpoints add G's raw weights and D.
  parts: { generator: { required: true }, generatorEma: { required: false }, discriminator: { required: false } },
  training: {
    jobKind: 'train.stylegan2',
    method: 'train.stylegan2',
    // A small model this studio can train on a CPU: 64 px, channels 128 up to 32 px and 64 at 64 px (./config.ts has
    // the reference's defaults and their sources).
    settings: {
      resolution: imageSide(64),
      channelBase: z.number().int().min(256).max(32768).default(4096), // a layer at r px has min(channelBase / r, channelMax) channels
      channelMax: z.number().int().min(8).max(512).default(128),
      mappingLayers: z.number().int().min(1).max(8).default(8),
      batchSize: z.number().int().min(2).max(64).default(16),
      r1Gamma: z.number().min(0).max(100).optional(), // default 0.0002·res²/batch (cfg 'auto')
      totalKimg: z.number().positive().max(100_000).default(500), // thousands of real images shown to D
      mirror: z.boolean().default(true), // also train on left-right mirrored images
      // DiffAugment of what D sees (models/common/diff-augment.ts): on by default, since an artist's dataset is small
      augment: z.array(z.enum(DIFF_AUGMENT_OPS)).default([...DIFF_AUGMENT_OPS]),
      margin: z.number().min(0).max(1).optional(), // white border added around each image
    },
    schedule: generatorRunSchedule, // the seed grid of G_ema every sampleEvery iterations
    task: {
      params: ImageFolderTrainingParams.extend({
        config: engineConfig,
        mirror: z.boolean(),
        augment: z.array(z.enum(DIFF_AUGMENT_OPS)).default([]),
        // Trained networks a new run starts from (any data): a checkpoint, a run folder (its latest checkpoint) or a
        // model folder that keeps its discriminator; ignored once the run has its own checkpoint.
        fineTuneFrom: z.string().optional(),
      }),
      result: z.object({ steps: z.number(), kimg: Measure, modelDir: z.string().nullable() }),
    },
    label: 'Train StyleGAN2',
    data: 'image-folder',
    fineTunes: true,
    configKeys: Object.keys(engineConfig.shape),
    sizeKey: 'resolution',
    engineKeys: ['totalKimg', 'kidEvery', 'kidImages', 'margin', 'mirror', 'augment'],
    recipeKeys: ['dataDir', 'resolution', 'margin', 'mirror'],
    describe: (s, step, folderName) => `StyleGAN2 trained on ${folderName(s['dataDir'] as string)} for ${((step * (s['batchSize'] as number)) / 1000).toFixed(1)} kimg`,
  },
  seeds: { styleSpace: true },
  view: {
    label: 'Image generator (StyleGAN2)',
    shortLabel: 'StyleGAN2',
    description: 'Learns to invent new images like the ones in a folder; the model then makes images from seeds in Generate and Mix.',
    opensIn: 'Generate',
    unit: 'iteration',
    grid: seedGridView,
    charts: [
      chart('loss-chart-g', 'Generator loss', [line('gMain', 'G main (softplus −D(G(z)))', colours.blue)]),
      chart('loss-chart-d', 'Discriminator losses (left) and R1 penalty (right, every 16th iteration)', [
        line('dReal', 'D on real', colours.green),
        line('dFake', 'D on fake', colours.red),
        line('r1', 'R1 (before γ/2)', colours.violet, 'right'),
      ]),
      chart('score-chart', 'Discriminator scores: real above fake means D tells them apart', [line('realScore', 'D(real)', colours.green), line('fakeScore', 'D(fake)', colours.red)]),
      kidChart,
    ],
  },
} as const satisfies FamilyDescriptor<'stylegan2'>;

// The pix2pix family as the studio sees it (plain zod and data; networks in ./engine.ts): model.json's config and a
// checkpoint's run state, the parts saved, its training job, and how the Train view offers it and charts its runs.
import { z } from 'zod';
import { NO_STEPS, type FamilyDescriptor } from '../common/family-descriptor.js';
import { epochPosition, int, randomState } from '../common/family-schemas.js';
import { Measures, TrainingRunParams } from '../common/training-params.js';

/** Pix2pixConfig as stored in model.json; defaults and their sources are in ./config.ts (junyanz options). */
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

/** Pix2pixRunState in state.json. */
export const pix2pixRunStateSchema = z
  .object({
    seed: z.number().int(),
    datasetLength: int(1),
    ...epochPosition,
    random: z.object({ data: randomState, augment: randomState, dropout: randomState }).strict(),
  })
  .strict();

export const pix2pixFamily = {
  name: 'pix2pix',
  configSchema: pix2pixConfigSchema,
  runStateSchema: pix2pixRunStateSchema,
  // A shipped model needs G only; checkpoints add D to continue training.
  parts: { generator: { required: true }, discriminator: { required: false } },
  training: {
    jobKind: 'train.pix2pix',
    method: 'train.start',
    // The rest are the reference's defaults (./config.ts).
    settings: {
      imageSize: z.union([z.literal(64), z.literal(128), z.literal(256)]).default(128),
      ngf: z.number().int().min(4).max(128).default(64),
      ndf: z.number().int().min(4).max(128).default(64),
      epochs: z.number().int().min(0).max(10_000).default(100),
      epochsDecay: z.number().int().min(0).max(10_000).default(100),
      batchSize: z.number().int().min(1).max(64).default(1),
    },
    schedule: {
      checkpointEvery: z.number().int().min(1).default(500), // steps
      sampleEvery: z.number().int().min(1).default(200), // steps: sample grid and held-out metrics
    },
    task: {
      params: TrainingRunParams.extend({
        datasetDir: z.string(),
        config: z.object({
          imageSize: z.number().int(),
          ngf: z.number().int(),
          ndf: z.number().int(),
          epochs: z.number().int(),
          epochsDecay: z.number().int(),
          batchSize: z.number().int(),
        }),
      }),
      result: z.object({ steps: z.number(), metrics: Measures, modelDir: z.string().nullable() }),
    },
    label: 'Train pix2pix',
    data: 'prepared-pairs',
    configKeys: ['imageSize', 'ngf', 'ndf', 'epochs', 'epochsDecay', 'batchSize'],
    sizeKey: 'imageSize',
    engineKeys: [],
    recipeKeys: ['dataset'],
    describe: (s, step) => `Trained on “${s['dataset'] as string}” for ${step} steps`,
  },
  view: {
    label: 'Sketch-to-photo (pix2pix)',
    shortLabel: 'pix2pix',
    description: 'Learns to turn each drawing into its photo from prepared pairs; the model then renders your sketches in Sketch.',
    opensIn: 'Sketch',
    unit: 'step',
    grid: { name: 'Sample grid', shows: 'each row: input | output | target' },
    charts: [
      {
        testid: 'loss-chart-g',
        title: 'Generator losses',
        lines: [
          { key: 'gGan', label: 'G adversarial', color: '#5b7cfa' },
          { key: 'gL1', label: 'G L1 (before λ)', color: '#f0a35b', axis: 'right' },
        ],
        empty: NO_STEPS,
      },
      {
        testid: 'loss-chart-d',
        title: 'Discriminator losses',
        lines: [
          { key: 'dReal', label: 'D on real', color: '#4cc38a' },
          { key: 'dFake', label: 'D on fake', color: '#e5484d' },
        ],
        empty: NO_STEPS,
      },
      {
        testid: 'metric-chart',
        title: 'Held-out pairs: PSNR (left) and L1 (right)',
        lines: [
          { key: 'test_psnr', label: 'PSNR (dB)', color: '#c77dff' },
          { key: 'test_l1', label: 'L1', color: '#f0a35b', axis: 'right' },
        ],
        empty: 'Measured at each sample (needs held-out pairs).',
      },
    ],
  },
} as const satisfies FamilyDescriptor<'pix2pix'>;

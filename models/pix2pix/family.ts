// The pix2pix family as the studio sees it (plain zod and data; networks in ./engine.ts): model.json's config and a
// checkpoint's run state, the parts saved, its training job, and how the Train view offers it and charts its runs.
import { z } from 'zod';
import { chart, colours, line, type FamilyDescriptor } from '../common/family-descriptor.js';
import { epochConfigFields, epochPosition, epochRunSchedule, epochSettings, int, randomState, wholeNumbers } from '../common/family-schemas.js';
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
    ...epochConfigFields,
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

/** The network settings the engine's training task takes (the job's were checked against their limits). */
const engineConfig = wholeNumbers(['imageSize', 'ngf', 'ndf', 'epochs', 'epochsDecay', 'batchSize']);

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
      ...epochSettings,
    },
    schedule: epochRunSchedule, // the sample grid and held-out metrics every sampleEvery steps
    task: {
      params: TrainingRunParams.extend({
        datasetDir: z.string(),
        config: engineConfig,
      }),
      result: z.object({ steps: z.number(), metrics: Measures, modelDir: z.string().nullable() }),
    },
    label: 'Train pix2pix',
    data: 'prepared-pairs',
    configKeys: Object.keys(engineConfig.shape),
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
      chart('loss-chart-g', 'Generator losses', [line('gGan', 'G adversarial', colours.blue), line('gL1', 'G L1 (before λ)', colours.orange, 'right')]),
      chart('loss-chart-d', 'Discriminator losses', [line('dReal', 'D on real', colours.green), line('dFake', 'D on fake', colours.red)]),
      chart(
        'metric-chart',
        'Held-out pairs: PSNR (left) and L1 (right)',
        [line('test_psnr', 'PSNR (dB)', colours.violet), line('test_l1', 'L1', colours.orange, 'right')],
        'Measured at each sample (needs held-out pairs).',
      ),
    ],
  },
} as const satisfies FamilyDescriptor<'pix2pix'>;

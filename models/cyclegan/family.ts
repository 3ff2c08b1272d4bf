// The CycleGAN family as the studio sees it (plain zod and data; networks in ./engine.ts): model.json's config and a
// checkpoint's run state, the parts saved, its training job, and how the Train view offers it and charts its runs.
import { z } from 'zod';
import { NO_STEPS, type FamilyDescriptor } from '../common/family-descriptor.js';
import { epochPosition, int, randomState } from '../common/family-schemas.js';
import { TrainingResult, TrainingRunParams } from '../common/training-params.js';

/** CycleganConfig as stored in model.json; defaults and their sources are in ./config.ts (junyanz options). */
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
  .strict();

/** CycleGANRunState in state.json. */
export const cycleganRunStateSchema = z
  .object({
    seed: z.number().int(),
    lengthA: int(1),
    lengthB: int(1),
    ...epochPosition,
    random: z.object({ data: randomState, augment: randomState, pool: randomState }).strict(),
  })
  .strict();

export const cycleganFamily = {
  name: 'cyclegan',
  configSchema: cycleganConfigSchema,
  runStateSchema: cycleganRunStateSchema,
  // A saved model holds both generators, so it translates either way; checkpoints add the discriminators, named by
  // the domain they judge (./networks.ts `cycleganParts`).
  parts: { generatorAB: { required: true }, generatorBA: { required: true }, discriminatorA: { required: false }, discriminatorB: { required: false } },
  training: {
    jobKind: 'train.cyclegan',
    method: 'train.cyclegan',
    // The reference's defaults for 128 px (resnet_6blocks) at half its width (ngf = ndf = 32), which a CPU trains in
    // reach; the rest are the reference's (./config.ts).
    settings: {
      imageSize: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(128),
      ngf: z.number().int().min(4).max(128).default(32), // 64 in the reference
      ndf: z.number().int().min(4).max(128).default(32), // 64 in the reference
      nBlocks: z.number().int().min(1).max(12).default(6), // ResNet blocks: 6 for 128 px, 9 for 256 in the reference
      lambdaIdentity: z.number().min(0).max(10).default(0.5), // identity loss, relative to the cycle weight 10; 0 turns it off
      epochs: z.number().int().min(0).max(10_000).default(100),
      epochsDecay: z.number().int().min(0).max(10_000).default(100),
      batchSize: z.number().int().min(1).max(64).default(1),
    },
    schedule: {
      checkpointEvery: z.number().int().min(1).default(500), // steps
      sampleEvery: z.number().int().min(1).default(200), // steps: a grid of A → B → A and B → A → B
    },
    task: {
      params: TrainingRunParams.extend({
        dataA: z.string(), // folder of domain A's images
        dataB: z.string(), // folder of domain B's images
        margin: z.number().min(0).max(1).optional(),
        heldOutFraction: z.number().min(0).lt(1).default(0.05),
        config: z.object({
          imageSize: z.number().int(),
          ngf: z.number().int(),
          ndf: z.number().int(),
          nBlocks: z.number().int(),
          epochs: z.number().int(),
          epochsDecay: z.number().int(),
          batchSize: z.number().int(),
          lambdaIdentity: z.number().min(0),
        }),
      }),
      result: TrainingResult,
    },
    label: 'Train CycleGAN',
    data: 'two-folders',
    configKeys: ['imageSize', 'ngf', 'ndf', 'nBlocks', 'epochs', 'epochsDecay', 'batchSize', 'lambdaIdentity'],
    sizeKey: 'imageSize',
    engineKeys: [],
    recipeKeys: ['dataA', 'dataB', 'imageSize'],
    describe: (s, step, folderName) => `Translates ${folderName(s['dataA'] as string)} ↔ ${folderName(s['dataB'] as string)}; trained for ${step} steps`,
  },
  view: {
    label: 'Unpaired translation (CycleGAN)',
    shortLabel: 'CycleGAN',
    description: 'Learns to turn one kind of image into another and back (photos ↔ paintings, horses ↔ zebras) from two folders that need not match.',
    opensIn: 'Transfer',
    unit: 'step',
    grid: { name: 'Sample grid', shows: 'rows A → B → A, then B → A → B, of the same images at every grid' },
    // G_A turns A into B and D_A judges B (real B against G_A's fakes); G_B and D_B the other way round.
    charts: [
      {
        testid: 'loss-chart-g',
        title: 'Generators: adversarial losses (LSGAN)',
        lines: [
          { key: 'gA', label: 'G_A: A → B', color: '#5b7cfa' },
          { key: 'gB', label: 'G_B: B → A', color: '#f0a35b' },
        ],
        empty: NO_STEPS,
      },
      {
        testid: 'loss-chart-d',
        title: 'Discriminators: D_A judges B images, D_B judges A images',
        lines: [
          { key: 'dA', label: 'D_A', color: '#4cc38a' },
          { key: 'dB', label: 'D_B', color: '#e5484d' },
        ],
        empty: NO_STEPS,
      },
      {
        testid: 'cycle-chart',
        title: 'Cycle and identity losses (L1, before their weights): lower keeps more of the input',
        lines: [
          { key: 'cycleA', label: 'Cycle A → B → A', color: '#c77dff' },
          { key: 'cycleB', label: 'Cycle B → A → B', color: '#5bc8fa' },
          { key: 'idtA', label: 'Identity G_A(B) ≈ B', color: '#d9b35c' },
          { key: 'idtB', label: 'Identity G_B(A) ≈ A', color: '#8a9bb0' },
        ],
        empty: NO_STEPS,
      },
      {
        testid: 'lr-chart',
        title: 'Learning rate: constant for the epochs, then falling to zero over the decay epochs',
        lines: [{ key: 'lr', label: 'Learning rate', color: '#8a9bb0' }],
        empty: NO_STEPS,
      },
    ],
  },
} as const satisfies FamilyDescriptor<'cyclegan'>;

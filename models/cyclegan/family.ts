// The CycleGAN family as the studio sees it (plain zod and data; networks in ./engine.ts): model.json's config and a
// checkpoint's run state, the parts saved, its training job, and how the Train view offers it and charts its runs.
import { z } from 'zod';
import { chart, colours, line, type FamilyDescriptor } from '../common/family-descriptor.js';
import { epochConfigFields, epochPosition, epochRunSchedule, epochSettings, imageSide, int, randomState, wholeNumbers } from '../common/family-schemas.js';
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
    ...epochConfigFields,
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

/** The network settings the engine's training task takes (the job's were checked against their limits). */
const engineConfig = wholeNumbers(['imageSize', 'ngf', 'ndf', 'nBlocks', 'epochs', 'epochsDecay', 'batchSize']).extend({ lambdaIdentity: z.number().min(0) });

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
      imageSize: imageSide(128),
      ngf: z.number().int().min(4).max(128).default(32), // 64 in the reference
      ndf: z.number().int().min(4).max(128).default(32), // 64 in the reference
      nBlocks: z.number().int().min(1).max(12).default(6), // ResNet blocks: 6 for 128 px, 9 for 256 in the reference
      lambdaIdentity: z.number().min(0).max(10).default(0.5), // identity loss, relative to the cycle weight 10; 0 turns it off
      ...epochSettings,
    },
    schedule: epochRunSchedule, // a grid of A → B → A and B → A → B every sampleEvery steps
    task: {
      params: TrainingRunParams.extend({
        dataA: z.string(), // folder of domain A's images
        dataB: z.string(), // folder of domain B's images
        margin: z.number().min(0).max(1).optional(),
        heldOutFraction: z.number().min(0).lt(1).default(0.05),
        config: engineConfig,
      }),
      result: TrainingResult,
    },
    label: 'Train CycleGAN',
    data: 'two-folders',
    configKeys: Object.keys(engineConfig.shape),
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
      chart('loss-chart-g', 'Generators: adversarial losses (LSGAN)', [line('gA', 'G_A: A → B', colours.blue), line('gB', 'G_B: B → A', colours.orange)]),
      chart('loss-chart-d', 'Discriminators: D_A judges B images, D_B judges A images', [line('dA', 'D_A', colours.green), line('dB', 'D_B', colours.red)]),
      chart('cycle-chart', 'Cycle and identity losses (L1, before their weights): lower keeps more of the input', [
        line('cycleA', 'Cycle A → B → A', colours.violet),
        line('cycleB', 'Cycle B → A → B', colours.sky),
        line('idtA', 'Identity G_A(B) ≈ B', colours.ochre),
        line('idtB', 'Identity G_B(A) ≈ A', colours.slate),
      ]),
      chart('lr-chart', 'Learning rate: constant for the epochs, then falling to zero over the decay epochs', [line('lr', 'Learning rate', colours.slate)]),
    ],
  },
} as const satisfies FamilyDescriptor<'cyclegan'>;

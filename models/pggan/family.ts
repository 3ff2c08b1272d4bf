// The Progressive GAN family as the studio sees it (plain zod and data; networks in ./engine.ts): model.json's config
// and a checkpoint's run state, the parts saved, its training job, and how the Train view offers it and charts its runs.
import { z } from 'zod';
import { chart, colours, kidChart, line, seedGridView, type FamilyDescriptor } from '../common/family-descriptor.js';
import { generatorRunSchedule, imageFolderRunState, imageSide, int, powerOf2, wholeNumbers } from '../common/family-schemas.js';
import { ImageFolderTrainingParams, TrainingResult } from '../common/training-params.js';

/** PGGANConfig as stored in model.json; defaults and their sources are in ./config.ts. */
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
  .strict();

/** PGGANRunState in state.json. */
export const pgganRunStateSchema = z.object({ ...imageFolderRunState, imagesSeen: int(0), optimizerResolution: int(4) }).strict();

/** The network settings the engine's training task takes (the job's were checked against their limits). */
const engineConfig = wholeNumbers(['resolution', 'fmapBase', 'fmapMax', 'batchSize']).extend({ lodTrainingKimg: z.number().positive(), lodTransitionKimg: z.number().min(0) });

export const pgganFamily = {
  name: 'pggan',
  configSchema: pgganConfigSchema,
  runStateSchema: pgganRunStateSchema,
  // A saved model is Gs under "generator"; checkpoints add G's raw weights and D.
  parts: { generator: { required: true }, generatorEma: { required: false }, discriminator: { required: false } },
  training: {
    jobKind: 'train.pggan',
    method: 'train.pggan',
    // ./config.ts has the reference's defaults and their sources.
    settings: {
      resolution: imageSide(64),
      fmapBase: z.number().int().min(16).max(16384).default(2048), // a stage s has min(fmapBase / 2^s, fmapMax) maps (8192 in the reference)
      fmapMax: z.number().int().min(4).max(512).default(128), // 512 in the reference
      batchSize: z.number().int().min(2).max(64).default(16),
      lodTrainingKimg: z.number().positive().max(10_000).default(60), // images at each resolution before the next fades in (600 in the reference)
      lodTransitionKimg: z.number().min(0).max(10_000).default(60), // images over which it fades in (600)
      totalKimg: z.number().positive().max(100_000).default(600),
      margin: z.number().min(0).max(1).optional(),
    },
    schedule: generatorRunSchedule,
    task: {
      params: ImageFolderTrainingParams.extend({
        config: engineConfig,
      }),
      result: TrainingResult,
    },
    label: 'Train PGGAN',
    data: 'image-folder',
    configKeys: Object.keys(engineConfig.shape),
    sizeKey: 'resolution',
    engineKeys: ['totalKimg', 'kidEvery', 'kidImages', 'margin'],
    recipeKeys: ['dataDir', 'resolution', 'margin'],
    describe: (s, step, folderName) => `PGGAN trained on ${folderName(s['dataDir'] as string)} for ${((step * (s['batchSize'] as number)) / 1000).toFixed(1)} kimg`,
  },
  seeds: { styleSpace: false }, // z straight to the image: no w to truncate, no noise inputs
  view: {
    label: 'Progressive GAN (PGGAN)',
    shortLabel: 'PGGAN',
    description: 'Also invents images like a folder’s, growing from 4 px to the final size and fading each new resolution in; its model makes images from seeds in Generate.',
    opensIn: 'Generate',
    unit: 'iteration',
    grid: seedGridView,
    charts: [
      chart('loss-chart', 'Losses: generator (left) and discriminator (right, WGAN-GP)', [line('gLoss', 'G loss', colours.blue), line('dLoss', 'D loss', colours.red, 'right')]),
      chart('wasserstein-chart', 'Wasserstein estimate: D(real) − D(fake), shrinking as fakes get closer', [line('wasserstein', 'Wasserstein', colours.green)]),
      chart('penalty-chart', 'Gradient penalty (before λ)', [line('gradientPenalty', 'Gradient penalty', colours.orange)]),
      chart('resolution-chart', 'Growing: resolution in px (left) and fade-in of the newest one (right, 1 = fully in)', [
        line('resolution', 'Resolution (px)', colours.blue),
        line('alpha', 'Fade-in α', colours.violet, 'right'),
      ]),
      kidChart,
    ],
  },
} as const satisfies FamilyDescriptor<'pggan'>;

// The Progressive GAN family with its networks and its training task (the engine side of ./family.ts).
import type { z } from 'zod';
import { partsBuiltBy, type FamilyEngine } from '../common/family-engine.js';
import type { PGGANConfig } from './config.js';
import { pgganFamily } from './family.js';
import { createPGGANDiscriminator, createPGGANGenerator, pgganGenerator, type PGGANGeneratorWeights } from './networks.js';
import type { PGGANRunState } from './train.js';
import { trainPGGAN } from './training-task.js';

// The descriptor's schemas describe exactly what the code stores (checked here, where the tfjs types may be imported).
const _schemas: [z.ZodType<PGGANConfig>, z.ZodType<PGGANRunState>] = [pgganFamily.configSchema, pgganFamily.runStateSchema];

export const pgganEngine: FamilyEngine<'pggan', PGGANConfig> = {
  ...pgganFamily,
  create: partsBuiltBy('pggan', { generator: createPGGANGenerator, generatorEma: createPGGANGenerator, discriminator: createPGGANDiscriminator }),
  train: trainPGGAN,
  // Gs at full resolution, fully faded in.
  seedDrawer: (parts, config) => ({
    resolution: config.resolution,
    latentSize: config.latentSize,
    draw: (z) => pgganGenerator(parts['generator'] as PGGANGeneratorWeights, z, { resolution: config.resolution, alpha: 1 }),
  }),
};

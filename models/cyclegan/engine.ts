// The CycleGAN family with its networks and its training task (the engine side of ./family.ts).
import type { z } from 'zod';
import { partsBuiltBy, type FamilyEngine } from '../common/family-engine.js';
import { seedSequence } from '../common/init.js';
import type { CycleganConfig } from './config.js';
import { cycleganFamily } from './family.js';
import { createCycleganDiscriminator, createResnetGenerator } from './networks.js';
import type { CycleGANRunState } from './train.js';
import { trainCycleGAN } from './training-task.js';

// The descriptor's schemas describe exactly what the code stores (checked here, where the tfjs types may be imported).
const _schemas: [z.ZodType<CycleganConfig>, z.ZodType<CycleGANRunState>] = [cycleganFamily.configSchema, cycleganFamily.runStateSchema];

export const cycleganEngine: FamilyEngine<'cyclegan', CycleganConfig> = {
  ...cycleganFamily,
  create: partsBuiltBy('cyclegan', {
    generatorAB: (config) => createResnetGenerator(config, seedSequence(config.seed)),
    generatorBA: (config) => createResnetGenerator(config, seedSequence(config.seed)),
    discriminatorA: (config) => createCycleganDiscriminator(config, seedSequence(config.seed)),
    discriminatorB: (config) => createCycleganDiscriminator(config, seedSequence(config.seed)),
  }),
  train: trainCycleGAN,
};

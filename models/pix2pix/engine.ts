// The pix2pix family with its networks and its training task (the engine side of ./family.ts).
import type { z } from 'zod';
import { partsBuiltBy, type FamilyEngine } from '../common/family-engine.js';
import type { Pix2pixConfig } from './config.js';
import { pix2pixFamily } from './family.js';
import { createPix2pixDiscriminator, createUnetGenerator } from './networks.js';
import type { Pix2pixRunState } from './train.js';
import { trainPix2pix } from './training-task.js';

// The descriptor's schemas describe exactly what the code stores (checked here, where the tfjs types may be imported).
const _schemas: [z.ZodType<Pix2pixConfig>, z.ZodType<Pix2pixRunState>] = [pix2pixFamily.configSchema, pix2pixFamily.runStateSchema];

export const pix2pixEngine: FamilyEngine<'pix2pix', Pix2pixConfig> = {
  ...pix2pixFamily,
  create: partsBuiltBy('pix2pix', { generator: createUnetGenerator, discriminator: createPix2pixDiscriminator }),
  train: trainPix2pix,
};

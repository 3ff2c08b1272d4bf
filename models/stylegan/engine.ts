// The StyleGAN2 family with its networks and its training task (the engine side of ./family.ts).
import type { z } from 'zod';
import { partsBuiltBy, type FamilyEngine } from '../common/family-engine.js';
import type { StyleGAN2Config } from './config.js';
import { styleGAN2Family } from './family.js';
import { createDiscriminator, createGenerator } from './networks.js';
import type { StyleGAN2RunState } from './train.js';
import { trainStyleGAN2 } from './training-task.js';

// The descriptor's schemas describe exactly what the code stores (checked here, where the tfjs types may be imported).
const _schemas: [z.ZodType<StyleGAN2Config>, z.ZodType<StyleGAN2RunState>] = [styleGAN2Family.configSchema, styleGAN2Family.runStateSchema];

export const styleGAN2Engine: FamilyEngine<'stylegan2', StyleGAN2Config> = {
  ...styleGAN2Family,
  create: partsBuiltBy('stylegan2', { generator: createGenerator, generatorEma: createGenerator, discriminator: createDiscriminator }),
  train: trainStyleGAN2,
};

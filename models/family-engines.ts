// Every family with its networks, for the engine side (model folders, checkpoints, training): the same families as
// models/families.ts, each extended with `create` (tfjs). A new family adds its folder and a line here and there.
import type { FamilyEngine } from './common/family-engine.js';
import { cycleganEngine } from './cyclegan/engine.js';
import { pgganEngine } from './pggan/engine.js';
import { pix2pixEngine } from './pix2pix/engine.js';
import { styleGAN2Engine } from './stylegan/engine.js';

export const familyEngines: readonly FamilyEngine[] = [pix2pixEngine, cycleganEngine, styleGAN2Engine, pgganEngine];

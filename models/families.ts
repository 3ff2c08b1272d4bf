// The model families the studio knows: the one list that job kinds, the Train forms, run charts, model folders and
// checkpoints iterate over, in the order the studio lists them (plain descriptors; their networks are in
// models/family-engines.ts). A new family adds its folder and a line here and in family-engines.ts.
import { cycleganFamily } from './cyclegan/family.js';
import { pgganFamily } from './pggan/family.js';
import { pix2pixFamily } from './pix2pix/family.js';
import { styleGAN2Family } from './stylegan/family.js';

export const families = [pix2pixFamily, cycleganFamily, styleGAN2Family, pgganFamily] as const;

export type Family = (typeof families)[number];
export type FamilyName = Family['name'];
export type TrainingJobKind = Family['training']['jobKind'];

/** The family named `name` (model.json's `family`), or undefined for one this studio does not know. */
export function familyNamed(name: string): Family | undefined {
  return families.find((f) => f.name === name);
}

/** How models of `family` draw images from seeds (Generate), or undefined where they do not. */
export function seedsOf(family: Family): { styleSpace: boolean } | undefined {
  return 'seeds' in family ? family.seeds : undefined;
}

/** The families whose models draw images from seeds, by name (what Generate offers). */
export const seedFamilyNames: readonly FamilyName[] = families.filter((f) => seedsOf(f) !== undefined).map((f) => f.name);

/** The family a training job of `kind` trains, or undefined. */
export function familyOfJobKind(kind: string): Family | undefined {
  return families.find((f) => f.training.jobKind === kind);
}

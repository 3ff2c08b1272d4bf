// The Train view's side of each model family: its setup component and its form (defaults, check, name suggestion),
// keyed by the family's name in models/families.ts. The view renders the chosen family's Setup; the state keeps one
// form per family and starts its job through the descriptor's `training.method`. A new family adds its line here, and
// its run piece's line (how its jobs read in the run list) in family-runs.ts, kept apart so that has no Svelte imports.
import type { Component } from 'svelte';
import { families, familyNamed, type Family, type FamilyName } from '../../../../models/families';
import type { Outcome, Studio } from '../studio';
import CycleGANSetup from '../../components/train/CycleGANSetup.svelte';
import PGGANSetup from '../../components/train/PGGANSetup.svelte';
import Pix2pixSetup from '../../components/train/Pix2pixSetup.svelte';
import StyleGAN2Setup from '../../components/train/StyleGAN2Setup.svelte';
import { cycleganForm } from './cyclegan-form';
import type { ImageFolderFields } from './image-folder-form';
import { pgganForm } from './pggan-form';
import { styleGAN2Form } from './stylegan2-form';
import { pix2pixForm, type FamilyForm, type TrainContext, type TrainMethod } from './training-form';
import type { TrainState } from './training-state.svelte';

/** A family's setup: what it trains on and its settings, with Start. */
export type SetupComponent = Component<{ train: TrainState; busyReason: string }>;

/** The contract method that starts a training of family `N` (its descriptor's `training.method`). */
export type MethodOf<N extends FamilyName> = Extract<Family, { name: N }>['training']['method'];

/** Each family's form checks what was typed into the params of its own descriptor's method. */
type FamilyViews = { [N in FamilyName]: { Setup: SetupComponent; form: FamilyForm<MethodOf<N>, unknown> } };

export const familyViews = {
  pix2pix: { Setup: Pix2pixSetup, form: pix2pixForm },
  cyclegan: { Setup: CycleGANSetup, form: cycleganForm },
  stylegan2: { Setup: StyleGAN2Setup, form: styleGAN2Form },
  pggan: { Setup: PGGANSetup, form: pgganForm },
} satisfies FamilyViews;

type Views = typeof familyViews;
/** The form of family `N`, as typed. */
export type FormOf<N extends FamilyName> = ReturnType<Views[N]['form']['create']>;
/** What family `N`'s check says of its form. */
export type CheckOf<N extends FamilyName> = ReturnType<Views[N]['form']['check']>;
export type FamilyForms = { [N in FamilyName]: FormOf<N> };
/** The families that train on a folder of images and share ImageFolderSetup (their forms have its fields, their checks the run's iterations). */
export type ImageFolderFamily = { [N in FamilyName]: FormOf<N> extends ImageFolderFields ? (CheckOf<N> extends { iterations: number | null } ? N : never) : never }[FamilyName];
export type FamilyChecks = { [N in FamilyName]: CheckOf<N> };

/** What the state does with a family's form, typed for that form and its check. */
type FormOps<Form, Check> = Omit<FamilyForm<TrainMethod, Form>, 'check'> & { check(form: Form, context: TrainContext): Check };

/**
 * Family `name`'s form, typed for its own form and check. TypeScript cannot narrow `familyViews[name]` by a generic
 * name, hence the cast; the `satisfies` above checked each line's form against its own family's method.
 */
function formOf<N extends FamilyName>(name: N): FormOps<FormOf<N>, CheckOf<N>> {
  return familyViews[name].form as unknown as FormOps<FormOf<N>, CheckOf<N>>;
}

/** Every family's form with its defaults. */
export function newForms(): FamilyForms {
  return Object.fromEntries(families.map((f) => [f.name, formOf(f.name).create()])) as FamilyForms;
}

/** Every family's form checked against the project. */
export function checkForms(forms: FamilyForms, context: TrainContext): FamilyChecks {
  return Object.fromEntries(families.map((f) => [f.name, formOf(f.name).check(forms[f.name], context)])) as FamilyChecks;
}

/** Forgets in every form what belonged to the project left (runs and datasets are per project). */
export function leaveProject(forms: FamilyForms): void {
  for (const { name } of families) formOf(name).leaveProject?.(forms[name]);
}

/** Fills family `name`'s model name from what was typed, when none is typed yet and the family suggests one. */
export function suggestName(name: FamilyName, forms: FamilyForms, taken: readonly string[]): void {
  const form = forms[name];
  if (form.name.trim() !== '') return;
  const suggested = formOf(name).suggestName?.(form, taken) ?? '';
  if (suggested !== '') form.name = suggested;
}

/** What the chosen family's check gives to start with (each family's own method's params, but the project). */
export type StartParams = NonNullable<FamilyChecks[FamilyName]['params']>;

/** Starts a training of family `name` through its descriptor's method with the params its form checked. */
export function startTraining(studio: Studio, name: FamilyName, projectId: number, params: StartParams): Promise<Outcome<{ jobId: number }>> {
  const method: TrainMethod = familyNamed(name)!.training.method;
  return studio.call(method, { projectId, ...params });
}

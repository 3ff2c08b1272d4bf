// The Train view's "Unpaired translation (CycleGAN)" form as plain values: defaults, and validation that turns what
// was typed into 'train.cyclegan' params or a message per field (never a throw).
import type { ParamsIn } from '../../../../main/api/contract';
import { RESOLUTIONS, type Resolution } from './image-folder-form';
import { checkScheduleFields, cleanPath, epochProblems, fieldProblems, folderName, intProblem, modelNameProblem, pathProblem, scheduleParams, suggestedModelName, type FamilyForm, type FieldCheck, type ScheduleFields } from './training-form';
import { defaultsOf, limitsOf } from '../../../../models/common/setting-limits';
import { cycleganFamily } from '../../../../models/cyclegan/family';
import type { FamilyRun, RunParamsOf } from './family-runs';

/** Limits of the family's settings (models/cyclegan/family.ts), as the contract checks them. */
const settings = cycleganFamily.training.settings;
const WIDTH = limitsOf(settings.ngf);
const BLOCKS = limitsOf(settings.nBlocks);
const LAMBDA_IDENTITY_MAX = limitsOf(settings.lambdaIdentity).max;
const BATCH = limitsOf(settings.batchSize);

export interface CycleGANForm extends ScheduleFields {
  /** Folders of the two domains' images on the computer the studio runs on; they need not match. */
  dataA: string;
  dataB: string;
  name: string;
  imageSize: Resolution;
  /** Number inputs give null while empty. */
  ngf: number | null;
  ndf: number | null;
  /** ResNet blocks of each generator. */
  nBlocks: number | null;
  /** Weight of the identity loss relative to the cycle loss (0 turns it off). */
  lambdaIdentity: number | null;
  epochs: number | null;
  epochsDecay: number | null;
  batchSize: number | null;
}

export type CycleGANField = Exclude<keyof CycleGANForm, 'fp16'>;

export type CycleGANStartParams = Omit<ParamsIn<'train.cyclegan'>, 'projectId'>;

/**
 * The contract's defaults: 128 px, widths 32 (64 in the paper) so a CPU can train it, 6 ResNet blocks (the
 * reference's for 128 px), identity weight 0.5, 100 + 100 epochs of batch 1.
 */
export const defaultCycleGANForm = (): CycleGANForm => ({
  dataA: '',
  dataB: '',
  name: '',
  ...defaultsOf(settings),
  seed: 1,
  ...defaultsOf(cycleganFamily.training.schedule),
  untilStep: null,
  fp16: false,
});

/** The reference's ResNet blocks for a size: 9 at 256 px, 6 below (resnet_9blocks / resnet_6blocks). */
export const referenceBlocks = (imageSize: number): number => (imageSize >= 256 ? 9 : 6);

/** A model name from the two folders ("photos ↔ paintings model"), unique among `taken`; '' while a folder has none. */
export function suggestedCycleGANName(dataA: string, dataB: string, taken: readonly string[]): string {
  const a = folderName(cleanPath(dataA));
  const b = folderName(cleanPath(dataB));
  return a === '' || b === '' ? '' : suggestedModelName(`${a} ↔ ${b}`, taken);
}

export function checkCycleGANForm(form: CycleGANForm): FieldCheck<CycleGANField, CycleGANStartParams> {
  const { errors, notes, set } = fieldProblems<CycleGANField>();

  const dataA = cleanPath(form.dataA);
  const dataB = cleanPath(form.dataB);
  set('dataA', pathProblem(dataA));
  set('dataB', pathProblem(dataB));
  if (!errors.dataA && !errors.dataB && dataA === dataB) errors.dataB = 'Folder B must differ from folder A.';
  const name = form.name.trim();
  set('name', modelNameProblem(name));
  if (!RESOLUTIONS.includes(form.imageSize)) errors.imageSize = 'Choose 32, 64, 128 or 256 px.';

  set('ngf', intProblem(form.ngf, WIDTH.min, WIDTH.max, 'the generators’ width'));
  set('ndf', intProblem(form.ndf, WIDTH.min, WIDTH.max, 'the discriminators’ width'));
  set('nBlocks', intProblem(form.nBlocks, BLOCKS.min, BLOCKS.max, 'a number of ResNet blocks'));
  if (!errors.nBlocks && !errors.imageSize && form.nBlocks! < referenceBlocks(form.imageSize)) {
    notes.nBlocks = `The paper has ${referenceBlocks(form.imageSize)} at ${form.imageSize} px: fewer train faster but learn simpler changes.`;
  }
  const lambda = form.lambdaIdentity;
  if (lambda === null || !Number.isFinite(lambda)) errors.lambdaIdentity = 'Enter a weight (0 turns the identity loss off).';
  else if (lambda < 0 || lambda > LAMBDA_IDENTITY_MAX) errors.lambdaIdentity = `From 0 to ${LAMBDA_IDENTITY_MAX}.`;

  Object.assign(errors, epochProblems(form.epochs, form.epochsDecay));
  set('batchSize', intProblem(form.batchSize, BATCH.min, BATCH.max, 'a batch size'));
  checkScheduleFields(form, set, 'a step');

  const ok = Object.keys(errors).length === 0;
  const params: CycleGANStartParams | null = ok
    ? {
        dataA,
        dataB,
        name,
        imageSize: form.imageSize,
        ngf: form.ngf!,
        ndf: form.ndf!,
        nBlocks: form.nBlocks!,
        lambdaIdentity: lambda!,
        epochs: form.epochs!,
        epochsDecay: form.epochsDecay!,
        batchSize: form.batchSize!,
        ...scheduleParams(form),
      }
    : null;
  return { errors, notes, params };
}

/** The CycleGAN form for the Train view (lib/train/family-views.ts): its name comes from both folders once they are fine. */
export const cycleganForm = {
  create: defaultCycleGANForm,
  check: (form) => checkCycleGANForm(form),
  suggestName: (form, taken) => {
    const { errors } = checkCycleGANForm(form);
    return errors.dataA || errors.dataB ? '' : suggestedCycleGANName(form.dataA, form.dataB, taken);
  },
  noRunText:
    'Point at two folders of images, one per kind, and start a training: its losses and a grid of images turned A → B → A and B → A → B show here as it learns. Earlier runs are listed below.',
} satisfies FamilyForm<'train.cyclegan', CycleGANForm>;

/** How the run list reads a CycleGAN job (lib/train/family-runs.ts): its two folders, generators and batch. */
export const cycleganRun = {
  runSettings: ({ dataA, dataB, imageSize, ngf, nBlocks, epochs, epochsDecay }) => ({ dataA, dataB, imageSize, ngf, nBlocks, epochs, epochsDecay }),
  summaryParts: (s) => {
    const parts: string[] = [];
    if (s.ngf) parts.push(`ngf ${s.ngf}`);
    if (s.nBlocks) parts.push(`${s.nBlocks} ResNet block${s.nBlocks === 1 ? '' : 's'}`);
    if (s.batchSize) parts.push(`batch ${s.batchSize}`);
    return parts;
  },
} satisfies FamilyRun<RunParamsOf<'cyclegan'>>;

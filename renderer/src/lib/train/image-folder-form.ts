// What the Train view's two image-folder forms (StyleGAN2, PGGAN) share: image sizes, the fields both have (folder,
// name, size, seed, intervals, KID sample, pause point, fp16) checked alike, and the run's length in iterations and
// kimg with the notes it makes on the intervals.
import { checkScheduleFields, cleanPath, folderName, intProblem, modelNameProblem, pathProblem, scheduleParams, suggestedModelName, type FamilyForm, type FieldCheck, type ScheduleFields, type StartParamsOf, type TrainContext, type TrainMethod } from './training-form';
import { limitsOf, type SettingLimits } from '../../../../models/common/setting-limits';
import { styleGAN2Family } from '../../../../models/stylegan/family';

export type Resolution = 32 | 64 | 128 | 256;
export const RESOLUTIONS: readonly Resolution[] = [32, 64, 128, 256];

/** Limits of the KID sample (models/stylegan/family.ts; PGGAN's are the same), as the contract checks them. */
const KID_IMAGES = limitsOf(styleGAN2Family.training.schedule.kidImages);

/** The intervals both image-folder forms share (StyleGAN2, PGGAN), as far as a check reads them. */
export interface RunIntervals {
  untilStep: number | null;
  sampleEvery: number | null;
  checkpointEvery: number | null;
  kidEvery: number | null;
}

/** Notes on intervals that the run's length makes moot (each only when its own field has no error). */
export function scheduleNotes(form: RunIntervals, errors: Partial<Record<keyof RunIntervals, string>>, iterations: number): Partial<Record<keyof RunIntervals, string>> {
  const notes: Partial<Record<keyof RunIntervals, string>> = {};
  if (!errors.untilStep && form.untilStep !== null && form.untilStep >= iterations) notes.untilStep = `The run ends at iteration ${iterations.toLocaleString('en-US')} anyway.`;
  if (!errors.sampleEvery && form.sampleEvery! > iterations) notes.sampleEvery = 'Longer than the run: seed grids only at its start and end.';
  if (!errors.checkpointEvery && form.checkpointEvery! > iterations) notes.checkpointEvery = 'Longer than the run: a checkpoint only at its end or on Pause.';
  if (!errors.kidEvery && form.kidEvery! >= iterations) notes.kidEvery = 'Longer than the run: measured once, at its end.';
  return notes;
}

/** Iterations of a run, as models/stylegan/train.ts counts them: ⌈totalKimg·1000 / batch⌉. */
export function iterationsOf(totalKimg: number, batchSize: number): number {
  return Math.ceil((totalKimg * 1000) / batchSize);
}

/** Thousands of images shown after `step` iterations of `batchSize`. */
export const kimgAt = (step: number, batchSize: number): number => (step * batchSize) / 1000;

/** "0.012", "3.5", "500": enough digits to see a short run move. */
export function formatKimg(kimg: number): string {
  const digits = kimg === 0 || kimg >= 100 ? 0 : kimg >= 10 ? 1 : kimg >= 1 ? 2 : 3;
  return kimg.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** The fields both image-folder forms have, as typed (number inputs give null while empty). */
export interface ImageFolderFields extends RunIntervals, ScheduleFields {
  /** Folder of images on the computer the studio runs on. */
  dataDir: string;
  name: string;
  resolution: Resolution;
  batchSize: number | null;
  /** Length in thousands of images shown to the discriminator (may be a fraction). */
  totalKimg: number | null;
  /** Images generated for each KID measurement (`kidEvery`: iterations between them, one more at the end). */
  kidImages: number | null;
}

type ImageFolderField = Exclude<keyof ImageFolderFields, 'fp16'>;

/** The fields the shared part of an image generator's setup shows (components/train/ImageFolderSetup.svelte). */
export type ImageFolderSetupField = ImageFolderField;

/** The shared fields it shows under "Advanced" (an error in one opens it on Start). */
export const IMAGE_FOLDER_ADVANCED = ['sampleEvery', 'checkpointEvery', 'kidEvery', 'kidImages', 'untilStep', 'seed'] as const satisfies readonly ImageFolderSetupField[];

/** Why a length in kimg cannot be used (`allowZero`: 0 is fine, e.g. no fade-in), or null. */
export function kimgProblem(value: number | null, max: number, allowZero: boolean): string | null {
  if (value === null || !Number.isFinite(value)) return 'Enter a length in kimg.';
  if (allowZero ? value < 0 : value <= 0) return allowZero ? '0 or more.' : 'More than 0.';
  if (value > max) return `At most ${max.toLocaleString('en-US')}.`;
  return null;
}

/**
 * Checks the shared fields into `errors` (batch and length within the family's `limits`), with the notes the run's
 * length makes on the intervals; the cleaned folder path and name, and the run's iterations (null while its length or
 * batch has an error).
 */
export function checkImageFolderFields(
  form: ImageFolderFields,
  errors: Partial<Record<ImageFolderField, string>>,
  notes: Partial<Record<ImageFolderField, string>>,
  limits: { batchSize: SettingLimits; totalKimg: SettingLimits },
): { dataDir: string; name: string; iterations: number | null } {
  const set = (field: ImageFolderField, problem: string | null): void => {
    if (problem) errors[field] = problem;
  };
  const dataDir = cleanPath(form.dataDir);
  set('dataDir', pathProblem(dataDir));
  const name = form.name.trim();
  set('name', modelNameProblem(name));
  if (!RESOLUTIONS.includes(form.resolution)) errors.resolution = 'Choose 32, 64, 128 or 256 px.';
  set('batchSize', intProblem(form.batchSize, limits.batchSize.min, limits.batchSize.max, 'a batch size'));
  set('totalKimg', kimgProblem(form.totalKimg, limits.totalKimg.max, false));
  checkScheduleFields(form, set, 'an iteration');
  set('kidEvery', intProblem(form.kidEvery, 1, Number.MAX_SAFE_INTEGER, 'how often to measure KID'));
  set('kidImages', intProblem(form.kidImages, KID_IMAGES.min, KID_IMAGES.max, 'a number of images'));
  const iterations = !errors.totalKimg && !errors.batchSize ? iterationsOf(form.totalKimg!, form.batchSize!) : null;
  if (iterations !== null) Object.assign(notes, scheduleNotes(form, errors, iterations));
  return { dataDir, name, iterations };
}

/** The shared fields as start parameters, once every check passed. */
export function imageFolderParams(form: ImageFolderFields, dataDir: string, name: string) {
  return {
    dataDir,
    name,
    resolution: form.resolution,
    batchSize: form.batchSize!,
    totalKimg: form.totalKimg!,
    ...scheduleParams(form),
    kidEvery: form.kidEvery!,
    kidImages: form.kidImages!,
  };
}

/** A model name from the folder's name, unique among `taken`; '' while the path is not usable. */
export function folderModelName(dataDir: string, taken: readonly string[]): string {
  const dir = cleanPath(dataDir);
  const folder = folderName(dir);
  return pathProblem(dir) !== null || folder === '' ? '' : suggestedModelName(folder, taken);
}

/**
 * An image-folder family's form for the Train view (lib/train/family-views.ts): its defaults and check, with what
 * every image-folder form does around them (a model name from the folder, the same words while no run is open).
 */
export function imageFolderFamilyForm<M extends TrainMethod, Form extends ImageFolderFields, Check extends FieldCheck<string, StartParamsOf<M>>>(
  create: () => Form,
  check: (form: Form, context: TrainContext) => Check,
  leaveProject?: (form: Form) => void,
): FamilyForm<M, Form, Check> {
  return {
    create,
    check,
    suggestName: (form, taken) => folderModelName(form.dataDir, taken),
    ...(leaveProject ? { leaveProject } : {}),
    noRunText: 'Point at a folder of images and start a training: its losses and a grid of fixed seeds show here as it learns. Earlier runs are listed below.',
  };
}

// The Train view's pix2pix forms as plain values: "Prepare a dataset" and "Start training". Defaults, the families
// offered, the checks every form shares (paths, names, epochs), and validation that turns what was typed into
// contract params or a message per field (never a throw).
import type { DatasetSummary, JobKind, MethodName, PairSourceParams, ParamsIn } from '../../../../main/api/contract';
import type { FamilyView } from '../../../../models/common/family-descriptor';
import { linearDecayTotalSteps, stepsPerEpoch } from '../../../../models/common/linear-decay';
import { families, type FamilyName } from '../../../../models/families';
import { defaultsOf, limitsOf } from '../../../../models/common/setting-limits';
import { pix2pixFamily } from '../../../../models/pix2pix/family';
import type { FamilyRun, RunParamsOf } from './family-runs';
import type { FineTuneSource } from './stylegan2-form';

export type ImageSize = 64 | 128 | 256;
export const IMAGE_SIZES: readonly ImageSize[] = [64, 128, 256];

/** Limits of main/api/contract.ts's names (a value import from main/ would pull Node code into the renderer). */
const NAME_MAX = 80;
/** Limits of pix2pix's settings (models/pix2pix/family.ts; CycleGAN's epochs are the same), as the contract checks them. */
const WIDTH = limitsOf(pix2pixFamily.training.settings.ngf);
const EPOCHS_MAX = limitsOf(pix2pixFamily.training.settings.epochs).max;
const BATCH = limitsOf(pix2pixFamily.training.settings.batchSize);

/** What each form field can say: an error blocks the action, a note does not. */
export interface FieldCheck<F extends string, P> {
  errors: Partial<Record<F, string>>;
  notes: Partial<Record<F, string>>;
  /** The params to send, or null while any field has an error. */
  params: P | null;
}

/** The schedule fields every training form has. */
export type ScheduleField = 'sampleEvery' | 'checkpointEvery' | 'untilStep' | 'seed';

/** The schedule (and float16) fields every training form has, as typed (number inputs give null while empty). */
export interface ScheduleFields {
  seed: number | null;
  sampleEvery: number | null;
  checkpointEvery: number | null;
  /** Empty: train to the end. */
  untilStep: number | null;
  fp16: boolean;
}

/** A check's errors and notes per field, and `set` that files a problem (null: none) as the field's error. */
export function fieldProblems<F extends string>(): {
  errors: Partial<Record<F, string>>;
  notes: Partial<Record<F, string>>;
  set: (field: F, problem: string | null) => void;
} {
  const errors: Partial<Record<F, string>> = {};
  const notes: Partial<Record<F, string>> = {};
  const set = (field: F, problem: string | null): void => {
    if (problem) errors[field] = problem;
  };
  return { errors, notes, set };
}

/** Checks the schedule fields into `set`; `step` names the run's unit for "Stop after" ('a step', 'an iteration'). */
export function checkScheduleFields(form: ScheduleFields, set: (field: ScheduleField, problem: string | null) => void, step: string): void {
  set('seed', intProblem(form.seed, 0, Number.MAX_SAFE_INTEGER, 'a seed'));
  set('sampleEvery', intProblem(form.sampleEvery, 1, Number.MAX_SAFE_INTEGER, 'how often to sample'));
  set('checkpointEvery', intProblem(form.checkpointEvery, 1, Number.MAX_SAFE_INTEGER, 'how often to checkpoint'));
  if (form.untilStep !== null) set('untilStep', intProblem(form.untilStep, 1, Number.MAX_SAFE_INTEGER, step));
}

/** The schedule fields as start parameters, once every check passed. */
export function scheduleParams(form: ScheduleFields): { seed: number; sampleEvery: number; checkpointEvery: number; untilStep?: number; fp16: boolean } {
  return {
    seed: form.seed!,
    sampleEvery: form.sampleEvery!,
    checkpointEvery: form.checkpointEvery!,
    ...(form.untilStep === null ? {} : { untilStep: form.untilStep }),
    fp16: form.fp16,
  };
}

// ---- a family's form

/** The contract methods that start a training (the descriptors' `training.method`). */
export type TrainMethod = (typeof families)[number]['training']['method'];

/** What a training form sends to `M`: its params but the project, which the Train view adds. */
export type StartParamsOf<M extends MethodName> = Omit<ParamsIn<M>, 'projectId'>;

/** What of the project a form's check reads: its prepared datasets, and the runs and models a fine-tune may start from. */
export interface TrainContext {
  datasets: readonly DatasetSummary[];
  fineTuneSources: readonly FineTuneSource[];
}

/**
 * What a family's form file gives the Train view (registered in lib/train/family-views.ts): its form with the
 * family's defaults, the check that turns what was typed into the params of the family's `training.method`, and what
 * the view does around it. The state keeps one form per family and starts a job through the descriptor's method.
 */
export interface FamilyForm<M extends TrainMethod, Form, Check extends FieldCheck<string, StartParamsOf<M>> = FieldCheck<string, StartParamsOf<M>>> {
  create(): Form;
  check(form: Form, context: TrainContext): Check;
  /** A model name from what was typed (unique among `taken`), or '' when it suggests none yet. */
  suggestName?(form: Form, taken: readonly string[]): string;
  /** Forgets what belonged to the project left (a dataset, a run to start from): runs and datasets are per project. */
  leaveProject?(form: Form): void;
  /** What the runs column says while no run is open. */
  noRunText: string;
}

// ---- families

export type TrainingFamilyId = FamilyName;

/**
 * What the Train view can train, in the artist's words: each family's descriptor (models/<family>/family.ts) says how
 * it is offered, which job trains it and which view its model opens in.
 */
export interface TrainingFamily extends Omit<FamilyView, 'charts'> {
  id: TrainingFamilyId;
  jobKind: JobKind;
}

export const trainingFamilies: readonly TrainingFamily[] = families.map(({ name, training, view }) => ({
  id: name,
  label: view.label,
  shortLabel: view.shortLabel,
  description: view.description,
  jobKind: training.jobKind,
  opensIn: view.opensIn,
  unit: view.unit,
  grid: view.grid,
}));

export const trainingJobKinds: readonly string[] = trainingFamilies.map((f) => f.jobKind);

/** The family with id `id` (an unknown id reads as pix2pix, the first family). */
export function trainingFamily(id: TrainingFamilyId): TrainingFamily {
  return trainingFamilies.find((f) => f.id === id) ?? trainingFamilies[0]!;
}

/** The family a training job of `kind` trains (an unknown kind reads as pix2pix, the first family). */
export function familyOfJobKind(kind: string): TrainingFamily {
  return trainingFamilies.find((f) => f.jobKind === kind) ?? trainingFamilies[0]!;
}

// ---- paths

/**
 * A folder path as pasted: surrounding spaces and quotes go (Windows' "Copy as path" adds double quotes, shells
 * single ones); the path itself is left as typed.
 */
export function cleanPath(typed: string): string {
  const trimmed = typed.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(trimmed);
  return (quoted ? quoted[2]! : trimmed).trim();
}

/** Why a typed folder path cannot be used, or null. The back end runs elsewhere than the typing: paths are absolute. */
export function pathProblem(path: string): string | null {
  if (path === '') return 'Type or paste the folder’s path.';
  if (path.startsWith('~')) return 'Write the full path: “~” is not expanded (e.g. /home/me/photos).';
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path)) return 'Use the folder’s full path, e.g. /home/me/photos or C:\\Users\\me\\photos.';
  return null;
}

/** What every image-folder form says under a folder's path. */
export const FOLDER_HINT =
  'Its full path on the computer the studio runs on (a browser window has no folder picker). Any size or shape: each image is centre-cropped and resized. Nothing in the folder is changed.';

/** The last part of a folder path ("/home/me/faces/" → "faces"), for names and captions; '' when there is none. */
export function folderName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

// ---- dataset names

/** Why `name` cannot name a dataset folder (same rule as main/generation/datasets.ts), or null. */
export function datasetNameProblem(name: string): string | null {
  if (name === '') return 'Give the dataset a name.';
  if (name.length > NAME_MAX) return `At most ${NAME_MAX} characters.`;
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(name) || name.includes('..')) {
    return 'Start with a letter or digit; then letters, digits, spaces, dots, dashes and underscores.';
  }
  return null;
}

// ---- "Prepare a dataset"

export type SourceKind = PairSourceParams['kind'];

export const sourceKinds: readonly { id: SourceKind; label: string; hint: string }[] = [
  {
    id: 'photos',
    label: 'Photos → edges (sketch to photo)',
    hint: 'Each photo becomes B and its pen-like edges become A, so the model learns to turn a sketch into a photo.',
  },
  {
    id: 'side-by-side',
    label: 'Side-by-side A|B images',
    hint: 'Each image holds A in its left half and B in its right half, as in the pix2pix datasets.',
  },
  {
    id: 'two-folders',
    label: 'Two folders, A and B',
    hint: 'An image in folder A is paired with the image of the same file name in folder B.',
  },
];

export interface DatasetForm {
  name: string;
  sourceKind: SourceKind;
  /** Folder of photos or of side-by-side images. */
  dir: string;
  aDir: string;
  bDir: string;
  imageSize: ImageSize;
}

export type DatasetField = 'name' | 'dir' | 'aDir' | 'bDir';
export type PrepareParams = Omit<ParamsIn<'datasets.prepare'>, 'projectId'>;

export const defaultDatasetForm = (): DatasetForm => ({ name: '', sourceKind: 'photos', dir: '', aDir: '', bDir: '', imageSize: 128 });

export function checkDatasetForm(form: DatasetForm, existing: readonly DatasetSummary[]): FieldCheck<DatasetField, PrepareParams> {
  const errors: Partial<Record<DatasetField, string>> = {};
  const notes: Partial<Record<DatasetField, string>> = {};
  const name = form.name.trim();
  const nameProblem = datasetNameProblem(name);
  if (nameProblem) errors.name = nameProblem;
  else if (existing.some((d) => d.name === name)) notes.name = `A dataset “${name}” exists: preparing replaces it.`;

  let source: PairSourceParams | null = null;
  if (form.sourceKind === 'two-folders') {
    const aDir = cleanPath(form.aDir);
    const bDir = cleanPath(form.bDir);
    const aProblem = pathProblem(aDir);
    const bProblem = pathProblem(bDir);
    if (aProblem) errors.aDir = aProblem;
    if (bProblem) errors.bDir = bProblem;
    if (!aProblem && !bProblem && aDir === bDir) errors.bDir = 'Folder B must differ from folder A.';
    if (!errors.aDir && !errors.bDir) source = { kind: 'two-folders', aDir, bDir };
  } else {
    const dir = cleanPath(form.dir);
    const problem = pathProblem(dir);
    if (problem) errors.dir = problem;
    else source = { kind: form.sourceKind, dir };
  }
  const ok = Object.keys(errors).length === 0 && source !== null;
  return { errors, notes, params: ok ? { name, source: source!, imageSize: form.imageSize } : null };
}

// ---- "Start training"

export interface TrainingForm extends ScheduleFields {
  dataset: string;
  name: string;
  imageSize: ImageSize;
  /** Number inputs give null while empty. */
  ngf: number | null;
  ndf: number | null;
  epochs: number | null;
  epochsDecay: number | null;
  batchSize: number | null;
}

export type TrainingField =
  | 'dataset'
  | 'name'
  | 'imageSize'
  | 'ngf'
  | 'ndf'
  | 'epochs'
  | 'epochsDecay'
  | 'batchSize'
  | 'seed'
  | 'sampleEvery'
  | 'checkpointEvery'
  | 'untilStep';

export type StartParams = Omit<ParamsIn<'train.start'>, 'projectId'>;

/** The reference's settings (main/api/contract.ts Pix2pixTrainingParams defaults, from models/pix2pix/config.ts). */
export const defaultTrainingForm = (): TrainingForm => ({
  dataset: '',
  name: '',
  ...defaultsOf(pix2pixFamily.training.settings),
  seed: 1,
  ...defaultsOf(pix2pixFamily.training.schedule),
  untilStep: null,
  fp16: false,
});

/**
 * The largest training size a dataset allows: pairs are stored at pix2pix's load size (286 for 256 px training,
 * 143 for 128) and training crops from them, so the crop must fit. Null: smaller than every size.
 */
export function largestTrainingSize(storedSize: number): ImageSize | null {
  return [...IMAGE_SIZES].reverse().find((s) => s <= storedSize) ?? null;
}

/** Steps of a whole run: (epochs + decay epochs) × ⌈pairs / batch⌉, the schedule pix2pix and CycleGAN train by. */
export function totalSteps(trainPairs: number, epochs: number, epochsDecay: number, batchSize: number): number {
  return linearDecayTotalSteps({ epochs, epochsDecay }, stepsPerEpoch(trainPairs, batchSize));
}

/** A model name to start from: the dataset's, made unique among `taken` names. */
export function suggestedModelName(dataset: string, taken: readonly string[]): string {
  const base = `${dataset} model`.slice(0, NAME_MAX - 4);
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base} ${i}`)) return `${base} ${i}`;
}

/** Why `value` is not a whole number in [min, max] (`what` names it while empty), or null. */
export function intProblem(value: number | null, min: number, max: number, what: string): string | null {
  if (value === null || !Number.isFinite(value)) return `Enter ${what}.`;
  if (!Number.isInteger(value)) return 'A whole number, please.';
  if (value < min) return `At least ${min}.`;
  if (value > max) return `At most ${max.toLocaleString('en-US')}.`;
  return null;
}

/**
 * What is wrong with a linear-decay schedule (pix2pix, CycleGAN): epochs at the full learning rate, then epochs
 * decaying it to zero; at least one in all.
 */
export function epochProblems(epochs: number | null, epochsDecay: number | null): { epochs?: string; epochsDecay?: string } {
  const problems: { epochs?: string; epochsDecay?: string } = {};
  const full = intProblem(epochs, 0, EPOCHS_MAX, 'a number of epochs');
  const decay = intProblem(epochsDecay, 0, EPOCHS_MAX, 'a number of decay epochs');
  if (full) problems.epochs = full;
  if (decay) problems.epochsDecay = decay;
  if (!full && !decay && epochs! + epochsDecay! === 0) problems.epochs = 'Train for at least one epoch in all (epochs + decay epochs).';
  return problems;
}

/** Why `name` (trimmed) cannot name a model in the library, or null. */
export function modelNameProblem(name: string): string | null {
  if (name === '') return 'Name the model (it goes into the library under this name).';
  if (name.length > NAME_MAX) return `At most ${NAME_MAX} characters.`;
  return null;
}

export function checkTrainingForm(
  form: TrainingForm,
  datasets: readonly DatasetSummary[],
): FieldCheck<TrainingField, StartParams> & { totalSteps: number | null } {
  const { errors, notes, set } = fieldProblems<TrainingField>();

  const dataset = datasets.find((d) => d.name === form.dataset) ?? null;
  if (form.dataset === '') errors.dataset = datasets.length === 0 ? 'Prepare a dataset first.' : 'Choose a dataset.';
  else if (!dataset) errors.dataset = `The project has no dataset “${form.dataset}” any more.`;
  else if (dataset.train === 0) errors.dataset = 'This dataset has no training pairs: prepare it again.';
  else if (!dataset.complete) notes.dataset = `Incomplete: its preparation was cancelled, so only ${dataset.train} training pairs are in it.`;

  const name = form.name.trim();
  set('name', modelNameProblem(name));

  if (!IMAGE_SIZES.includes(form.imageSize)) errors.imageSize = 'Choose 64, 128 or 256 px.';
  else if (dataset) {
    const largest = largestTrainingSize(dataset.storedSize);
    if (largest === null) errors.imageSize = `The dataset’s images are only ${dataset.storedSize} px: prepare it again at a larger size.`;
    else if (form.imageSize > largest) {
      errors.imageSize = `“${dataset.name}” was prepared for up to ${largest} px: choose ${largest} px or less, or prepare it again at ${form.imageSize} px.`;
    }
  }

  set('ngf', intProblem(form.ngf, WIDTH.min, WIDTH.max, 'the generator’s width'));
  set('ndf', intProblem(form.ndf, WIDTH.min, WIDTH.max, 'the discriminator’s width'));
  Object.assign(errors, epochProblems(form.epochs, form.epochsDecay));
  set('batchSize', intProblem(form.batchSize, BATCH.min, BATCH.max, 'a batch size'));
  checkScheduleFields(form, set, 'a step');

  const countable = dataset && dataset.train > 0 && !errors.epochs && !errors.epochsDecay && !errors.batchSize;
  const steps = countable ? totalSteps(dataset.train, form.epochs!, form.epochsDecay!, form.batchSize!) : null;
  if (steps !== null) {
    if (!errors.untilStep && form.untilStep !== null && form.untilStep >= steps) {
      notes.untilStep = `The run ends at step ${steps.toLocaleString('en-US')} anyway.`;
    }
    if (!errors.sampleEvery && form.sampleEvery! > steps) notes.sampleEvery = 'Longer than the run: samples only at its start and end.';
    if (!errors.checkpointEvery && form.checkpointEvery! > steps) notes.checkpointEvery = 'Longer than the run: a checkpoint only at its end or on Pause.';
  }

  const ok = Object.keys(errors).length === 0;
  const params: StartParams | null = ok
    ? {
        dataset: form.dataset,
        name,
        imageSize: form.imageSize,
        ngf: form.ngf!,
        ndf: form.ndf!,
        epochs: form.epochs!,
        epochsDecay: form.epochsDecay!,
        batchSize: form.batchSize!,
        ...scheduleParams(form),
      }
    : null;
  return { errors, notes, params, totalSteps: steps };
}

/** The pix2pix form for the Train view (lib/train/family-views.ts). */
export const pix2pixForm = {
  create: defaultTrainingForm,
  check: (form, { datasets }) => checkTrainingForm(form, datasets),
  leaveProject: (form) => {
    form.dataset = '';
  },
  noRunText: 'Prepare a dataset, then start a training: its losses, held-out PSNR and sample grids show here as it learns. Earlier runs are listed below.',
} satisfies FamilyForm<'train.start', TrainingForm>;

/** How the run list reads a pix2pix job (lib/train/family-runs.ts): its prepared dataset and generator width. */
export const pix2pixRun = {
  runSettings: ({ dataset, imageSize, ngf, epochs, epochsDecay }) => ({ dataset, imageSize, ngf, epochs, epochsDecay }),
  // Its runs have always read "Pix2Pix on “shoes”", without their batch (the descriptor's short label is "pix2pix").
  summaryLabel: 'Pix2Pix',
  summaryParts: (s) => (s.ngf ? [`ngf ${s.ngf}`] : []),
} satisfies FamilyRun<RunParamsOf<'pix2pix'>>;

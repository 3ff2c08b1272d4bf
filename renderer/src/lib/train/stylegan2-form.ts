// The Train view's "Image generator (StyleGAN2)" form as plain values: network size presets, defaults, what a setting
// costs (iterations, work per image) and validation that turns what was typed into 'train.stylegan2' params or a
// message per field (never a throw).
import type { ParamsIn, ResultOf } from '../../../../main/api/contract';
import { checkImageFolderFields, formatKimg, imageFolderFamilyForm, imageFolderParams, kimgAt, type ImageFolderFields, type Resolution } from './image-folder-form';
import { fieldProblems, intProblem, type FieldCheck } from './training-form';
import type { TrainingRun } from './training-runs';
import { DIFF_AUGMENT_OPS } from '../../../../models/common/diff-augment-policy';
import { defaultsOf, limitsOf, limitsOfAll } from '../../../../models/common/setting-limits';
import { styleGAN2Family } from '../../../../models/stylegan/family';
import type { FamilyRun, RunParamsOf } from './family-runs';

/** Limits of the family's settings (models/stylegan/family.ts), as the contract checks them. */
const settings = styleGAN2Family.training.settings;
const CHANNEL_BASE = limitsOf(settings.channelBase);
const CHANNEL_MAX = limitsOf(settings.channelMax);
const MAPPING = limitsOf(settings.mappingLayers);
const LIMITS = limitsOfAll(settings);
const R1_MAX = limitsOf(settings.r1Gamma).max;
/** Fewer channels than this at the full resolution: it runs, but the pictures stay crude. */
const FEW_CHANNELS = 8;

// ---- network size

/**
 * Ready-made network sizes. A layer at r px has min(channelBase / r, channelMax) channels (models/stylegan/config.ts).
 * Small is styleGAN2TinyConfig's widths with cfg 'auto''s 2 mapping layers; Reference is the paper's (cfg 'paper256').
 */
export interface SizePreset {
  id: 'small' | 'reference';
  label: string;
  hint: string;
  channelBase: number;
  channelMax: number;
  mappingLayers: number;
}

export const sizePresets: readonly SizePreset[] = [
  {
    id: 'small',
    label: 'Small (CPU)',
    hint: 'Up to 128 channels per layer and a 2-layer mapping network: made to train on this computer’s processor.',
    channelBase: 4096,
    channelMax: 128,
    mappingLayers: 2,
  },
  {
    id: 'reference',
    label: 'Reference (paper)',
    hint: 'Up to 512 channels and 8 mapping layers, as StyleGAN2 itself: sharper results, but meant for a fast GPU.',
    channelBase: 16_384,
    channelMax: 512,
    mappingLayers: 8,
  },
];

export type SizePresetId = SizePreset['id'] | 'custom';

// ---- the form

export interface StyleGAN2Form extends ImageFolderFields {
  /** Number inputs give null while empty. */
  channelBase: number | null;
  channelMax: number | null;
  mappingLayers: number | null;
  mirror: boolean;
  /** DiffAugment (colour, translation, cutout) of what the discriminator sees: for datasets of hundreds of images. */
  augment: boolean;
  /** Empty: the reference's automatic γ = 0.0002·res²/batch. */
  r1Gamma: number | null;
  /** Fine-tune: the run (its first job's id, its latest checkpoint) or model the networks start from; null: random weights. */
  fineTuneFrom: FineTuneRef | null;
}

export type StyleGAN2Field =
  | 'dataDir'
  | 'name'
  | 'resolution'
  | 'channelBase'
  | 'channelMax'
  | 'mappingLayers'
  | 'batchSize'
  | 'totalKimg'
  | 'r1Gamma'
  | 'seed'
  | 'sampleEvery'
  | 'checkpointEvery'
  | 'kidEvery'
  | 'kidImages'
  | 'untilStep'
  | 'fineTuneFrom';

export type StyleGAN2StartParams = Omit<ParamsIn<'train.stylegan2'>, 'projectId'>;

/** The contract's defaults (64 px, batch 16, 500 kimg, mirrored), with the Small network so a CPU can train it. */
export const defaultStyleGAN2Form = (): StyleGAN2Form => ({
  dataDir: '',
  name: '',
  ...defaultsOf(settings),
  ...sizeOf(sizePresets[0]!),
  augment: true, // every op of the contract's default
  r1Gamma: null,
  seed: 1,
  ...defaultsOf(styleGAN2Family.training.schedule),
  untilStep: null,
  fp16: false,
  fineTuneFrom: null,
});

function sizeOf(preset: SizePreset): Pick<StyleGAN2Form, 'channelBase' | 'channelMax' | 'mappingLayers'> {
  return { channelBase: preset.channelBase, channelMax: preset.channelMax, mappingLayers: preset.mappingLayers };
}

/** The preset whose widths and mapping depth the form has, or 'custom'. */
export function presetOf(form: Pick<StyleGAN2Form, 'channelBase' | 'channelMax' | 'mappingLayers'>): SizePresetId {
  const match = sizePresets.find((p) => p.channelBase === form.channelBase && p.channelMax === form.channelMax && p.mappingLayers === form.mappingLayers);
  return match?.id ?? 'custom';
}

/** Sets the form's widths and mapping depth to a preset's; 'custom' leaves them as they are. */
export function applyPreset(form: StyleGAN2Form, id: SizePresetId): void {
  const preset = sizePresets.find((p) => p.id === id);
  if (preset) Object.assign(form, sizeOf(preset));
}

// ---- fine-tuning

/** What a fine-tune starts from, as 'train.stylegan2' names it: a run of the project, or a model that keeps its D. */
export type FineTuneRef = { run: number } | { model: number };

/** A start for a new run: trained networks whose sizes the new run takes on. */
export interface FineTuneSource {
  ref: FineTuneRef;
  /** Unique among the sources: "run:12", "model:3" (a select's value). */
  key: string;
  kind: 'run' | 'model';
  label: string;
  resolution: Resolution;
  channelBase: number;
  channelMax: number;
  mappingLayers: number;
}

export const fineTuneKey = (ref: FineTuneRef): string => ('run' in ref ? `run:${ref.run}` : `model:${ref.model}`);

/**
 * The starts a StyleGAN2 form offers: the project's StyleGAN2 runs with a checkpoint (newest first, by name, iteration
 * and kimg), then the models that keep their discriminator (train.fineTuneModels: the shipped demo models).
 */
export function fineTuneSources(runs: readonly TrainingRun[], models: ResultOf<'train.fineTuneModels'> = []): FineTuneSource[] {
  const fromRuns = runs.flatMap((run): FineTuneSource[] => {
    const { name, imageSize, channelBase, channelMax, mappingLayers, batchSize } = run.settings;
    if (run.family !== 'stylegan2' || run.checkpointStep === null || imageSize === null || channelBase === null || channelMax === null || mappingLayers === null) return [];
    const kimg = batchSize === null ? '' : ` (${formatKimg(kimgAt(run.checkpointStep, batchSize))} kimg)`;
    const ref = { run: run.rootId };
    const label = `${name || `Run ${run.rootId}`} · iteration ${run.checkpointStep.toLocaleString('en-US')}${kimg}`;
    return [{ ref, key: fineTuneKey(ref), kind: 'run', label, resolution: imageSize as Resolution, channelBase, channelMax, mappingLayers }];
  });
  const fromModels = models.map((m): FineTuneSource => {
    const ref = { model: m.modelId };
    const label = `${m.name}${m.source === 'builtin' ? ' (shipped)' : ''} · ${m.resolution} px`;
    return { ref, key: fineTuneKey(ref), kind: 'model', label, resolution: m.resolution as Resolution, channelBase: m.channelBase, channelMax: m.channelMax, mappingLayers: m.mappingLayers };
  });
  return [...fromRuns, ...fromModels];
}

/** Starts the form from `source`'s networks (its resolution and sizes with them), or from random weights (null). */
export function useFineTuneSource(form: StyleGAN2Form, source: FineTuneSource | null): void {
  form.fineTuneFrom = source?.ref ?? null;
  if (source) Object.assign(form, { resolution: source.resolution, channelBase: source.channelBase, channelMax: source.channelMax, mappingLayers: source.mappingLayers });
}

/** Why the form cannot start from its chosen run or model, or null (none chosen, or it fits). */
function fineTuneProblem(form: StyleGAN2Form, sources: readonly FineTuneSource[]): string | null {
  if (form.fineTuneFrom === null) return null;
  const key = fineTuneKey(form.fineTuneFrom);
  const source = sources.find((s) => s.key === key);
  if (!source) return 'That start is not in this project any more: choose another.';
  const same = form.resolution === source.resolution && form.channelBase === source.channelBase && form.channelMax === source.channelMax && form.mappingLayers === source.mappingLayers;
  return same
    ? null
    : `That ${source.kind} is ${source.resolution} px with channels ${source.channelBase}/${source.channelMax} and ${source.mappingLayers} mapping layers: a fine-tune keeps its network, so set the same.`;
}

// ---- what a setting costs

/** R1 weight γ the back end picks when none is given (cfg 'auto'): 0.0002·res²/batch. */
export const autoR1Gamma = (resolution: number, batchSize: number): number => (0.0002 * resolution * resolution) / batchSize;

/** Channels of the layers at `r` px: min(channelBase / r, channelMax) (models/stylegan/config.ts channelsAt). */
export const channelsAt = (channelBase: number, channelMax: number, r: number): number => Math.min(Math.floor(channelBase / r), channelMax);

/**
 * Relative compute per image: Σ over the resolutions 4…res of channels² · r² (a 3×3 conv costs C_in·C_out per pixel),
 * divided by the same sum for the Small preset at 64 px. 1 = Small at 64 px; the Reference preset at 64 px is 16.
 */
export function workPerImage(resolution: number, channelBase: number, channelMax: number): number {
  const sum = (base: number, max: number, res: number): number => {
    let total = 0;
    for (let r = 4; r <= res; r *= 2) total += channelsAt(base, max, r) ** 2 * r * r;
    return total;
  };
  const small = sizePresets[0]!;
  return sum(channelBase, channelMax, resolution) / sum(small.channelBase, small.channelMax, 64);
}

const isPowerOf2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

function powerOf2Problem(value: number | null, limits: { min: number; max: number }, what: string): string | null {
  const problem = intProblem(value, limits.min, limits.max, what);
  if (problem) return problem;
  if (!isPowerOf2(value!)) return `A power of 2 (e.g. ${2 ** Math.round(Math.log2(value!))}).`;
  return null;
}

export function checkStyleGAN2Form(form: StyleGAN2Form, sources: readonly FineTuneSource[] = []): FieldCheck<StyleGAN2Field, StyleGAN2StartParams> & { iterations: number | null } {
  const { errors, notes, set } = fieldProblems<StyleGAN2Field>();

  const { dataDir, name, iterations } = checkImageFolderFields(form, errors, notes, LIMITS);

  set('channelBase', powerOf2Problem(form.channelBase, CHANNEL_BASE, 'the channel base'));
  set('channelMax', powerOf2Problem(form.channelMax, CHANNEL_MAX, 'the channel maximum'));
  set('mappingLayers', intProblem(form.mappingLayers, MAPPING.min, MAPPING.max, 'a number of mapping layers'));
  if (!errors.channelBase && !errors.channelMax && !errors.resolution) {
    const finest = channelsAt(form.channelBase!, form.channelMax!, form.resolution);
    if (finest < FEW_CHANNELS) notes.channelBase = `Only ${finest} channel${finest === 1 ? '' : 's'} at ${form.resolution} px: fine for a try-out, too few for detail.`;
  }

  if (form.r1Gamma !== null) {
    if (!Number.isFinite(form.r1Gamma) || form.r1Gamma < 0 || form.r1Gamma > R1_MAX) errors.r1Gamma = `From 0 to ${R1_MAX}, or empty for automatic.`;
  }

  set('fineTuneFrom', fineTuneProblem(form, sources));

  const ok = Object.keys(errors).length === 0;
  const params: StyleGAN2StartParams | null = ok
    ? {
        ...imageFolderParams(form, dataDir, name),
        channelBase: form.channelBase!,
        channelMax: form.channelMax!,
        mappingLayers: form.mappingLayers!,
        mirror: form.mirror,
        augment: form.augment ? [...DIFF_AUGMENT_OPS] : [],
        ...(form.r1Gamma === null ? {} : { r1Gamma: form.r1Gamma }),
        ...(form.fineTuneFrom === null ? {} : { fineTuneFrom: form.fineTuneFrom }),
      }
    : null;
  return { errors, notes, params, iterations };
}

/** The StyleGAN2 form for the Train view (lib/train/family-views.ts): a fine-tune starts from a run of the project shown. */
export const styleGAN2Form = imageFolderFamilyForm<'train.stylegan2', StyleGAN2Form, ReturnType<typeof checkStyleGAN2Form>>(
  defaultStyleGAN2Form,
  (form, { fineTuneSources }) => checkStyleGAN2Form(form, fineTuneSources),
  (form) => {
    form.fineTuneFrom = null;
  },
);

/** How the run list reads a StyleGAN2 job (lib/train/family-runs.ts): its folder, length, network widths and batch. */
export const styleGAN2Run = {
  runSettings: ({ dataDir, resolution, totalKimg, channelBase, channelMax, mappingLayers }) => ({ dataDir, imageSize: resolution, totalKimg, channelBase, channelMax, mappingLayers }),
  summaryParts: (s) => {
    const parts: string[] = [];
    if (s.channelBase) parts.push(`channels ${s.channelBase}/${s.channelMax}`);
    if (s.batchSize) parts.push(`batch ${s.batchSize}`);
    return parts;
  },
} satisfies FamilyRun<RunParamsOf<'stylegan2'>>;

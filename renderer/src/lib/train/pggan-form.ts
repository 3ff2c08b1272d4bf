// The Train view's "Progressive GAN (PGGAN)" form as plain values: feature-map size presets, defaults, the growing
// schedule (kimg per resolution and per fade-in) and validation that turns what was typed into 'train.pggan' params
// or a message per field (never a throw).
import type { ParamsIn } from '../../../../main/api/contract';
import { checkImageFolderFields, imageFolderFamilyForm, imageFolderParams, kimgProblem, type ImageFolderFields } from './image-folder-form';
import { fieldProblems, intProblem, type FieldCheck } from './training-form';
import { defaultsOf, limitsOf, limitsOfAll } from '../../../../models/common/setting-limits';
import { pgganFamily } from '../../../../models/pggan/family';
import type { FamilyRun, RunParamsOf } from './family-runs';

/** Limits of the family's settings (models/pggan/family.ts), as the contract checks them. */
const settings = pgganFamily.training.settings;
const FMAP_BASE = limitsOf(settings.fmapBase);
const FMAP_MAX = limitsOf(settings.fmapMax);
const LOD_KIMG_MAX = limitsOf(settings.lodTrainingKimg).max;
const LIMITS = limitsOfAll(settings);

// ---- network size

/** Ready-made widths: stage s (4 px is stage 1) has min(fmapBase / 2^s, fmapMax) feature maps (models/pggan/config.ts). */
export interface FmapPreset {
  id: 'small' | 'reference';
  label: string;
  hint: string;
  fmapBase: number;
  fmapMax: number;
}

export const fmapPresets: readonly FmapPreset[] = [
  {
    id: 'small',
    label: 'Small (CPU)',
    hint: 'Up to 128 feature maps per layer: made to train on this computer’s processor.',
    fmapBase: 2048,
    fmapMax: 128,
  },
  {
    id: 'reference',
    label: 'Reference (paper)',
    hint: 'Up to 512 feature maps, as the Progressive GAN paper: sharper results, but meant for a fast GPU.',
    fmapBase: 8192,
    fmapMax: 512,
  },
];

export type FmapPresetId = FmapPreset['id'] | 'custom';

// ---- the form

export interface PGGANForm extends ImageFolderFields {
  /** Number inputs give null while empty. */
  fmapBase: number | null;
  fmapMax: number | null;
  /** Thousands of images shown at each resolution before the next one fades in, and over which it fades in. */
  lodTrainingKimg: number | null;
  lodTransitionKimg: number | null;
}

export type PGGANField = Exclude<keyof PGGANForm, 'fp16'>;

export type PGGANStartParams = Omit<ParamsIn<'train.pggan'>, 'projectId'>;

/** The contract's defaults: 64 px, the Small widths, batch 16, 60 + 60 kimg per resolution, 600 kimg in all. */
export const defaultPGGANForm = (): PGGANForm => ({
  dataDir: '',
  name: '',
  ...defaultsOf(settings),
  ...fmapOf(fmapPresets[0]!),
  seed: 1,
  ...defaultsOf(pgganFamily.training.schedule),
  untilStep: null,
  fp16: false,
});

function fmapOf(preset: FmapPreset): Pick<PGGANForm, 'fmapBase' | 'fmapMax'> {
  return { fmapBase: preset.fmapBase, fmapMax: preset.fmapMax };
}

/** The preset whose widths the form has, or 'custom'. */
export function fmapPresetOf(form: Pick<PGGANForm, 'fmapBase' | 'fmapMax'>): FmapPresetId {
  return fmapPresets.find((p) => p.fmapBase === form.fmapBase && p.fmapMax === form.fmapMax)?.id ?? 'custom';
}

/** Sets the form's widths to a preset's; 'custom' leaves them as they are. */
export function applyFmapPreset(form: PGGANForm, id: FmapPresetId): void {
  const preset = fmapPresets.find((p) => p.id === id);
  if (preset) Object.assign(form, fmapOf(preset));
}

// ---- the growing schedule

/** Feature maps at `r` px: min(fmapBase / 2^(log2 r − 1), fmapMax) (4 px is stage 1). */
export const fmapsAt = (fmapBase: number, fmapMax: number, r: number): number => Math.min(Math.floor(fmapBase / 2 ** (Math.log2(r) - 1)), fmapMax);

/**
 * Thousands of images until the network has grown to `resolution`: every step up from 4 px trains one phase
 * (lodTrainingKimg) and then fades the next resolution in (lodTransitionKimg), as models/pggan/config.ts schedules it.
 */
export function kimgToFullSize(resolution: number, lodTrainingKimg: number, lodTransitionKimg: number): number {
  return (Math.log2(resolution) - 2) * (lodTrainingKimg + lodTransitionKimg);
}

export function checkPGGANForm(form: PGGANForm): FieldCheck<PGGANField, PGGANStartParams> & { iterations: number | null; fullSizeKimg: number | null } {
  const { errors, notes, set } = fieldProblems<PGGANField>();

  const { dataDir, name, iterations } = checkImageFolderFields(form, errors, notes, LIMITS);

  set('fmapBase', intProblem(form.fmapBase, FMAP_BASE.min, FMAP_BASE.max, 'the feature-map base'));
  set('fmapMax', intProblem(form.fmapMax, FMAP_MAX.min, FMAP_MAX.max, 'the feature-map maximum'));
  if (!errors.fmapBase && !errors.fmapMax && !errors.resolution) {
    const finest = fmapsAt(form.fmapBase!, form.fmapMax!, form.resolution);
    if (finest < 1) errors.fmapBase = `No feature maps left at ${form.resolution} px: a larger base.`;
    else if (finest < 8) notes.fmapBase = `Only ${finest} feature map${finest === 1 ? '' : 's'} at ${form.resolution} px: fine for a try-out, too few for detail.`;
  }

  set('lodTrainingKimg', kimgProblem(form.lodTrainingKimg, LOD_KIMG_MAX, false));
  set('lodTransitionKimg', kimgProblem(form.lodTransitionKimg, LOD_KIMG_MAX, true));

  const fullSizeKimg =
    !errors.resolution && !errors.lodTrainingKimg && !errors.lodTransitionKimg
      ? kimgToFullSize(form.resolution, form.lodTrainingKimg!, form.lodTransitionKimg!)
      : null;
  if (fullSizeKimg !== null && !errors.totalKimg && form.totalKimg! < fullSizeKimg) {
    notes.totalKimg = `Ends before it reaches ${form.resolution} px (that takes ${+fullSizeKimg.toPrecision(4)} kimg): the model stays smaller.`;
  }

  const ok = Object.keys(errors).length === 0;
  const params: PGGANStartParams | null = ok
    ? {
        ...imageFolderParams(form, dataDir, name),
        fmapBase: form.fmapBase!,
        fmapMax: form.fmapMax!,
        lodTrainingKimg: form.lodTrainingKimg!,
        lodTransitionKimg: form.lodTransitionKimg!,
      }
    : null;
  return { errors, notes, params, iterations, fullSizeKimg };
}

/** The PGGAN form for the Train view (lib/train/family-views.ts). */
export const pgganForm = imageFolderFamilyForm<'train.pggan', PGGANForm, ReturnType<typeof checkPGGANForm>>(defaultPGGANForm, (form) => checkPGGANForm(form));

/** How the run list reads a PGGAN job (lib/train/family-runs.ts): its fmapBase/fmapMax are the run's network widths. */
export const pgganRun = {
  runSettings: ({ dataDir, resolution, totalKimg, fmapBase, fmapMax }) => ({ dataDir, imageSize: resolution, totalKimg, channelBase: fmapBase, channelMax: fmapMax }),
  summaryParts: (s) => {
    const parts: string[] = [];
    if (s.channelBase) parts.push(`feature maps ${s.channelBase}/${s.channelMax}`);
    if (s.batchSize) parts.push(`batch ${s.batchSize}`);
    return parts;
  },
} satisfies FamilyRun<RunParamsOf<'pggan'>>;

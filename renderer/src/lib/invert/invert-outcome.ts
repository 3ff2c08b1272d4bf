// What an inversion job reports, read from its untyped record: the result main/jobs/kinds/invert.ts stores, and the
// settings an artist may choose (space, steps) with their bounds from the contract's 'stylegan.invert'.
import { INVERT_STEPS, type InvertSpace } from '../../../../main/api/contract.js';

export type { InvertSpace };

export const SPACES: readonly { id: InvertSpace; label: string; explanation: string }[] = [
  { id: 'w+', label: 'W+', explanation: 'One style per layer: reconstructs your picture more closely.' },
  { id: 'w', label: 'W', explanation: 'One style for every layer: edits behave more like the model’s own images.' },
];

export const STEPS_RANGE = { min: INVERT_STEPS.min, max: INVERT_STEPS.max } as const;
export const DEFAULT_STEPS: number = INVERT_STEPS.default;
/** Steps presets: a quick look (about a fifth of the time) and the reference projector's 1000. */
export const STEPS_PRESETS: readonly { id: string; label: string; steps: number; title: string }[] = [
  { id: 'quick', label: 'Quick', steps: 200, title: '200 steps: a rough likeness in a fifth of the time' },
  { id: 'full', label: 'Full', steps: DEFAULT_STEPS, title: '1000 steps, as the StyleGAN2 projector runs' },
];

/** The result of a finished (or stopped) inversion; ids are null when it stopped before the end. */
export interface InvertOutcome {
  notices: string[];
  previews: number;
  latentId: number | null;
  generationId: number | null;
  outputAssetId: number | null;
  /** Of the reconstruction against the picture at the model's size: dB, and SSIM in [−1, 1]. */
  psnr: number | null;
  ssim: number | null;
}

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A job's `result` as an inversion outcome, or null when it is not one (yet). */
export function invertOutcomeOf(result: unknown): InvertOutcome | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as Record<string, unknown>;
  if (!Array.isArray(r['notices'])) return null;
  return {
    notices: r['notices'].filter((n): n is string => typeof n === 'string'),
    previews: numberOrNull(r['previews']) ?? 0,
    latentId: numberOrNull(r['latentId']),
    generationId: numberOrNull(r['generationId']),
    outputAssetId: numberOrNull(r['outputAssetId']),
    psnr: numberOrNull(r['psnr']),
    ssim: numberOrNull(r['ssim']),
  };
}

/** Steps typed by the artist, or null when they are not a whole number in range. */
export function parseSteps(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const steps = Number(text);
  return steps >= STEPS_RANGE.min && steps <= STEPS_RANGE.max ? steps : null;
}

/** "23.41 dB" / "0.812"; a dash while unknown. */
export const formatPsnr = (psnr: number | null | undefined): string => (psnr === null || psnr === undefined ? '—' : `${psnr.toFixed(2)} dB`);
export const formatSsim = (ssim: number | null | undefined): string => (ssim === null || ssim === undefined ? '—' : ssim.toFixed(3));

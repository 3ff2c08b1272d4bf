// The settings of an inversion an artist may choose (space, steps) with their bounds from the contract's
// 'stylegan.invert', and how its measures (the job's InvertOutcome) are shown.
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

/** Steps typed by the artist, or null when they are not a whole number in range. */
export function parseSteps(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const steps = Number(text);
  return steps >= STEPS_RANGE.min && steps <= STEPS_RANGE.max ? steps : null;
}

/** "23.41 dB" / "0.812"; a dash while unknown. */
export const formatPsnr = (psnr: number | null | undefined): string => (psnr === null || psnr === undefined ? '—' : `${psnr.toFixed(2)} dB`);
export const formatSsim = (ssim: number | null | undefined): string => (ssim === null || ssim === undefined ? '—' : ssim.toFixed(3));

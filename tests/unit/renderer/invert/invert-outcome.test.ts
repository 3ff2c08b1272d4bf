// The Invert view's reading of an inversion job: its result (main/jobs/kinds/invert.ts's outcome) and the steps an
// artist may type, within the contract's bounds for stylegan.invert.
import { describe, expect, it } from 'vitest';
import { methods } from '../../../../main/api/contract.js';
import { DEFAULT_STEPS, formatPsnr, formatSsim, invertOutcomeOf, parseSteps, STEPS_PRESETS, STEPS_RANGE } from '../../../../renderer/src/lib/invert/invert-outcome.js';

const invert = methods['stylegan.invert'].params;

describe('invert outcome', () => {
  it('reads a finished inversion’s result, and a stopped one with its ids still null', () => {
    const done = { notices: ['The picture is 64×48: its centre square was used.'], previews: 20, latentId: 4, generationId: 7, outputAssetId: 12, psnr: 18.25, ssim: 0.61 };
    expect(invertOutcomeOf(done)).toEqual(done);
    const stopped = { notices: [], previews: 3, latentId: null, generationId: null, outputAssetId: null, psnr: null, ssim: null };
    expect(invertOutcomeOf(stopped)).toEqual(stopped);
    expect(invertOutcomeOf(null)).toBeNull();
    expect(invertOutcomeOf({ files: [] })).toBeNull();
    expect(invertOutcomeOf({ notices: ['ok', 3], psnr: Number.NaN })).toMatchObject({ notices: ['ok'], psnr: null, previews: 0 });
  });

  it('takes typed steps only as a whole number the contract accepts', () => {
    expect(parseSteps('40')).toBe(40);
    expect(parseSteps(' 1000 ')).toBe(1000);
    for (const bad of ['', '9', '5001', '12.5', '-20', '1e3', 'abc']) expect(parseSteps(bad)).toBeNull();
    for (const steps of [STEPS_RANGE.min, STEPS_RANGE.max, DEFAULT_STEPS, ...STEPS_PRESETS.map((p) => p.steps)]) {
      expect(invert.safeParse({ projectId: 1, modelId: 1, assetId: 1, steps }).success).toBe(true);
    }
    expect(invert.safeParse({ projectId: 1, modelId: 1, assetId: 1, steps: STEPS_RANGE.min - 1 }).success).toBe(false);
    expect(invert.parse({ projectId: 1, modelId: 1, assetId: 1 }).steps).toBe(DEFAULT_STEPS);
  });

  it('shows PSNR in dB and SSIM to three places, a dash while unknown', () => {
    expect(formatPsnr(18.254)).toBe('18.25 dB');
    expect(formatSsim(0.61234)).toBe('0.612');
    expect(formatPsnr(null)).toBe('—');
    expect(formatSsim(undefined)).toBe('—');
  });
});

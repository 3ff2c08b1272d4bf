// The Invert view's settings of an inversion: the steps an artist may type, within the contract's bounds for
// stylegan.invert, and how its measures are shown. (Its outcome's shape: tests/unit/api/job-records.test.ts.)
import { describe, expect, it } from 'vitest';
import { methods } from '../../../../main/api/contract.js';
import { DEFAULT_STEPS, formatPsnr, formatSsim, parseSteps, STEPS_PRESETS, STEPS_RANGE } from '../../../../renderer/src/lib/invert/invert-settings.js';

const invert = methods['stylegan.invert'].params;

describe('invert outcome', () => {
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

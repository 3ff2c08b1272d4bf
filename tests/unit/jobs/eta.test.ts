import { describe, expect, it } from 'vitest';
import { EtaEstimator } from '../../../main/jobs/eta.js';

describe('EtaEstimator', () => {
  it('estimates from the step rate since the first report', () => {
    let now = 0;
    const eta = new EtaEstimator(() => now);
    expect(eta.update(0, 100)).toBeNull();
    now = 10_000;
    expect(eta.update(10, 100)).toBeCloseTo(90);
  });

  it('starts over when a resumed run jumps from its loading phase to its checkpoint step', () => {
    let now = 0;
    const eta = new EtaEstimator(() => now);
    expect(eta.update(0, 0)).toBeNull(); // loading the dataset
    now = 5_000;
    expect(eta.update(12_000, 40_000)).toBeNull(); // first step after the checkpoint: no rate yet
    now = 15_000;
    expect(eta.update(12_020, 40_000)).toBeCloseTo(((40_000 - 12_020) * 10) / 20);
  });
});

// Seed pages of the Generate view: consecutive seeds that wrap at the ends of the uint32 space, what the start field
// accepts, and the truncation cutoffs offered per resolution (the same layout as the model code's wsResolutions).
import { describe, expect, it } from 'vitest';
import { cutoffChoices, MAX_SEED, pageSeeds, parseSeed, randomPageStart, shiftPage, wsResolutions } from '../../../../renderer/src/lib/generate/seed-pages.js';
import { numWs, wsResolutions as modelWsResolutions } from '../../../../models/stylegan/networks.js';

describe('seed pages', () => {
  it('lists consecutive seeds and pages forward and back by a page', () => {
    expect(pageSeeds(100, 4)).toEqual([100, 101, 102, 103]);
    expect(shiftPage(100, 16, 1)).toBe(116);
    expect(shiftPage(116, 16, -1)).toBe(100);
  });

  it('wraps round the ends of the seed space, so every seed it names is valid', () => {
    expect(pageSeeds(MAX_SEED - 1, 4)).toEqual([MAX_SEED - 1, MAX_SEED, 0, 1]);
    expect(shiftPage(0, 16, -1)).toBe(MAX_SEED - 15);
    expect(shiftPage(MAX_SEED - 15, 16, 1)).toBe(0);
  });

  it('draws random page starts inside the seed space', () => {
    expect(randomPageStart(() => 0)).toBe(0);
    expect(randomPageStart(() => 0.999999999999)).toBeLessThanOrEqual(MAX_SEED);
    expect(Number.isInteger(randomPageStart())).toBe(true);
  });

  it('accepts whole numbers from 0 to 2³² − 1 in the start field, nothing else', () => {
    expect(parseSeed(' 42 ')).toBe(42);
    expect(parseSeed(String(MAX_SEED))).toBe(MAX_SEED);
    for (const bad of ['', '-1', '1.5', '1e3', 'abc', String(MAX_SEED + 1)]) expect(parseSeed(bad)).toBeNull();
  });
});

describe('truncation cutoffs', () => {
  it('has the model code’s w layout at every trainable resolution', () => {
    for (const size of [32, 64, 128, 256, 1024]) {
      expect(wsResolutions(size)).toEqual(modelWsResolutions(size));
      expect(wsResolutions(size)).toHaveLength(numWs(size));
    }
  });

  it('offers truncating the first 1 … num_ws − 1 layers, labelled by the finest resolution they reach', () => {
    const choices = cutoffChoices(32); // ws modulate [4, 8, 8, 16, 16, 32, 32, 32]
    expect(choices.map((c) => c.layers)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(choices[3]!.label).toBe('First 4 (≤ 16 px)');
  });
});

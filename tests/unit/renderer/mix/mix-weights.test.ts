// Layer weights of the Mix view: presets, per-source edits and source changes always leave rows summing to 1.
import { describe, expect, it } from 'vitest';
import {
  addSourceColumn,
  isValidRows,
  matchingPreset,
  meanRow,
  normaliseRow,
  presetRows,
  removeSourceColumn,
  setLayers,
  setSourceWeight,
  twoSourceRow,
  type GroupLayers,
  type MixPreset,
} from '../../../../renderer/src/lib/mix/mix-weights.js';

// The layout `stylegan.layout` gives a 64 px model: coarse 4–8 px, middle 16–32 px, fine 64 px.
const groups64: GroupLayers = { coarse: [0, 1, 2], middle: [3, 4, 5, 6], fine: [7, 8, 9] };
// 32 px: no fine layers.
const groups32: GroupLayers = { coarse: [0, 1, 2], middle: [3, 4, 5, 6, 7], fine: [] };

const sums = (rows: number[][]) => rows.map((r) => r.reduce((a, b) => a + b, 0));

describe('presets', () => {
  it('take whole groups from B and the rest from A', () => {
    const rows = presetRows('coarse-b', 10, 2, groups64);
    expect(rows.map((r) => r[1])).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(presetRows('fine-b', 10, 2, groups64).map((r) => r[1])).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(presetRows('all-a', 10, 2, groups64).every((r) => r[0] === 1 && r[1] === 0)).toBe(true);
    expect(presetRows('all-b', 10, 2, groups64).every((r) => r[0] === 0 && r[1] === 1)).toBe(true);
    expect(presetRows('even', 10, 2, groups64).every((r) => r[0] === 0.5 && r[1] === 0.5)).toBe(true);
  });

  it('are valid for any source count, and an empty group takes everything from A', () => {
    for (const preset of ['all-a', 'all-b', 'coarse-b', 'middle-b', 'fine-b', 'even'] as MixPreset[]) {
      for (const n of [1, 2, 3, 4]) expect(isValidRows(presetRows(preset, 8, n, groups32), 8, n)).toBe(true);
    }
    expect(presetRows('fine-b', 8, 2, groups32).every((r) => r[0] === 1)).toBe(true);
  });

  it('are recognised from the rows, skipping presets of empty groups', () => {
    expect(matchingPreset(presetRows('middle-b', 10, 2, groups64), 2, groups64)).toBe('middle-b');
    expect(matchingPreset(presetRows('all-a', 8, 2, groups32), 2, groups32)).toBe('all-a');
    expect(matchingPreset(setLayers(presetRows('all-a', 10, 2, groups64), [4], twoSourceRow(0.3)), 2, groups64)).toBeNull();
  });
});

describe('editing weights', () => {
  it('rescales the other sources in proportion so the row stays at 1', () => {
    const row = setSourceWeight([0.5, 0.3, 0.2], 0, 0.8);
    expect(row[0]).toBe(0.8);
    expect(row[1]).toBeCloseTo(0.12, 12);
    expect(row[2]).toBeCloseTo(0.08, 12);
    expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
  });

  it('shares the rest equally when the others are all 0, and clamps values into [0, 1]', () => {
    expect(setSourceWeight([1, 0, 0], 0, 0.4)).toEqual([0.4, 0.3, 0.3]);
    expect(setSourceWeight([0.5, 0.5, 0], 2, 7)).toEqual([0, 0, 1]);
    expect(setSourceWeight([0.5, 0.5], 1, -3)).toEqual([1, 0]);
  });

  it('keeps thirds summing to 1 and snaps rounding dust to 0 and 1', () => {
    const thirds = normaliseRow([1, 1, 1]);
    expect(thirds.reduce((a, b) => a + b, 0)).toBe(1);
    expect(normaliseRow([0, 0, 0])).toEqual([1, 0, 0]);
    expect(normaliseRow([1e-12, 1])).toEqual([0, 1]);
  });

  it('two-source rows are 1 − t of A and t of B', () => {
    expect(twoSourceRow(0.25)).toEqual([0.75, 0.25]);
    expect(twoSourceRow(2)).toEqual([0, 1]);
  });

  it('averages a group into one valid row', () => {
    const rows = setLayers(presetRows('all-a', 10, 2, groups64), [0], twoSourceRow(1));
    expect(meanRow(rows, groups64.coarse)[1]).toBeCloseTo(1 / 3, 12);
    expect(sums([meanRow(rows, groups64.coarse)])[0]).toBeCloseTo(1, 12);
  });
});

describe('adding and removing sources', () => {
  it('adds a source at 0 everywhere and removes one renormalising the rest', () => {
    const rows = presetRows('even', 4, 2, groups32);
    const three = addSourceColumn(rows);
    expect(three.every((r) => r.length === 3 && r[2] === 0)).toBe(true);
    const edited = three.map((r) => setSourceWeight(r, 2, 0.5));
    expect(edited[0]).toEqual([0.25, 0.25, 0.5]);
    const back = removeSourceColumn(edited, 2);
    expect(back[0]).toEqual([0.5, 0.5]);
    expect(isValidRows(back, 4, 2)).toBe(true);
    expect(removeSourceColumn([[0, 0, 1]], 2)).toEqual([[1, 0]]);
  });
});

// Pair augmentation: one crop window and one flip for A and B, pen width on A only, all from the seeded stream.
import { describe, expect, it } from 'vitest';
import { augmentPair } from '../../../main/data/augment.js';
import type { RgbPair } from '../../../models/common/datasets.js';
import { seededRandom } from '../../../models/common/seeded-random.js';

/**
 * A pair whose pixels say where they came from: B at (x, y) is (x, y, 77), so any output pixel of B names its
 * source position; A is white with single black dots on a 10 px grid (offset 3), like sparse edges.
 */
function coordinatePair(size: number): RgbPair {
  const a = new Uint8Array(size * size * 3).fill(255);
  const b = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = 3 * (y * size + x);
      b.set([x, y, 77], i);
      if (x % 10 === 3 && y % 10 === 3) a.fill(0, i, i + 3);
    }
  }
  return { a, b, size };
}

/** Reads the crop window and flip back from B's coordinate pixels, checking B is exactly that window. */
function windowOf(out: RgbPair, input: RgbPair): { left: number; top: number; flip: boolean } {
  const n = out.size;
  const at = (x: number, y: number): number[] => [...out.b.subarray(3 * (y * n + x), 3 * (y * n + x) + 3)];
  const [x0, top] = at(0, 0) as [number, number];
  const [x1] = at(1, 0) as [number];
  const flip = x1 < x0;
  const left = flip ? x0 - (n - 1) : x0;
  let wrong = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const [r, g, b] = at(x, y);
      if (r !== left + (flip ? n - 1 - x : x) || g !== top + y || b !== 77) wrong++;
    }
  }
  expect(wrong).toBe(0);
  expect(left + n).toBeLessThanOrEqual(input.size);
  return { left, top, flip };
}

/** Byte-for-byte equality of two samples (vitest's deep equality is slow on large typed arrays). */
function samePair(x: RgbPair, y: RgbPair): boolean {
  return x.size === y.size && Buffer.from(x.a).equals(Buffer.from(y.a)) && Buffer.from(x.b).equals(Buffer.from(y.b));
}

function inkOf(rgb: Uint8Array, size: number): Set<string> {
  const ink = new Set<string>();
  for (let i = 0; i < size * size; i++) if (rgb[3 * i] === 0) ink.add(`${i % size},${Math.floor(i / size)}`);
  return ink;
}

describe('augmentPair', () => {
  const stored = coordinatePair(143);

  it('gives identical samples for the same random state, also after a save and restore', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    for (let i = 0; i < 5; i++) expect(samePair(augmentPair(stored, 128, first), augmentPair(stored, 128, second))).toBe(true);
    const saved = first.state();
    const expected = augmentPair(stored, 128, first);
    expect(samePair(augmentPair(stored, 128, seededRandom(saved)), expected)).toBe(true);
    // And another state gives another sample.
    expect(samePair(augmentPair(stored, 128, seededRandom(43)), augmentPair(stored, 128, seededRandom(42)))).toBe(false);
  });

  it('cuts the same random window from A and B and mirrors both or neither', () => {
    const random = seededRandom('crop-flip');
    const flips = new Set<boolean>();
    const lefts = new Set<number>();
    for (let i = 0; i < 24; i++) {
      const out = augmentPair(stored, 128, random);
      expect(out.size).toBe(128);
      expect(out.a).toHaveLength(128 * 128 * 3);
      const { left, top, flip } = windowOf(out, stored);
      flips.add(flip);
      lefts.add(left);
      // A's dots, moved by the same window and flip, must all be inked; every ink pixel of A lies within one pixel
      // of such a dot (the pen is at most 3 px wide).
      const ink = inkOf(out.a, 128);
      const dots: [number, number][] = [];
      for (let y = 0; y < 128; y++) {
        for (let x = 0; x < 128; x++) {
          const sx = left + (flip ? 127 - x : x);
          if (sx % 10 === 3 && (top + y) % 10 === 3) dots.push([x, y]);
        }
      }
      expect(dots.filter(([x, y]) => !ink.has(`${x},${y}`))).toEqual([]);
      const stray = [...ink].filter((key) => {
        const [x, y] = key.split(',').map(Number) as [number, number];
        return !dots.some(([dx, dy]) => Math.abs(dx - x) <= 1 && Math.abs(dy - y) <= 1);
      });
      expect(stray).toEqual([]);
    }
    expect(flips).toEqual(new Set([true, false]));
    expect(lefts.size).toBeGreaterThan(5);
  });

  it('does not crop a pair stored at the crop size, but still flips it', () => {
    const small = coordinatePair(64);
    const random = seededRandom(7);
    const flips = new Set<boolean>();
    for (let i = 0; i < 16; i++) {
      const { left, top, flip } = windowOf(augmentPair(small, 64, random), small);
      expect([left, top]).toEqual([0, 0]);
      flips.add(flip);
    }
    expect(flips.size).toBe(2);
  });

  it('draws A with pens 1, 2 and 3 px wide and leaves B alone', () => {
    // One dot in the middle of an otherwise white A; B plain grey.
    const size = 32;
    const a = new Uint8Array(size * size * 3).fill(255);
    a.fill(0, 3 * (16 * size + 16), 3 * (16 * size + 16) + 3);
    const pair = { a, b: new Uint8Array(size * size * 3).fill(128), size };
    const random = seededRandom(3);
    const inkCounts = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const out = augmentPair(pair, size, random);
      inkCounts.add(inkOf(out.a, size).size);
      expect(out.b.every((v) => v === 128)).toBe(true);
    }
    expect([...inkCounts].sort((x, y) => x - y)).toEqual([1, 4, 9]);
  });

  it('refuses a crop larger than the stored pair', () => {
    expect(() => augmentPair(coordinatePair(64), 128, seededRandom(1))).toThrow(/Crop size 128 does not fit/);
  });
});

// Edge maps of synthetic shapes: black one-pixel lines on white, on the outline, connected, and no specks from noise.
import { describe, expect, it } from 'vitest';
import { extractEdges, strokeWidthVariant } from '../../../main/data/edge-extractor.js';

const SIZE = 128;

/** `size × size` RGB image, white, with `inside(x, y)` pixels painted in `grey`. */
function shape(size: number, grey: number, inside: (x: number, y: number) => boolean): Uint8Array {
  const rgb = new Uint8Array(size * size * 3).fill(255);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (inside(x, y)) rgb.fill(grey, 3 * (y * size + x), 3 * (y * size + x) + 3);
  return rgb;
}

/** Adds uniform noise in [-amplitude, amplitude] grey levels (deterministic LCG). */
function withNoise(rgb: Uint8Array, amplitude: number, seed = 7): Uint8Array {
  let state = seed;
  const out = rgb.slice();
  for (let i = 0; i < out.length; i += 3) {
    state = (state * 1103515245 + 12345) >>> 0;
    const delta = Math.round(((state >>> 8) / 2 ** 24) * (2 * amplitude) - amplitude);
    const v = Math.min(255, Math.max(0, out[i]! + delta));
    out.fill(v, i, i + 3);
  }
  return out;
}

/** [x, y] of every black pixel; fails if any pixel is neither pure black nor pure white. */
function inkPixels(rgb: Uint8Array, size: number): [number, number][] {
  const ink: [number, number][] = [];
  const other: number[][] = [];
  for (let i = 0; i < size * size; i++) {
    const px = [rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!];
    if (px.every((v) => v === 0)) ink.push([i % size, Math.floor(i / size)]);
    else if (!px.every((v) => v === 255)) other.push(px);
  }
  expect(other).toEqual([]);
  return ink;
}

/** Pixel counts of the 8-connected pieces of ink. */
function pieceSizes(ink: [number, number][]): number[] {
  const left = new Set(ink.map(([x, y]) => `${x},${y}`));
  const sizes: number[] = [];
  for (const start of ink) {
    if (!left.delete(`${start[0]},${start[1]}`)) continue;
    let size = 0;
    const stack = [start];
    while (stack.length > 0) {
      const [x, y] = stack.pop()!;
      size++;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (left.delete(`${x + dx},${y + dy}`)) stack.push([x + dx, y + dy]);
        }
      }
    }
    sizes.push(size);
  }
  return sizes;
}

const pieces = (ink: [number, number][]): number => pieceSizes(ink).length;

const circle = (cx: number, cy: number, r: number) => (x: number, y: number) => (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r;

describe('extractEdges', () => {
  it('draws a filled circle as one thin closed line on its outline, black on white', () => {
    const r = 36;
    const edges = extractEdges(shape(SIZE, 60, circle(64, 64, r)), SIZE);
    expect(edges).toHaveLength(SIZE * SIZE * 3);
    const ink = inkPixels(edges, SIZE);
    // On the outline: every line pixel's centre within 1.5 px of the circle.
    for (const [x, y] of ink) expect(Math.abs(Math.hypot(x + 0.5 - 64, y + 0.5 - 64) - r)).toBeLessThanOrEqual(1.5);
    // All of the outline: every degree of it has a line pixel within 1.5 px.
    for (let deg = 0; deg < 360; deg++) {
      const px = 64 + r * Math.cos((deg * Math.PI) / 180);
      const py = 64 + r * Math.sin((deg * Math.PI) / 180);
      expect(ink.some(([x, y]) => Math.hypot(x + 0.5 - px, y + 0.5 - py) <= 1.5)).toBe(true);
    }
    // Thin: an 8-connected one-pixel circle has 4√2·r pixels (each octant steps r/√2 times); a line two pixels
    // wide would have twice as many.
    expect(ink.length).toBeLessThanOrEqual(1.1 * 4 * Math.SQRT2 * r);
    // One piece: connected, nothing else.
    expect(pieces(ink)).toBe(1);
    // Thin where the outline is steep: each row through the middle band crosses the line once per side, 1–2 px.
    for (let y = 64 - 20; y < 64 + 20; y++) {
      const row = ink.filter(([, yy]) => yy === y);
      expect(row.filter(([x]) => x < 64).length).toBeGreaterThanOrEqual(1);
      expect(row.filter(([x]) => x < 64).length).toBeLessThanOrEqual(2);
      expect(row.filter(([x]) => x >= 64).length).toBeGreaterThanOrEqual(1);
      expect(row.filter(([x]) => x >= 64).length).toBeLessThanOrEqual(2);
    }
  });

  it('draws a filled square along its four sides, one pixel wide', () => {
    // Dark square covering columns and rows 32..95.
    const edges = extractEdges(shape(SIZE, 0, (x, y) => x >= 32 && x < 96 && y >= 32 && y < 96), SIZE);
    const ink = inkPixels(edges, SIZE);
    const distanceToOutline = (x: number, y: number): number => {
      const inside = Math.max(Math.abs(x + 0.5 - 64), Math.abs(y + 0.5 - 64));
      return Math.abs(inside - 32);
    };
    for (const [x, y] of ink) expect(distanceToOutline(x, y)).toBeLessThanOrEqual(1.5);
    // Along the middle of each side exactly one line pixel per crossing, on the boundary (pixel 31 or 32 etc.).
    for (let t = 40; t < 88; t++) {
      const column = ink.filter(([x]) => x === t).map(([, y]) => y);
      const row = ink.filter(([, y]) => y === t).map(([x]) => x);
      for (const line of [column, row]) {
        expect(line).toHaveLength(2);
        expect([31, 32]).toContain(Math.min(...line));
        expect([95, 96]).toContain(Math.max(...line));
      }
    }
    expect(pieces(ink)).toBe(1);
  });

  it('finds no line in flat paper with faint noise', () => {
    const paper = withNoise(new Uint8Array(SIZE * SIZE * 3).fill(235), 6);
    expect(inkPixels(extractEdges(paper, SIZE), SIZE)).toEqual([]);
  });

  it('draws only the outline when the shape sits on faint noise: no specks', () => {
    const r = 36;
    const edges = extractEdges(withNoise(shape(SIZE, 80, circle(64, 64, r)), 6), SIZE);
    const ink = inkPixels(edges, SIZE);
    for (const [x, y] of ink) expect(Math.abs(Math.hypot(x + 0.5 - 64, y + 0.5 - 64) - r)).toBeLessThanOrEqual(1.5);
    expect(pieces(ink)).toBe(1);
  });

  it('removes pieces smaller than minComponentPixels (default 6 at 128 px), which texture leaves', () => {
    // A circle and a patch of scattered dark pixels: the texture's edges break into many short pieces.
    let state = 3;
    const image = shape(SIZE, 40, (x, y) => {
      state = (state * 1103515245 + 12345) >>> 0;
      const texture = x >= 8 && x < 40 && y >= 8 && y < 40 && state / 2 ** 32 < 0.15;
      return texture || circle(80, 80, 30)(x, y);
    });
    const raw = pieceSizes(inkPixels(extractEdges(image, SIZE, { minComponentPixels: 1 }), SIZE));
    expect(raw.some((n) => n < 6)).toBe(true);
    const cleaned = pieceSizes(inkPixels(extractEdges(image, SIZE), SIZE));
    expect(cleaned.length).toBeGreaterThan(1);
    expect(cleaned.every((n) => n >= 6)).toBe(true);
    // Removal only drops whole pieces: the big ones are untouched.
    expect(cleaned.sort((a, b) => a - b)).toEqual(raw.filter((n) => n >= 6).sort((a, b) => a - b));
  });

  it('scales its defaults with the side: a circle at 256 px is still one thin line', () => {
    const r = 72;
    const ink = inkPixels(extractEdges(shape(256, 60, circle(128, 128, r)), 256), 256);
    for (const [x, y] of ink) expect(Math.abs(Math.hypot(x + 0.5 - 128, y + 0.5 - 128) - r)).toBeLessThanOrEqual(1.5);
    expect(pieces(ink)).toBe(1);
  });

  it('is fast enough to run per sample: 256 px well under 50 ms', () => {
    const image = withNoise(shape(256, 60, circle(128, 128, 72)), 30);
    extractEdges(image, 256); // warm-up (JIT)
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      extractEdges(image, 256);
      times.push(performance.now() - start);
    }
    // Median, with room for a busy shared test machine; ~12 ms on one idle core.
    expect(times.sort((a, b) => a - b)[2]).toBeLessThan(50);
  });

  it('rejects a buffer of the wrong length', () => {
    expect(() => extractEdges(new Uint8Array(10), 4)).toThrow(/4×4×3 = 48 RGB bytes, got 10/);
  });
});

describe('strokeWidthVariant', () => {
  // A one-pixel horizontal line on row 10, columns 5..24, in a 32 px image.
  const line = shape(32, 0, (x, y) => y === 10 && x >= 5 && x < 25);
  const rowsWithInk = (rgb: Uint8Array): number[] => [...new Set(inkPixels(rgb, 32).map(([, y]) => y))].sort((a, b) => a - b);

  it('keeps width 1 as it is', () => {
    expect(strokeWidthVariant(line, 32, 1)).toEqual(line);
  });

  it('thickens lines to 2 and 3 pixels', () => {
    expect(rowsWithInk(strokeWidthVariant(line, 32, 2))).toEqual([10, 11]);
    expect(rowsWithInk(strokeWidthVariant(line, 32, 3))).toEqual([9, 10, 11]);
    expect(inkPixels(strokeWidthVariant(line, 32, 3), 32)).toHaveLength(3 * 22);
  });

  it('refuses other widths', () => {
    expect(() => strokeWidthVariant(line, 32, 4)).toThrow(/1, 2 or 3/);
    expect(() => strokeWidthVariant(line, 32, 1.5)).toThrow(/1, 2 or 3/);
  });
});

// What the model reads: binarised black-on-white pixels, and clicks that still leave a dot.
import { describe, expect, it } from 'vitest';
import { binarise, drawablePoints, INK_THRESHOLD } from '../../../../renderer/src/lib/sketch/rasterise.js';

const px = (...rgba: number[][]) => new Uint8ClampedArray(rgba.flat());

describe('binarise', () => {
  it('turns ink-dark pixels black and the rest white, opaque', () => {
    const data = px([0, 0, 0, 255], [100, 100, 100, 255], [INK_THRESHOLD + 20, INK_THRESHOLD + 20, INK_THRESHOLD + 20, 255], [255, 255, 255, 255]);
    binarise(data);
    expect([...data]).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it('reads transparent pixels as paper', () => {
    const data = px([0, 0, 0, 0], [0, 0, 0, 40]);
    binarise(data);
    expect([...data]).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
  });
});

describe('drawablePoints', () => {
  it('turns a click (one point) into a tiny segment, so round caps draw a dot', () => {
    const p = drawablePoints({ points: [0.5, 0.25] });
    expect(p).toHaveLength(4);
    expect(p[0]).toBe(0.5);
    expect(p[1]).toBe(0.25);
    expect(Math.hypot(p[2]! - p[0]!, p[3]! - p[1]!)).toBeGreaterThan(0);
    expect(Math.hypot(p[2]! - p[0]!, p[3]! - p[1]!)).toBeLessThan(1e-4);
  });

  it('keeps a drawn stroke as it is', () => {
    expect(drawablePoints({ points: [0, 0, 0.5, 0.5, 1, 0] })).toEqual([0, 0, 0.5, 0.5, 1, 0]);
  });
});

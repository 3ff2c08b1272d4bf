// Reading what the page shows: an <img>'s decoded pixels through a canvas, and the two measures the e2e tests compare
// them by (how far from blank, how far from another picture).
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

export interface Pixels {
  width: number;
  height: number;
  rgba: number[];
}

/** An image element's decoded RGBA pixels, as the page's canvas reads them. */
export function pixelsOf(img: Locator): Promise<Pixels> {
  return img.evaluate(async (el: HTMLImageElement) => {
    await el.decode();
    const canvas = document.createElement('canvas');
    canvas.width = el.naturalWidth;
    canvas.height = el.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(el, 0, 0);
    return { width: canvas.width, height: canvas.height, rgba: Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data) };
  });
}

/** Standard deviation of the RGB values: 0 for a flat (blank) image. */
export function spread({ rgba }: Pixels): number {
  const values = rgba.filter((_, i) => i % 4 !== 3);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

/** Mean absolute difference of two same-size images' RGB values. */
export function difference(a: Pixels, b: Pixels): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.rgba.length; i++) if (i % 4 !== 3) sum += Math.abs(a.rgba[i]! - b.rgba[i]!);
  return sum / ((a.rgba.length / 4) * 3);
}

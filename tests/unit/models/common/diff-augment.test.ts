import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { beforeAll, describe, expect, it } from 'vitest';
import { diffAugment, diffAugmentPolicy, parseDiffAugmentPolicy } from '../../../../models/common/diff-augment.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** [B, 16, 16, 3] with one bright pixel (value 1) at (y, x) of every sample, 0 elsewhere. */
function dots(batch: number, y: number, x: number): tf.Tensor4D {
  const data = new Float32Array(batch * 16 * 16 * 3);
  for (let n = 0; n < batch; n++) for (let c = 0; c < 3; c++) data[((n * 16 + y) * 16 + x) * 3 + c] = 1;
  return tf.tensor4d(data, [batch, 16, 16, 3]);
}

/** Where the bright pixel of each sample went: [y, x] or null when it left the image. */
function dotPositions(images: tf.Tensor4D): Array<[number, number] | null> {
  const [batch, height, width] = images.shape;
  const data = images.dataSync();
  return Array.from({ length: batch }, (_, n) => {
    for (let i = 0; i < height * width; i++) if (data[(n * height * width + i) * 3]! > 0.5) return [Math.floor(i / width), i % width] as [number, number];
    return null;
  });
}

describe('DiffAugment', () => {
  it('writes and reads policies in the paper\'s order and names an unknown op', () => {
    expect(diffAugmentPolicy(['cutout', 'color'])).toBe('color,cutout');
    expect(diffAugmentPolicy([])).toBe('');
    expect(parseDiffAugmentPolicy('color,translation,cutout')).toEqual(['color', 'translation', 'cutout']);
    expect(parseDiffAugmentPolicy('')).toEqual([]);
    expect(() => parseDiffAugmentPolicy('color,rotate')).toThrow(/unknown op "rotate"/);
  });

  it('leaves the images alone without ops', () => {
    const x = dots(2, 8, 8);
    expect(diffAugment(x, [], 1)).toBe(x);
    x.dispose();
  });

  it('translation moves each image by whole pixels within ±1/8 of the side, filling with zeros, differently per sample', () => {
    const x = dots(32, 8, 8);
    const shifted = diffAugment(x, ['translation'], 7);
    const positions = dotPositions(shifted);
    for (const p of positions) {
      expect(p).not.toBeNull();
      expect(Math.abs(p![0] - 8)).toBeLessThanOrEqual(2); // round(16 / 8) = 2
      expect(Math.abs(p![1] - 8)).toBeLessThanOrEqual(2);
    }
    expect(new Set(positions.map((p) => p!.join(','))).size).toBeGreaterThan(5);
    expect(tf.sum(shifted).dataSync()[0]).toBe(32 * 3); // nothing but the dot, once each
    // A corner dot may leave the image: what comes in from outside is 0.
    const corner = diffAugment(dots(64, 0, 0), ['translation'], 7);
    expect(dotPositions(corner).some((p) => p === null)).toBe(true);
    tf.dispose([x, shifted, corner]);
  });

  it('cutout zeroes one square of at most half the side per sample and lets the gradient through only outside it', () => {
    const ones = tf.ones([16, 16, 16, 3]) as tf.Tensor4D;
    const [cut, grad] = tf.tidy(() => {
      const out = diffAugment(ones, ['cutout'], 3);
      const g = tf.grad((x: tf.Tensor) => tf.sum(diffAugment(x as tf.Tensor4D, ['cutout'], 3)))(ones);
      return [tf.keep(out), tf.keep(g)];
    });
    const data = cut.dataSync();
    for (let n = 0; n < 16; n++) {
      let zeros = 0;
      for (let i = 0; i < 16 * 16 * 3; i++) if (data[n * 768 + i] === 0) zeros++;
      expect(zeros).toBeGreaterThan(0);
      expect(zeros).toBeLessThanOrEqual(8 * 8 * 3);
    }
    // The same seed draws the same squares, so d(sum)/dx is the mask itself.
    expect(grad.dataSync()).toEqual(data);
    tf.dispose([ones, cut, grad]);
  });

  it('colour changes brightness, saturation and contrast per sample; the same seed repeats the same transform', () => {
    const x = tf.randomUniform([8, 16, 16, 3], -0.5, 0.5, 'float32', 1) as tf.Tensor4D;
    const a = diffAugment(x, ['color'], 11);
    const b = diffAugment(x, ['color'], 11);
    const c = diffAugment(x, ['color'], 12);
    expect(a.dataSync()).toEqual(b.dataSync());
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]).toBeGreaterThan(0.01);
    // Each sample's mean moves by its own brightness offset: the shifts differ between samples.
    const shift = tf.sub(tf.mean(a, [1, 2, 3]), tf.mean(x, [1, 2, 3])).dataSync();
    expect(new Set(Array.from(shift, (v) => v.toFixed(3))).size).toBe(8);
    for (const v of shift) expect(Math.abs(v)).toBeLessThanOrEqual(0.5 + 1e-5);
    tf.dispose([x, a, b, c]);
  });
});

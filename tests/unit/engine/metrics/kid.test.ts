import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageFeatureExtractor, type ImageFeatureExtractor } from '../../../../main/engine/metrics/image-features.js';
import { kernelInceptionDistance } from '../../../../main/engine/metrics/kid.js';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { seededRandom } from '../../../../models/common/seeded-random.js';

const gaussian = (n: number, d: number, shift: number, seed: number): Float32Array[] => {
  const r = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
  return Array.from({ length: n }, () => Float32Array.from({ length: d }, () => normal() + shift));
};

describe('KID', () => {
  it('is a + b − 2c for constant sets (k(x,x) = a, k(y,y) = b, k(x,y) = c): the unbiased MMD² of the cubic kernel', () => {
    const x = Float32Array.from([1, 2]);
    const y = Float32Array.from([0, 1]);
    const k = (u: Float32Array, v: Float32Array): number => ((u[0]! * v[0]! + u[1]! * v[1]!) / 2 + 1) ** 3;
    const { kid, std } = kernelInceptionDistance([x, x, x], [y, y, y, y], { subsets: 3 });
    expect(kid).toBeCloseTo(k(x, x) + k(y, y) - 2 * k(x, y), 10);
    expect(std).toBeCloseTo(0, 12);
  });

  it('is about 0 for two samples of one distribution and grows with the distance between distributions', () => {
    const same = kernelInceptionDistance(gaussian(200, 8, 0, 1), gaussian(200, 8, 0, 2), { subsets: 20, subsetSize: 100 });
    const near = kernelInceptionDistance(gaussian(200, 8, 0, 1), gaussian(200, 8, 0.3, 3), { subsets: 20, subsetSize: 100 });
    const far = kernelInceptionDistance(gaussian(200, 8, 0, 1), gaussian(200, 8, 1, 4), { subsets: 20, subsetSize: 100 });
    expect(Math.abs(same.kid)).toBeLessThan(0.05);
    expect(near.kid).toBeGreaterThan(same.kid + 0.02);
    expect(far.kid).toBeGreaterThan(near.kid * 3);
    expect(() => kernelInceptionDistance([Float32Array.from([1])], gaussian(5, 1, 0, 1))).toThrow(/at least 2/);
  });
});

describe('image features for KID (ESRGAN-slim trunk, shipped in npm)', () => {
  let extractor: ImageFeatureExtractor;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    installOrtKernels();
    extractor = await loadImageFeatureExtractor();
  });
  afterAll(() => {
    extractor?.dispose();
    uninstallOrtKernels();
  });

  it('gives one deterministic vector per image, and tells flat images from textured ones', () => {
    const flat = tf.fill([4, 32, 32, 3], 0.2) as tf.Tensor4D;
    const textured = tf.randomUniform([4, 32, 32, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const [a, b] = [extractor.features(flat), extractor.features(textured)];
    expect(tf.memory().numTensors).toBe(before);
    expect(a).toHaveLength(4);
    expect(a[0]).toHaveLength(extractor.dims);
    expect(b[1]!.reduce((sum, v) => sum + v * v, 0) / extractor.dims).toBeCloseTo(1, 4); // unit RMS: KID on a sane scale
    expect(Array.from(extractor.features(flat)[0]!)).toEqual(Array.from(a[0]!));
    const kidSelf = kernelInceptionDistance(b.slice(0, 2), b.slice(2), { subsets: 5 }).kid;
    const kidApart = kernelInceptionDistance(a, b, { subsets: 5 }).kid;
    expect(kidApart).toBeGreaterThan(kidSelf + 0.01);
    tf.dispose([flat, textured]);
  });
});

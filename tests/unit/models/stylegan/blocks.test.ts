// StyleGAN2 building blocks against hand-computed values: FIR resampling, resampling convs, modulated conv with demodulation, equalized layers, minibatch stddev.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { biasAct } from '../../../../models/common/bias-act.js';
import { conv2dResample } from '../../../../models/common/conv2d-resample.js';
import { createEqualizedConv, createEqualizedDense, equalizedConv2d, equalizedDense } from '../../../../models/common/equalized.js';
import { seedSequence } from '../../../../models/common/init.js';
import { minibatchGroupSize, minibatchStddev } from '../../../../models/common/minibatch-stddev.js';
import { demodulation, modulatedConv2d } from '../../../../models/common/modulated-conv.js';
import { normalize2ndMoment } from '../../../../models/common/pixel-norm.js';
import { binomialTaps, downsample2d, upfirdn2d, upsample2d } from '../../../../models/common/upfirdn.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const expectClose = (actual: tf.Tensor, expected: number[], digits = 5): void => {
  const got = values(actual);
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
};
const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('FIR resampling (upfirdn2d)', () => {
  it('upsamples [[1, 2], [3, 4]] by 2 with [1, 3, 3, 1] as computed by hand', () => {
    // One axis: [a, b] → zeros inserted [a, 0, b, 0], padded [0, 0, a, 0, b, 0, 0], filtered with [1, 3, 3, 1]/8·2:
    // [3a/4, (3a + b)/4, (a + 3b)/4, 3b/4]. Columns first: [1, 3] → [.75, 1.5, 2.5, 2.25], [2, 4] → [1.5, 2.5, 3.5, 3];
    // then each row of those pairs the same way.
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = upsample2d(x);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expectClose(y, [
      0.5625, 0.9375, 1.3125, 1.125,
      1.125, 1.75, 2.25, 1.875,
      1.875, 2.75, 3.25, 2.625,
      1.6875, 2.4375, 2.8125, 2.25,
    ]);
    tf.dispose([x, y]);
  });

  it('downsamples by 2: [1, 2, 3, 4] padded [0, 1, 2, 3, 4, 0] → [(3 + 6 + 3)/8, (2 + 9 + 12)/8] on each axis', () => {
    // Rows [1, 2, 3, 4], the same in every row, so the two axes can be checked apart.
    const row = [1, 2, 3, 4];
    const x = tf.tensor4d([...row, ...row, ...row, ...row], [1, 4, 4, 1]);
    const y = downsample2d(x);
    expect(y.shape).toEqual([1, 2, 2, 1]);
    // Along H the constant column [c, c, c, c] → [(3 + 3 + 1)c/8, (1 + 3 + 3)c/8] = 7c/8 at both outputs.
    const alongW = [(3 + 6 + 3) / 8, (2 + 9 + 12) / 8];
    expectClose(y, [alongW[0]! * 7 / 8, alongW[1]! * 7 / 8, alongW[0]! * 7 / 8, alongW[1]! * 7 / 8]);
    tf.dispose([x, y]);
  });

  it('keeps a constant image constant away from the border, per channel, and crops with negative padding', () => {
    const x = tf.tidy(() => tf.mul(tf.ones([2, 8, 8, 3]), tf.tensor1d([1, -2, 5])) as tf.Tensor4D);
    const up = upsample2d(x);
    const inner = tf.slice(up, [0, 2, 2, 0], [-1, 12, 12, -1]);
    expect(maxAbsDiff(inner, tf.slice(tf.tile(x, [1, 2, 2, 1]), [0, 2, 2, 0], [-1, 12, 12, -1]))).toBeLessThan(1e-5);
    const cropped = upfirdn2d(x, binomialTaps, { padding: [-1, -1] });
    expect(cropped.shape).toEqual([2, 3, 3, 3]); // 8 − 2 − 4 + 1
    tf.dispose([x, up, inner, cropped]);
  });

  it('the upsampling conv (transposed conv, then filter) equals the reference generic path: upfirdn (up 2, pad 3/2, gain 4), then a true convolution', () => {
    const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const fast = conv2dResample(x, w, { up: 2, padding: 1 });
    expect(fast.shape).toEqual([2, 10, 10, 4]);
    const generic = tf.tidy(() => tf.conv2d(upfirdn2d(x, binomialTaps, { up: 2, padding: [3, 2], gain: 4 }), tf.reverse(w, [0, 1]), 1, 'valid'));
    expect(maxAbsDiff(fast, generic)).toBeLessThan(1e-4);
    tf.dispose([x, w, fast, generic]);
  });

  it('the downsampling conv (filter, then stride-2 conv) equals conv at full rate, then filter and every second pixel', () => {
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const fast = conv2dResample(x, w, { down: 2, padding: 1 });
    expect(fast.shape).toEqual([2, 4, 4, 4]);
    const generic = tf.tidy(() => upfirdn2d(tf.conv2d(tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]]), w, 1, 'valid'), binomialTaps, { down: 2 }));
    expect(maxAbsDiff(fast, generic)).toBeLessThan(1e-4);
    const w1 = tf.randomNormal([1, 1, 3, 4], 0, 1, 'float32', 5) as tf.Tensor4D;
    const skip = conv2dResample(x, w1, { down: 2, padding: 0 });
    const skipGeneric = tf.tidy(() => tf.conv2d(downsample2d(x), w1, 1, 'valid'));
    expect(maxAbsDiff(skip, skipGeneric)).toBeLessThan(1e-5);
    tf.dispose([x, w, fast, generic, w1, skip, skipGeneric]);
  });
});

describe('FIR resampling methods', () => {
  // Asymmetric taps so that a flipped filter shows; up, down, padding and crops on the conv path's generic branch too.
  const geometries: Array<[string, { up?: number; down?: number; padding: [number, number]; gain?: number }]> = [
    ['up 2, pad 2/1, gain 4', { up: 2, padding: [2, 1], gain: 4 }],
    ['up 2, pad 3/2', { up: 2, padding: [3, 2] }],
    ['down 2, pad 1/1', { down: 2, padding: [1, 1] }],
    ['plain filter, pad 3/0', { padding: [3, 0] }],
    ['crop −1/2', { padding: [-1, 2] }],
    ['up 3, pad 1/1', { up: 3, padding: [1, 1] }],
  ];
  for (const [name, geometry] of geometries) {
    it(`matrix and conv give the same values and gradients: ${name}`, () => {
      tf.tidy(() => {
        const taps = [1, 4, 2, 1];
        const x = tf.randomNormal([2, 7, 5, 3], 0, 1, 'float32', 40) as tf.Tensor4D;
        const run = (method: 'matrix' | 'conv') => (t: tf.Tensor) => upfirdn2d(t as tf.Tensor4D, taps, { ...geometry, method });
        const [matrix, conv] = [run('matrix')(x), run('conv')(x)];
        expect(matrix.shape).toEqual(conv.shape);
        expect(maxAbsDiff(matrix, conv)).toBeLessThan(1e-5);
        const u = tf.randomNormal(conv.shape, 0, 1, 'float32', 41);
        const grad = (method: 'matrix' | 'conv') => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(run(method)(t), u)))(x);
        expect(maxAbsDiff(grad('matrix'), grad('conv'))).toBeLessThan(1e-5);
      });
    });
  }
});

describe('FIR resampling gradients', () => {
  // Each op is linear in x, so its gradient is its adjoint: ⟨A x, u⟩ = ⟨x, Aᵀu⟩ with Aᵀu = ∇ₓ Σ (A x)·u.
  // Weights drawn inside each test's tidy (seeded, so the same every call).
  const w3 = (): tf.Tensor4D => tf.randomNormal([3, 3, 3, 2], 0, 1, 'float32', 30) as tf.Tensor4D;
  const w1 = (): tf.Tensor4D => tf.randomNormal([1, 1, 3, 2], 0, 1, 'float32', 31) as tf.Tensor4D;
  const ops: Array<[string, (x: tf.Tensor4D) => tf.Tensor4D]> = [
    ['upsample2d', (x) => upsample2d(x)],
    ['downsample2d', (x) => downsample2d(x)],
    ['upfirdn2d crop', (x) => upfirdn2d(x, binomialTaps, { up: 2, padding: [-1, 2], gain: 4 })],
    ['3×3 conv up 2', (x) => conv2dResample(x, w3(), { up: 2, padding: 1 })],
    ['3×3 conv down 2', (x) => conv2dResample(x, w3(), { down: 2, padding: 1 })],
    ['1×1 conv down 2', (x) => conv2dResample(x, w1(), { down: 2, padding: 0 })],
  ];
  for (const [name, op] of ops) {
    it(`${name}: the gradient is the adjoint`, () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 32) as tf.Tensor4D;
        const u = tf.randomNormal(op(x).shape, 0, 1, 'float32', 33);
        const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t as tf.Tensor4D), u)))(x);
        const forward = tf.sum(tf.mul(op(x), u)).dataSync()[0]!;
        const adjoint = tf.sum(tf.mul(x, grad)).dataSync()[0]!;
        expect(Math.abs(forward - adjoint)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)));
        expect(Math.abs(forward)).toBeGreaterThan(1e-3);
      });
    });
  }
});

describe('modulated convolution', () => {
  it('with a constant style is a plain conv times s times the demodulation factor computed by hand', () => {
    // 1×1 weight w[i][j] = [[1, 0.5], [2, −1]], style s = 2 on both input channels:
    // d_0 = 1/√(2²·1² + 2²·2²) = 1/√20, d_1 = 1/√(2²·0.5² + 2²·1²) = 1/√5.
    const x = tf.tensor4d([1, 2, 3, -1, 0, 4, -2, 5], [1, 2, 2, 2]);
    const w = tf.tensor4d([1, 0.5, 2, -1], [1, 1, 2, 2]);
    const s = tf.tensor2d([2, 2], [1, 2]);
    expectClose(demodulation(w, s), [1 / Math.sqrt(20), 1 / Math.sqrt(5)]);
    const y = modulatedConv2d(x, w, s, { demodulate: true, padding: 0 });
    const pixels = [[1, 2], [3, -1], [0, 4], [-2, 5]];
    const expected = pixels.flatMap(([a, b]) => [(2 * a! * 1 + 2 * b! * 2) / Math.sqrt(20), (2 * a! * 0.5 + 2 * b! * -1) / Math.sqrt(5)]);
    expectClose(y, expected);
    // Without demodulation: the plain conv scaled by s.
    const plain = modulatedConv2d(x, w, s, { demodulate: false, padding: 0 });
    expectClose(plain, pixels.flatMap(([a, b]) => [2 * a! + 4 * b!, a! - 2 * b!]));
    tf.dispose([x, w, s, y, plain]);
  });

  it('equals the paper\'s per-sample weight w″ = d·s·w convolved sample by sample (3×3, batch 2, different styles)', () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 7) as tf.Tensor4D;
    const s = tf.randomUniform([2, 3], 0.5, 2, 'float32', 8) as tf.Tensor2D;
    const y = modulatedConv2d(x, w, s, { demodulate: true, padding: 1 });
    const perSample = tf.tidy(() =>
      tf.concat(
        [0, 1].map((b) => {
          const wPrime = tf.mul(w, tf.reshape(tf.slice(s, [b, 0], [1, 3]), [1, 1, 3, 1])); // eq. 1
          const wDouble = tf.div(wPrime, tf.sqrt(tf.add(tf.sum(tf.square(wPrime), [0, 1, 2], true), 1e-8))); // eq. 3
          return tf.conv2d(tf.slice(x, [b, 0, 0, 0], [1, -1, -1, -1]), wDouble as tf.Tensor4D, 1, 'same');
        }),
        0,
      ),
    );
    expect(maxAbsDiff(y, perSample)).toBeLessThan(1e-4);
    tf.dispose([x, w, s, y, perSample]);
  });
});

describe('equalized learning rate layers', () => {
  it('dense: stored N(0, 1)/lrMul, applied as W·lrMul/√in, bias·lrMul, lrelu·√2', () => {
    const w = createEqualizedDense(4, 3, seedSequence(1), { lrMultiplier: 0.01, biasInit: 2 });
    const x = tf.tensor2d([[1, -2, 0.5, 3]]);
    const y = equalizedDense(w, x, { activation: 'lrelu' });
    const W = values(w.weight);
    const pre = [0, 1, 2].map((j) => [1, -2, 0.5, 3].reduce((acc, xi, i) => acc + xi * W[i * 3 + j]! * (0.01 / 2), 0) + 2 * 0.01);
    expectClose(y, pre.map((v) => (v > 0 ? v : 0.2 * v) * Math.SQRT2));
    // The stored weights have std 1/lrMul = 100.
    const big = createEqualizedDense(64, 64, seedSequence(2), { lrMultiplier: 0.01 });
    const std = Math.sqrt(values(big.weight).reduce((a, v) => a + v * v, 0) / 4096);
    expect(std).toBeGreaterThan(90);
    expect(std).toBeLessThan(110);
    tf.dispose([x, y, w.weight, w.bias!, big.weight, big.bias!]);
  });

  it('conv: weight/√(in·k²), residual gain √0.5 and clamp ±clamp·gain', () => {
    const w = createEqualizedConv(1, 2, 1, seedSequence(3));
    w.weight.assign(tf.tensor4d([3, 4], [1, 1, 2, 1]));
    const x = tf.tensor4d([1, 1, 10, 10], [1, 1, 2, 2]);
    // (3 + 4)/√2 = 4.95 and 70/√2 = 49.5 before the gain; lrelu·√2·√0.5 = ×1, clamp 20·√0.5 = 14.14.
    const y = equalizedConv2d(w, x, { activation: 'lrelu', gain: Math.SQRT1_2, clamp: 20 });
    expectClose(y, [7 / Math.SQRT2, 20 * Math.SQRT1_2], 4);
    tf.dispose([x, y, w.weight, w.bias!]);
  });
});

describe('bias_act', () => {
  it('adds the bias, lrelu(0.2)·gain, clamps, and passes gradient only where the clamp did not bite', () => {
    const x = tf.tensor2d([[-10, -1, 0.5, 3, 10]]);
    const bias = tf.tensor1d([0, 0, 0.5, 0, 0]);
    const f = (t: tf.Tensor): tf.Tensor => biasAct(t, bias, 'lrelu', 2, 5);
    // lrelu·2: [−4, −0.4, 2, 6, 20] → clamp ±5: [−4, −0.4, 2, 5, 5].
    expect(values(f(x))).toEqual([-4, -0.4, 2, 5, 5].map((v) => Math.fround(v)));
    const grad = tf.grad((t: tf.Tensor) => tf.sum(f(t)))(x);
    expect(values(grad)).toEqual([0.4, 0.4, 2, 0, 0].map((v) => Math.fround(v)));
    tf.dispose([x, bias, grad]);
  });

  it('is exactly the unclamped layer, value and gradient, when nothing reaches the clamp', () => {
    const x = tf.tensor2d([[-1, -0.5, 0.25, 1.5, 2]]);
    const [clamped, free] = [(t: tf.Tensor) => biasAct(t, undefined, 'lrelu', 2, 100), (t: tf.Tensor) => biasAct(t, undefined, 'lrelu', 2)];
    expect(values(clamped(x))).toEqual(values(free(x)));
    const grads = [clamped, free].map((f) => values(tf.grad((t: tf.Tensor) => tf.sum(tf.square(f(t))))(x)));
    expect(grads[0]).toEqual(grads[1]);
    x.dispose();
  });
});

describe('minibatch stddev and pixel norm', () => {
  it('groups samples strided (k mod N/G), appends the mean stddev; batches not divisible by 4 use a divisor', () => {
    expect([1, 2, 3, 4, 5, 6, 8, 12].map((n) => minibatchGroupSize(n, 4))).toEqual([1, 2, 3, 4, 1, 3, 4, 4]);
    // Batch 6, group 3 → 2 groups: samples {0, 2, 4} and {1, 3, 5}. Each sample is a constant image of value v.
    const v = [0, 10, 3, 10, 6, 10];
    const x = tf.tidy(() => tf.mul(tf.ones([6, 2, 2, 2]), tf.reshape(tf.tensor1d(v), [6, 1, 1, 1])) as tf.Tensor4D);
    const y = minibatchStddev(x, 4);
    expect(y.shape).toEqual([6, 2, 2, 3]);
    const stdChannel = values(tf.tidy(() => tf.slice(y, [0, 0, 0, 2], [-1, 1, 1, 1])));
    const popStd = Math.sqrt(((0 - 3) ** 2 + 0 + (6 - 3) ** 2) / 3); // √6 for {0, 3, 6}; 1e-4 (√1e-8) for {10, 10, 10}
    expectClose(tf.tensor1d(stdChannel), [popStd, 1e-4, popStd, 1e-4, popStd, 1e-4], 4);
    const odd = minibatchStddev(tf.ones([5, 4, 4, 8]) as tf.Tensor4D, 4);
    expect(odd.shape).toEqual([5, 4, 4, 9]);
    tf.dispose([x, y, odd]);
  });

  it('normalize_2nd_moment scales each z to mean square 1', () => {
    const z = tf.tensor2d([[3, 4], [0, 2]]);
    expectClose(normalize2ndMoment(z), [3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5), 0, Math.SQRT2]);
    z.dispose();
  });
});

// Shared GAN blocks against hand-computed values: instance norm, reflect padding, PyTorch-style transposed conv, batch-norm statistics, losses.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { concatChannels } from '../../../../models/common/channel-concat.js';
import { batchNorm, createBatchNorm } from '../../../../models/common/batch-norm.js';
import { conv2d, convTranspose2d } from '../../../../models/common/conv.js';
import { seedSequence } from '../../../../models/common/init.js';
import { instanceNorm } from '../../../../models/common/instance-norm.js';
import { bceWithLogits, l1, leastSquares } from '../../../../models/common/losses.js';
import { evalMode, trainMode } from '../../../../models/common/mode.js';
import { countParameters, disposeParams } from '../../../../models/common/param-tree.js';
import { createPatchGan, patchGan } from '../../../../models/common/patchgan.js';
import { reflectPad } from '../../../../models/common/reflect-pad.js';
import { createResnetBlock, resnetBlock } from '../../../../models/common/resnet-block.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('instanceNorm', () => {
  it('normalises each image and channel by its own mean and biased variance (ε 1e-5)', () => {
    // image 0, channel 0: 1 2 3 4 (mean 2.5, var 1.25); channel 1: 10 10 10 10 (var 0 → 0); image 1, channel 0: 0 0 0 8 (mean 2, var 12)
    const x = tf.tensor4d(
      [
        [[[1, 10], [2, 10]], [[3, 10], [4, 10]]],
        [[[0, 5], [0, 6]], [[0, 7], [8, 8]]],
      ],
    );
    const y = instanceNorm(x);
    const s = (v: number, mean: number, variance: number): number => (v - mean) / Math.sqrt(variance + 1e-5);
    const expected = [
      s(1, 2.5, 1.25), 0, s(2, 2.5, 1.25), 0, s(3, 2.5, 1.25), 0, s(4, 2.5, 1.25), 0,
      s(0, 2, 12), s(5, 6.5, 1.25), s(0, 2, 12), s(6, 6.5, 1.25), s(0, 2, 12), s(7, 6.5, 1.25), s(8, 2, 12), s(8, 6.5, 1.25),
    ];
    values(y).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    tf.dispose([x, y]);
  });

  it('has the gradient autodiff gives through the moments (closed form), and the finite-difference one', () => {
    const x = tf.randomNormal([2, 5, 4, 3], 0.5, 2, 'float32', 11) as tf.Tensor4D;
    const upstream = tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 12);
    const composite = (t: tf.Tensor4D): tf.Tensor => {
      const { mean, variance } = tf.moments(t, [1, 2], true);
      return tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, 1e-5)));
    };
    const loss = (f: (t: tf.Tensor4D) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(f(t as tf.Tensor4D), upstream));
    const ours = tf.grad(loss(instanceNorm))(x);
    const reference = tf.grad(loss(composite))(x);
    values(ours).forEach((v, i) => expect(v).toBeCloseTo(values(reference)[i]!, 5));
    // One coordinate by central differences, in float64 on the host.
    const at = 7;
    const host = values(x);
    const evaluate = (delta: number): number => {
      const shifted = host.slice();
      shifted[at]! += delta;
      return tf.tidy(() => loss(instanceNorm)(tf.tensor4d(shifted, [2, 5, 4, 3])).dataSync()[0]!);
    };
    expect((evaluate(1e-2) - evaluate(-1e-2)) / 2e-2).toBeCloseTo(values(ours)[at]!, 2);
    tf.dispose([x, upstream, ours, reference]);
  });
});

describe('reflectPad', () => {
  it('mirrors without repeating the edge, as nn.ReflectionPad2d', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = reflectPad(x, 1);
    expect(y.shape).toEqual([1, 5, 5, 1]);
    expect(values(y)).toEqual([5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 8, 7, 8, 9, 8, 5, 4, 5, 6, 5]);
    tf.dispose([x, y]);
  });

  it.each([
    [2, 3, 4, 1, 1],
    [1, 5, 6, 2, 3],
    [2, 8, 7, 3, 2],
  ])('gradient sends each padded pixel back to the pixel it copied (B %i, H %i, W %i, p %i, C %i)', (batch, height, width, p, channels) => {
    const x = tf.randomNormal([batch, height, width, channels], 0, 1, 'float32', 31) as tf.Tensor4D;
    const paddedShape = [batch, height + 2 * p, width + 2 * p, channels];
    const weights = tf.randomNormal(paddedShape, 0, 1, 'float32', 32);
    const [dx] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(reflectPad(t as tf.Tensor4D, p), weights)))([x]);
    // By hand: padded index i reads x at reflect(i − p); the gradient of x accumulates the weights of every such read.
    const reflect = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
    const w = weights.dataSync();
    const expected = new Float64Array(x.size);
    let k = 0;
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < height + 2 * p; i++)
        for (let j = 0; j < width + 2 * p; j++)
          for (let c = 0; c < channels; c++, k++) {
            const at = ((b * height + reflect(i - p, height)) * width + reflect(j - p, width)) * channels + c;
            expected[at] = expected[at]! + w[k]!;
          }
    values(dx!).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });
});

describe('conv', () => {
  it('transposed conv (k3, s2, p1, output_padding 1) doubles the size with PyTorch alignment', () => {
    // torch.nn.ConvTranspose2d(1, 1, 3, 2, 1, output_padding=1, bias=False), weights 1, on [[1, 2], [3, 4]]
    const w = { filter: tf.variable(tf.ones([3, 3, 1, 1])) };
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = convTranspose2d(w, x, 2, 1, 1);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(values(y)).toEqual([1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4]);
    tf.dispose([w.filter, x, y]);
  });

  it('conv (k4, s2, p1) halves the size and adds the bias', () => {
    const w = { filter: tf.variable(tf.ones([4, 4, 2, 3])), bias: tf.variable(tf.tensor1d([0, 1, 2])) };
    const x = tf.ones([1, 8, 8, 2]) as tf.Tensor4D;
    const y = conv2d(w, x, 2, 1);
    expect(y.shape).toEqual([1, 4, 4, 3]);
    // Corner window covers 3×3 real pixels × 2 channels = 18; interior 4×4×2 = 32.
    expect(values(y).slice(0, 3)).toEqual([18, 19, 20]);
    expect(values(tf.slice(y, [0, 1, 1, 0], [1, 1, 1, 1]))).toEqual([32]);
    tf.dispose([w.filter, w.bias, x, y]);
  });
});

describe('concatChannels', () => {
  it('has the values and the gradients of tf.concat along channels', () => {
    const a = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 21) as tf.Tensor4D;
    const b = tf.randomNormal([2, 3, 4, 7], 0, 1, 'float32', 22) as tf.Tensor4D;
    const weights = tf.randomNormal([2, 3, 4, 12], 0, 1, 'float32', 23);
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(concatChannels(x as tf.Tensor4D, y as tf.Tensor4D), weights)));
    const theirs = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 3), weights)));
    expect(values(concatChannels(a, b))).toEqual(values(tf.concat([a, b], 3)));
    const [da, db] = ours([a, b]);
    const [ea, eb] = theirs([a, b]);
    expect(da!.shape).toEqual([2, 3, 4, 5]);
    expect(values(da!)).toEqual(values(ea!));
    expect(values(db!)).toEqual(values(eb!));
  });
});

describe('batchNorm', () => {
  it('uses batch statistics in training and moves the running ones 10% towards them', () => {
    const w = createBatchNorm(1, seedSequence(1));
    w.gamma.assign(tf.ones([1]));
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = batchNorm(w, x, trainMode);
    const s = 1 / Math.sqrt(1.25 + 1e-5);
    values(y).forEach((v, i) => expect(v).toBeCloseTo((i + 1 - 2.5) * s, 5));
    expect(values(w.runningMean)[0]).toBeCloseTo(0.25, 6); // 0.9·0 + 0.1·2.5
    expect(values(w.runningVar)[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 6); // unbiased variance 5/3
    const z = batchNorm(w, x, evalMode);
    expect(values(z)[0]).toBeCloseTo((1 - 0.25) / Math.sqrt(0.9 + 0.5 / 3 + 1e-5), 5);
    tf.dispose([x, y, z]);
    disposeParams(w);
  });
});

describe('losses', () => {
  it('BCE with logits, least squares and L1 are the means of their terms', () => {
    const logits = tf.tensor1d([0, 2, -3]);
    const bce = (x: number, real: boolean): number => Math.log1p(Math.exp(real ? -x : x));
    expect(bceWithLogits(logits, true).dataSync()[0]).toBeCloseTo((bce(0, true) + bce(2, true) + bce(-3, true)) / 3, 5);
    expect(bceWithLogits(logits, false).dataSync()[0]).toBeCloseTo((bce(0, false) + bce(2, false) + bce(-3, false)) / 3, 5);
    expect(leastSquares(logits, true).dataSync()[0]).toBeCloseTo((1 + 1 + 16) / 3, 5);
    expect(leastSquares(logits, false).dataSync()[0]).toBeCloseTo((0 + 4 + 9) / 3, 5);
    expect(l1(logits, tf.tensor1d([1, 1, 1])).dataSync()[0]).toBeCloseTo((1 + 1 + 4) / 3, 5);
    // Stable for large logits: softplus(1000) = 1000, not Infinity.
    expect(bceWithLogits(tf.tensor1d([1000]), false).dataSync()[0]).toBeCloseTo(1000, 3);
  });
});

describe('patchGan and resnetBlock', () => {
  it('70×70 PatchGAN: 64 px → 6×6 logits, parameter count of junyanz NLayerDiscriminator(3)', () => {
    const d = createPatchGan({ inChannels: 3, ndf: 64, nLayers: 3, norm: 'instance' }, seedSequence(3));
    expect(countParameters(d)).toBe(2_764_737); // "[Network D_A] Total number of parameters : 2.765 M"
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([2, 64, 64, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const y = patchGan(d, x, trainMode);
    expect(y.shape).toEqual([2, 6, 6, 1]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(d);
  });

  it('ResNet block keeps the shape and is the identity plus a residual', () => {
    const block = createResnetBlock(4, 'instance', seedSequence(5));
    const x = tf.randomNormal([1, 8, 8, 4], 0, 1, 'float32', 6) as tf.Tensor4D;
    const y = resnetBlock(block, x, trainMode);
    expect(y.shape).toEqual([1, 8, 8, 4]);
    // The residual branch ends in instance norm: per channel, y − x has mean 0 and variance ≈ 1.
    const { mean, variance } = tf.moments(tf.sub(y, x), [1, 2]);
    values(mean).forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-4));
    values(variance).forEach((v) => expect(v).toBeCloseTo(1, 2));
    tf.dispose([x, y, mean, variance]);
    disposeParams(block);
  });
});

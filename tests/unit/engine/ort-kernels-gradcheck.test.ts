// End-to-end gradients through the native kernels agree with central finite differences on small nets.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, ortKernelStats, uninstallOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { randomTensor, seededRandom } from './parity-harness.js';

type Net = (params: tf.Tensor[]) => tf.Scalar;

/**
 * For `samples` random entries of every parameter: (f(p + ε) − f(p − ε)) / 2ε against the analytic gradient.
 * Returns the worst |numeric − analytic| / (max |analytic| of that parameter + 1e-3).
 */
function worstFiniteDifferenceError(net: Net, params: tf.Tensor[], samples: number, eps = 1e-2): number {
  const analytic = tf.tidy(() => tf.grads((...p: tf.Tensor[]) => net(p))(params)).map((g) => {
    const values = g.dataSync().slice();
    g.dispose();
    return values;
  });
  const random = seededRandom(99);
  let worst = 0;
  params.forEach((p, index) => {
    const base = p.dataSync().slice();
    const scale = Math.max(...analytic[index]!.map(Math.abs)) + 1e-3;
    for (let s = 0; s < samples; s++) {
      const i = Math.floor(random() * base.length);
      const at = (delta: number): number =>
        tf.tidy(() => {
          const shifted = base.slice();
          shifted[i] = shifted[i]! + delta;
          const probe = params.map((q, j) => (j === index ? tf.tensor(shifted, p.shape) : q));
          return net(probe).dataSync()[0]!;
        });
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - analytic[index]![i]!) / scale);
    }
  });
  return worst;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});

afterAll(() => {
  uninstallOrtKernels();
});

describe('gradients through the native kernels', () => {
  it('conv → leaky relu → conv transpose → mean matches finite differences', () => {
    const x = randomTensor([2, 8, 8, 3], 1);
    const w1 = tf.mul(randomTensor([3, 3, 3, 4], 2), 0.5);
    const w2 = tf.mul(randomTensor([4, 4, 2, 4], 3), 0.5); // conv2dTranspose filter: [fh, fw, outChannels, inChannels]
    const target = randomTensor([2, 8, 8, 2], 4);
    const net: Net = ([xIn, k1, k2]) =>
      tf.tidy(() => {
        const h = tf.leakyRelu(tf.conv2d(xIn as tf.Tensor4D, k1 as tf.Tensor4D, 2, [[0, 0], [1, 0], [0, 1], [0, 0]]), 0.2); // [2, 4, 4, 4]
        const y = tf.conv2dTranspose(h as tf.Tensor4D, k2 as tf.Tensor4D, [2, 8, 8, 2], 2, 'same');
        return tf.mean(tf.square(tf.sub(y, target)));
      });
    const before = { ...ortKernelStats().runs };
    const error = worstFiniteDifferenceError(net, [x, w1, w2], 8);
    const runs = ortKernelStats().runs;
    for (const kernel of ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
      expect(runs[kernel] ?? 0, kernel).toBeGreaterThan(before[kernel] ?? 0);
    }
    expect(error).toBeLessThan(1e-2);
    tf.dispose([x, w1, w2, target]);
  });

  it('fused conv (bias) → tanh → fused dense (bias) → sigmoid → mean matches finite differences', () => {
    // tfjs fuses under tf.grads only with a linear activation, so the smooth nonlinearities are separate ops
    // (a relu kink inside ±ε would also defeat the finite differences).
    const x = randomTensor([3, 6, 6, 2], 5);
    const w = tf.mul(randomTensor([3, 3, 2, 3], 6), 0.5);
    const b = tf.mul(randomTensor([3], 7), 0.1);
    const dense = tf.mul(randomTensor([27, 5], 8), 0.3);
    const denseBias = tf.mul(randomTensor([5], 9), 0.1);
    const net: Net = ([xIn, k, bias, d, db]) =>
      tf.tidy(() => {
        const h = tf.tanh(tf.fused.conv2d({ x: xIn as tf.Tensor4D, filter: k as tf.Tensor4D, strides: 2, pad: 'same', bias })); // [3, 3, 3, 3]
        const logits = tf.fused.matMul({ a: tf.reshape(h, [3, 27]), b: d as tf.Tensor2D, bias: db });
        return tf.mean(tf.sigmoid(logits));
      });
    const before = { ...ortKernelStats().runs };
    const error = worstFiniteDifferenceError(net, [x, w, b, dense, denseBias], 8);
    const runs = ortKernelStats().runs;
    for (const kernel of ['FusedConv2D', '_FusedMatMul', 'BatchMatMul', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
      expect(runs[kernel] ?? 0, kernel).toBeGreaterThan(before[kernel] ?? 0);
    }
    expect(error).toBeLessThan(1e-2);
    tf.dispose([x, w, b, dense, denseBias]);
  });
});

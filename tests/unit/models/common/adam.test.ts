// The fused tfjs-cpu Adam takes the same steps as tf.train.adam (PyTorch's update) and keeps no tensors of its own.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from '../../../../models/common/adam.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createAdam', () => {
  it('matches tf.train.adam step for step and leaks nothing', () => {
    const init = tf.randomNormal([3, 5], 0, 1, 'float32', 1);
    const target = tf.randomNormal([3, 5], 0, 1, 'float32', 2);
    const ours = [tf.variable(init.clone()), tf.variable(tf.tensor1d([0.5, -2]))];
    const theirs = [tf.variable(init.clone()), tf.variable(tf.tensor1d([0.5, -2]))];
    // A loss with uneven gradients per element, so the per-element second moments matter.
    const loss = ([w, s]: tf.Variable[]): (() => tf.Scalar) => () => tf.sum(tf.mul(tf.square(tf.sub(tf.mul(w!, tf.sum(s!)), target)), tf.reshape(tf.range(0, 15), [3, 5])));
    const adam = createAdam({ learningRate: 0.1, beta1: 0.5, beta2: 0.999 });
    const reference = tf.train.adam(0.1, 0.5, 0.999, 1e-8);
    adam.minimize(loss(ours), ours).dispose();
    reference.minimize(loss(theirs), false, theirs);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) adam.minimize(loss(ours), ours).dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 4; i++) reference.minimize(loss(theirs), false, theirs);
    ours.forEach((v, i) => {
      const expected = theirs[i]!.dataSync();
      Array.from(v.dataSync()).forEach((x, j) => expect(x).toBeCloseTo(expected[j]!, 4));
    });
    adam.dispose();
    reference.dispose();
    tf.dispose([init, target, ...ours, ...theirs]);
  });
});

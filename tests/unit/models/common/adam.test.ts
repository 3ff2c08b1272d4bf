// The fused tfjs-cpu Adam takes the same steps as tf.train.adam (PyTorch's update) and keeps no tensors of its own;
// both export their state by variable path, continue exactly in a fresh set of variables, and follow a changed rate.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from '../../../../models/common/adam.js';
import { namedVariables } from '../../../../models/common/param-tree.js';

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

describe.each([
  { implementation: 'fused', fused: true },
  { implementation: 'tf.train.adam', fused: false },
])('Adam state ($implementation)', ({ fused }) => {
  // A two-variable "network", rebuilt per process in a real resume: same paths, new tf variable names.
  const network = (): { w: tf.Variable; s: tf.Variable } => ({
    w: tf.variable(tf.tidy(() => tf.randomNormal([3, 5], 0, 1, 'float32', 1))),
    s: tf.variable(tf.tensor1d([0.5, -2])),
  });
  const loss = ({ w, s }: { w: tf.Variable; s: tf.Variable }) => (): tf.Scalar => tf.tidy(() => tf.sum(tf.mul(tf.square(tf.sub(tf.mul(w, tf.sum(s)), 1)), tf.reshape(tf.range(0, 15), [3, 5]))));
  const step = (adam: ReturnType<typeof createAdam>, net: { w: tf.Variable; s: tf.Variable }): void => adam.minimize(loss(net), [net.w, net.s]).dispose();

  it('exports by path and continues bit for bit in new variables with a new optimizer', async () => {
    const options = { learningRate: 0.05, beta1: 0.5, beta2: 0.999, fused };
    const original = network();
    const adam = createAdam(options);
    step(adam, original);
    step(adam, original);
    const state = await adam.exportState(namedVariables(original, 'net'));
    expect(state.step).toBe(2);
    expect([...state.moments.keys()]).toEqual(['net.w', 'net.s']);
    // The "fresh process": other variables (other tf names) holding the same values, a new optimizer.
    const copy = network();
    copy.w.assign(original.w);
    copy.s.assign(original.s);
    const resumed = createAdam(options);
    await resumed.importState(state, namedVariables(copy, 'net'));
    expect(resumed.step).toBe(2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      step(adam, original);
      step(resumed, copy);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(copy.w.dataSync())).toEqual(Array.from(original.w.dataSync()));
    expect(Array.from(copy.s.dataSync())).toEqual(Array.from(original.s.dataSync()));
    // State for a network without that path is refused.
    await expect(createAdam(options).importState(state, namedVariables({ other: copy.w }, 'net'))).rejects.toThrow(/net\.w/);
    for (const a of [adam, resumed]) a.dispose();
    tf.dispose([original.w, original.s, copy.w, copy.s]);
  });

  it('applies the rate set before each step (a zero rate leaves the weights as they are)', () => {
    const net = network();
    const adam = createAdam({ learningRate: 0.05, beta1: 0.5, beta2: 0.999, fused });
    step(adam, net);
    const after1 = Array.from(net.w.dataSync());
    adam.setLearningRate(0);
    expect(adam.learningRate).toBe(0);
    step(adam, net);
    expect(Array.from(net.w.dataSync())).toEqual(after1);
    adam.setLearningRate(0.05);
    step(adam, net);
    expect(Array.from(net.w.dataSync())).not.toEqual(after1);
    expect(adam.step).toBe(3);
    adam.dispose();
    tf.dispose([net.w, net.s]);
  });
});

// One pix2pix training step: losses fall on a fixed tiny pair, and a step leaves no tensors behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { disposeParams } from '../../../../models/common/param-tree.js';
import { pix2pixConfig } from '../../../../models/pix2pix/config.js';
import { createPix2pix } from '../../../../models/pix2pix/networks.js';
import { createPix2pixTrainer, type Pix2pixLosses } from '../../../../models/pix2pix/train-step.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

describe('pix2pix train step', () => {
  it('lowers the L1 and D losses on a fixed 32 px pair (ngf 8) and leaks no tensors', () => {
    const model = createPix2pix(pix2pixConfig(32, { seed: 7, ngf: 8, ndf: 8 }));
    const trainer = createPix2pixTrainer(model);
    // A and B: a smooth gradient image and its colour-inverted copy, [1, 32, 32, 3] in [-1, 1].
    const a = tf.tidy(() => tf.tile(tf.reshape(tf.linspace(-1, 1, 32 * 3), [1, 1, 32, 3]), [1, 32, 1, 1])) as tf.Tensor4D;
    const b = tf.neg(a);
    const history: Pix2pixLosses[] = [trainer.step(a, b)]; // the first step creates Adam's moment tensors
    const before = tf.memory().numTensors;
    for (let i = 0; i < 7; i++) history.push(trainer.step(a, b));
    expect(tf.memory().numTensors).toBe(before);
    const first = history[0]!;
    const last = history.at(-1)!;
    for (const losses of history) for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true);
    expect(last.gL1).toBeLessThan(first.gL1);
    expect(last.dReal + last.dFake).toBeLessThan(first.dReal + first.dFake);
    tf.dispose([a, b]);
    trainer.dispose();
    disposeParams(model);
  });
});

// One CycleGAN training step: cycle and D losses fall on a fixed tiny pair of batches; a step leaves no tensors behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { disposeParams } from '../../../../models/common/param-tree.js';
import { cycleganConfig } from '../../../../models/cyclegan/config.js';
import { createCyclegan } from '../../../../models/cyclegan/networks.js';
import { createCycleganTrainer, type CycleganLosses } from '../../../../models/cyclegan/train-step.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

describe('cyclegan train step', () => {
  it('lowers the cycle losses on fixed 32 px images (ngf 8, 2 blocks) and leaks no tensors', () => {
    const model = createCyclegan(cycleganConfig({ seed: 11, imageSize: 32, ngf: 8, ndf: 8, nBlocks: 2, learningRate: 1e-3 }));
    const trainer = createCycleganTrainer(model);
    const a = tf.tidy(() => tf.tile(tf.reshape(tf.linspace(-1, 1, 32 * 3), [1, 1, 32, 3]), [1, 32, 1, 1])) as tf.Tensor4D;
    const b = tf.tidy(() => tf.transpose(tf.neg(a), [0, 2, 1, 3])) as tf.Tensor4D;
    const history: CycleganLosses[] = [trainer.step(a, b)];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) history.push(trainer.step(a, b));
    expect(tf.memory().numTensors).toBe(before);
    const first = history[0]!;
    const last = history.at(-1)!;
    for (const losses of history) for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true);
    expect(last.cycleA + last.cycleB).toBeLessThan(first.cycleA + first.cycleB);
    expect(last.idtA + last.idtB).toBeLessThan(first.idtA + first.idtB);
    tf.dispose([a, b]);
    trainer.dispose();
    disposeParams(model);
  });

  it('trains D on what the pool hands back and frees whatever the pool does not keep', () => {
    const model = createCyclegan(cycleganConfig({ seed: 12, imageSize: 32, ngf: 4, ndf: 4, nBlocks: 1, lambdaIdentity: 0 }));
    const trainer = createCycleganTrainer(model);
    const a = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const b = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    let seen = 0;
    const pool = (fakes: { fakeA: tf.Tensor4D; fakeB: tf.Tensor4D }): typeof fakes => {
      seen++;
      expect(fakes.fakeB.shape).toEqual([1, 32, 32, 3]);
      return { fakeA: tf.reverse(fakes.fakeA, 2), fakeB: tf.reverse(fakes.fakeB, 2) }; // stands in for an older image
    };
    const first = trainer.step(a, b, pool);
    expect(first.idtA).toBe(0);
    const before = tf.memory().numTensors;
    trainer.step(a, b, pool);
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toBe(2);
    tf.dispose([a, b]);
    trainer.dispose();
    disposeParams(model);
  });
});

// CycleGAN ResNet generator and PatchGAN: the reference's parameter counts, shapes and output range.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { seedSequence } from '../../../../models/common/init.js';
import { evalMode, trainMode } from '../../../../models/common/mode.js';
import { countParameters, disposeParams } from '../../../../models/common/param-tree.js';
import { cycleganConfig } from '../../../../models/cyclegan/config.js';
import { createCyclegan, createResnetGenerator, cycleganDiscriminator, resnetGenerator } from '../../../../models/cyclegan/networks.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

describe('cyclegan networks', () => {
  it('resnet_9blocks has the junyanz parameter count (11.378 M)', () => {
    const g = createResnetGenerator(cycleganConfig(), seedSequence(1));
    expect(countParameters(g)).toBe(11_378_179);
    disposeParams(g);
  });

  it('G maps [2, 32, 32, 3] to the same shape in (-1, 1); D gives 2×2 patch logits; nothing leaks', () => {
    const model = createCyclegan(cycleganConfig({ seed: 2, imageSize: 32, ngf: 8, ndf: 8, nBlocks: 2 }));
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const y = resnetGenerator(model.gA, x, evalMode);
    expect(y.shape).toEqual([2, 32, 32, 3]);
    const [min, max] = tf.tidy(() => [tf.min(y).dataSync()[0]!, tf.max(y).dataSync()[0]!]);
    expect(min).toBeGreaterThan(-1);
    expect(max).toBeLessThan(1);
    // Instance norm has no running statistics: train and eval mode compute the same function.
    const yTrain = resnetGenerator(model.gA, x, trainMode);
    Array.from(yTrain.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(y.dataSync()[i]!, 6));
    const logits = cycleganDiscriminator(model.dA, y, trainMode);
    expect(logits.shape).toEqual([2, 2, 2, 1]);
    tf.dispose([x, y, yTrain, logits]);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(model);
  });
});

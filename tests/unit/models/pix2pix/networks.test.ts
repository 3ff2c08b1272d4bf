// pix2pix U-Net generator and PatchGAN: the reference's shapes, parameter counts and output range.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { evalMode, trainMode } from '../../../../models/common/mode.js';
import { countParameters, disposeParams, namedVariables } from '../../../../models/common/param-tree.js';
import { pix2pixConfig } from '../../../../models/pix2pix/config.js';
import { createPix2pix, createPix2pixDiscriminator, createUnetGenerator, pix2pixDiscriminator, pix2pixInferenceMode, unetGenerator } from '../../../../models/pix2pix/networks.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

describe('pix2pix networks', () => {
  it('unet_256 and its PatchGAN have junyanz parameter counts (54.414 M, 2.769 M)', () => {
    const config = pix2pixConfig(256, { seed: 1 });
    expect(config.numDowns).toBe(8);
    const g = createUnetGenerator(config);
    expect(countParameters(g)).toBe(54_413_955);
    // Dropout in the 3 levels just outside the innermost (the decoder's first 3 blocks).
    expect(g.levels.map((l) => l.up.dropout)).toEqual([false, false, false, false, true, true, true, false]);
    disposeParams(g);
    const d = createPix2pixDiscriminator(config);
    expect(countParameters(d)).toBe(2_768_705);
    disposeParams(d);
  });

  it('G maps [1, 64, 64, 3] to the same shape in (-1, 1); D gives 6×6 patch logits; nothing leaks', () => {
    const model = createPix2pix(pix2pixConfig(64, { seed: 2, ngf: 16, ndf: 16 }));
    expect(model.config.numDowns).toBe(6);
    const before = tf.memory().numTensors;
    const a = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const fake = unetGenerator(model.generator, a, evalMode);
    expect(fake.shape).toEqual([1, 64, 64, 3]);
    const [min, max] = tf.tidy(() => [tf.min(fake).dataSync()[0]!, tf.max(fake).dataSync()[0]!]);
    expect(min).toBeGreaterThan(-1);
    expect(max).toBeLessThan(1);
    expect(max - min).toBeGreaterThan(0);
    // Eval mode is deterministic (no dropout, running statistics); training mode drops out.
    const again = unetGenerator(model.generator, a, evalMode);
    expect(Array.from(again.dataSync())).toEqual(Array.from(fake.dataSync()));
    const trained = unetGenerator(model.generator, a, trainMode);
    expect(Array.from(trained.dataSync())).not.toEqual(Array.from(fake.dataSync()));
    const logits = pix2pixDiscriminator(model.discriminator, a, fake, trainMode);
    expect(logits.shape).toEqual([1, 6, 6, 1]);
    tf.dispose([a, fake, again, trained, logits]);
    expect(tf.memory().numTensors).toBe(before);
    // Training-mode forwards moved the batch-norm running statistics off their initial zeros.
    const runningMean = namedVariables(model.generator).get('levels.1.down.norm.bn.runningMean')!;
    expect(Math.max(...Array.from(runningMean.dataSync()).map(Math.abs))).toBeGreaterThan(0);
    disposeParams(model);
  });

  it('inference normalises each image with its own statistics (as the reference tests), deterministically, tracking nothing', () => {
    const g = createUnetGenerator(pix2pixConfig(64, { seed: 8, ngf: 8 }));
    const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const running = (): number[] => [...namedVariables(g)].filter(([p]) => p.includes('running')).flatMap(([, v]) => [...v.dataSync()]);
    const before = running();
    const first = unetGenerator(g, x, pix2pixInferenceMode);
    // Whatever the running statistics say, the output is the same: they are not used, and not updated.
    for (const [path, v] of namedVariables(g)) if (path.endsWith('runningVar')) v.assign(tf.fill(v.shape, 7));
    const second = unetGenerator(g, x, pix2pixInferenceMode);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(first, second))).dataSync()[0])).toBe(0);
    const afterAssign = running();
    expect(afterAssign).not.toEqual(before);
    unetGenerator(g, x, pix2pixInferenceMode).dispose();
    expect(running()).toEqual(afterAssign);
    tf.dispose([x, first, second]);
    disposeParams(g);
  });
});

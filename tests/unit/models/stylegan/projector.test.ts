import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { disposeParams } from '../../../../models/common/param-tree.js';
import { psnr, ssim } from '../../../../models/common/ssim.js';
import { styleGAN2Config } from '../../../../models/stylegan/config.js';
import { createGenerator, generator as runGenerator, numWs } from '../../../../models/stylegan/networks.js';
import { noiseMapsOf, Projector } from '../../../../models/stylegan/projector.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const config = styleGAN2Config(32, { zDim: 32, wDim: 32, mappingLayers: 2, channelBase: 256, channelMax: 16, seed: 21 });

describe('SSIM and PSNR', () => {
  it('are 1 and 100 dB for identical images and fall with noise', () => {
    const a = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const noisy = tf.clipByValue(tf.add(a, tf.randomNormal(a.shape, 0, 0.1, 'float32', 2)), 0, 1) as tf.Tensor4D;
    expect(ssim(a, a).dataSync()[0]).toBeCloseTo(1, 5);
    expect(psnr(a, a)).toBe(100);
    expect(ssim(a, noisy).dataSync()[0]).toBeLessThan(0.95);
    expect(psnr(a, noisy)).toBeGreaterThan(15);
    expect(psnr(a, noisy)).toBeLessThan(25);
    tf.dispose([a, noisy]);
  });
});

describe('StyleGAN2 projector', () => {
  it('recovers an image the generator can make (W+): PSNR climbs well above the start, noise maps stay normalised, no leaks', () => {
    const g = createGenerator(config);
    // Noise strength 0 (as at initialisation): the target depends on w alone, so a good projection must find it.
    const target = tf.tidy(() => tf.clipByValue(runGenerator(g, tf.randomNormal([1, 32], 0, 1, 'float32', 5) as tf.Tensor2D, { training: false }), -1, 1)) as tf.Tensor4D;
    const projector = new Projector(g, target, { space: 'w+', steps: 200, seed: 3, wAvgSamples: 2000 });
    const start = projector.quality();
    const before = tf.memory().numTensors;
    let last;
    while (!projector.done) last = projector.step();
    expect(tf.memory().numTensors).toBe(before);
    const end = projector.quality();
    expect(last!.step).toBe(200);
    expect(end.psnr).toBeGreaterThan(start.psnr + 6);
    expect(end.ssim).toBeGreaterThan(start.ssim);
    expect(projector.latent()).toHaveLength(numWs(32) * 32);
    const maps = projector.noiseMaps();
    expect(maps.length).toBe(noiseMapsOf(g.synthesis).reduce((n, m) => n + m.size, 0));
    const first = maps.subarray(0, 16); // the 4×4 map
    const mean = first.reduce((a, b) => a + b, 0) / 16;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(first.reduce((a, b) => a + b * b, 0) / 16).toBeCloseTo(1, 4);
    // The generator's own noise maps are untouched: the projector optimises copies.
    const own = noiseMapsOf(g.synthesis)[0]!.dataSync();
    expect(Array.from(own)).not.toEqual(Array.from(first));
    projector.dispose();
    tf.dispose(target);
    disposeParams(g);
  }, 120_000);

  it('W space gives one w, and a blank target still ends with a finite result', () => {
    const g = createGenerator(config);
    const blank = tf.ones([1, 32, 32, 3]) as tf.Tensor4D;
    const projector = new Projector(g, blank, { space: 'w', steps: 10, seed: 4, wAvgSamples: 500 });
    while (!projector.done) projector.step();
    const latent = projector.latent();
    expect(latent).toHaveLength(32);
    expect(latent.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(projector.quality().psnr)).toBe(true);
    projector.dispose();
    blank.dispose();
    disposeParams(g);
  });
});

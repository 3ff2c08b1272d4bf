import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { disposeParams } from '../../../../models/common/param-tree.js';
import { featureMaps, growthAt, pgganConfig } from '../../../../models/pggan/config.js';
import { createPGGAN, pgganDiscriminator, pgganGenerator } from '../../../../models/pggan/networks.js';
import { PGGANRun } from '../../../../models/pggan/train.js';
import type { ImageDataset } from '../../../../models/common/datasets.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const tiny = (overrides = {}) => pgganConfig(16, { latentSize: 16, fmapBase: 64, fmapMax: 16, batchSize: 4, seed: 3, ...overrides });
const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

function noiseDataset(count: number, size: number): ImageDataset {
  const images = Array.from({ length: count }, (_, i) => Uint8Array.from({ length: size * size * 3 }, (_, j) => (j * 37 + i * 101) % 256));
  return { length: count, size, read: (i) => images[i]! };
}

describe('PGGAN schedule', () => {
  it('trains 4 px for lodTrainingKimg, fades 8 px in over lodTransitionKimg, … and stays at full resolution', () => {
    const c = pgganConfig(32, { lodTrainingKimg: 10, lodTransitionKimg: 10 });
    expect(growthAt(c, 0)).toEqual({ resolution: 4, alpha: 1 });
    expect(growthAt(c, 9.9)).toEqual({ resolution: 4, alpha: 1 });
    expect(growthAt(c, 15)).toEqual({ resolution: 8, alpha: 0.5 });
    expect(growthAt(c, 20)).toEqual({ resolution: 8, alpha: 1 });
    expect(growthAt(c, 45)).toEqual({ resolution: 16, alpha: 1 });
    expect(growthAt(c, 57.5)).toEqual({ resolution: 32, alpha: 0.75 });
    expect(growthAt(c, 1000)).toEqual({ resolution: 32, alpha: 1 });
    expect(featureMaps(c, 1)).toBe(512);
    expect(featureMaps(c, 6)).toBe(128);
  });
});

describe('PGGAN networks', () => {
  it('make images at every growth stage; α = 0 is exactly the previous stage, upscaled (G) or downscaled (D)', () => {
    const { generator: g, discriminator: d } = createPGGAN(tiny());
    const z = tf.randomNormal([4, 16], 0, 1, 'float32', 1) as tf.Tensor2D;
    for (const resolution of [4, 8, 16]) expect(pgganGenerator(g, z, { resolution, alpha: 1 }).shape).toEqual([4, resolution, resolution, 3]);
    const faded = pgganGenerator(g, z, { resolution: 16, alpha: 0 });
    const previous = tf.image.resizeNearestNeighbor(pgganGenerator(g, z, { resolution: 8, alpha: 1 }), [16, 16]);
    expect(maxAbsDiff(faded, previous)).toBeLessThan(1e-5);
    const halfway = pgganGenerator(g, z, { resolution: 16, alpha: 0.5 });
    expect(maxAbsDiff(halfway, previous)).toBeGreaterThan(1e-3);
    const x = tf.randomUniform([4, 16, 16, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const dFaded = pgganDiscriminator(d, x, { resolution: 16, alpha: 0 });
    expect(dFaded.shape).toEqual([4, 1]);
    expect(maxAbsDiff(dFaded, pgganDiscriminator(d, tf.avgPool(x, 2, 2, 'valid'), { resolution: 8, alpha: 1 }))).toBeLessThan(1e-4);
    disposeParams(g);
    disposeParams(d);
  });
});

describe('PGGAN training run', () => {
  const schedule = { lodTrainingKimg: 0.008, lodTransitionKimg: 0.008 }; // 2 iterations per phase at batch 4

  it('grows 4 → 16 px through fade-ins with finite WGAN-GP losses, and a resumed run matches an uninterrupted one exactly', async () => {
    const dataset = noiseDataset(6, 16);
    const straight = PGGANRun.create(tiny(schedule), dataset, 0.04, 5); // 10 iterations
    const seen: string[] = [];
    while (!straight.done) {
      const l = straight.step();
      for (const v of [l.gLoss, l.dLoss, l.wasserstein, l.gradientPenalty]) expect(Number.isFinite(v)).toBe(true);
      seen.push(`${l.resolution}@${l.alpha.toFixed(2)}`);
    }
    expect(seen).toEqual(['4@1.00', '4@1.00', '4@1.00', '8@0.50', '8@1.00', '8@1.00', '8@1.00', '16@0.50', '16@1.00', '16@1.00']);

    const first = PGGANRun.create(tiny(schedule), dataset, 0.04, 5);
    for (let i = 0; i < 4; i++) first.step();
    const snapshot = await first.snapshot();
    first.dispose();
    const resumed = await PGGANRun.resume(snapshot, dataset);
    while (!resumed.done) resumed.step();
    const [a, b] = [await straight.snapshot(), await resumed.snapshot()];
    for (const [path, tensor] of a.weights) expect(Array.from(b.weights.get(path)!.data), path).toEqual(Array.from(tensor.data));
    const image = resumed.sample([0, 1]);
    expect(image.shape).toEqual([2, 16, 16, 3]);
    image.dispose();
    straight.dispose();
    resumed.dispose();
  }, 120_000);
});

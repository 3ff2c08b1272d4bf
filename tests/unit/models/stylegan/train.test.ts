import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../models/common/seeded-random.js';
import type { ImageDataset } from '../../../../models/common/datasets.js';
import { StyleGAN2Run } from '../../../../models/stylegan/train.js';
import { microConfig, useCpuWithOrtKernels } from './micro.js';

useCpuWithOrtKernels();

/** `length` images of seeded noise, `size` px. */
function noiseDataset(length: number, size: number, seed: string): ImageDataset {
  const random = seededRandom(seed);
  const images = Array.from({ length }, () => Uint8Array.from({ length: size * size * 3 }, () => Math.floor(random.next() * 256)));
  return { length, size, read: (i) => images[i]! };
}

const pixels = (images: tf.Tensor4D): Float32Array => {
  const data = images.dataSync() as Float32Array;
  images.dispose();
  return data;
};

describe('StyleGAN2Run memory', () => {
  it('leaves no tensor behind once disposed (tf.variable shares its initial tensor\'s data)', () => {
    const before = tf.memory().numTensors;
    StyleGAN2Run.create(microConfig(), noiseDataset(2, 32, 'memory'), { totalKimg: 1, mirror: false }, 1).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('StyleGAN2Run.fineTune (transfer learning, as train.py --resume)', () => {
  it("starts on other images from the source's networks, with a fresh count and stream, and trains on from there", async () => {
    const source = StyleGAN2Run.create(microConfig(), noiseDataset(12, 32, 'source'), { totalKimg: 1, mirror: true }, 3);
    source.step();
    source.step();
    const snapshot = await source.snapshot();
    const sourceImages = pixels(source.sample([0, 1]));
    source.dispose();

    // Another dataset (other length), batch, R1 weight, length and seed: none of it is in the networks' shapes.
    const images = noiseDataset(5, 32, 'target');
    const tuned = StyleGAN2Run.fineTune(snapshot.weights, microConfig({ batchSize: 2, r1Gamma: 0.5, seed: 9 }), images, { totalKimg: 0.004, mirror: false }, 7);
    try {
      expect(tuned.stepCount).toBe(0);
      expect(tuned.totalSteps).toBe(2);
      // G_ema is the source's: the same seeds draw the same pixels.
      expect(pixels(tuned.sample([0, 1]))).toEqual(sourceImages);
      const fresh = StyleGAN2Run.create(microConfig({ batchSize: 2, seed: 9 }), images, { totalKimg: 0.004, mirror: false }, 7);
      expect(pixels(fresh.sample([0, 1]))).not.toEqual(sourceImages);
      fresh.dispose();
      tuned.step();
      const report = tuned.step();
      expect(report).toMatchObject({ step: 2, kimg: 0.004 });
      expect(Number.isFinite(report.losses.gMain)).toBe(true);
      expect(tuned.done).toBe(true);
      expect(pixels(tuned.sample([0]))).not.toEqual(sourceImages.subarray(0, 32 * 32 * 3));
      // Its own checkpoints resume on its own images (5 of them), not the source's 12.
      expect((await tuned.snapshot()).state).toMatchObject({ datasetLength: 5, step: 2, seed: 7 });
    } finally {
      tuned.dispose();
    }
  }, 120_000);

  it('refuses a source whose networks have other shapes, naming the first tensor that differs', async () => {
    const source = StyleGAN2Run.create(microConfig(), noiseDataset(4, 32, 'source'), { totalKimg: 1, mirror: false }, 3);
    const snapshot = await source.snapshot();
    source.dispose();
    const before = tf.memory().numTensors;
    expect(() => StyleGAN2Run.fineTune(snapshot.weights, microConfig({ channelMax: 8 }), noiseDataset(4, 32, 'target'), { totalKimg: 1, mirror: false }, 1)).toThrow(
      /stylegan2: ".+" is \[.+\] in the snapshot, \[.+\] in this network/,
    );
    // The half-built run was disposed.
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});

// KID of a generator against real images, measured again and again during training: the reals' features once, a
// fixed set of generated seeds each time.
import * as tf from '@tensorflow/tfjs-core';
import { rgbToSigned } from '../../../models/common/image-tensor.js';
import type { ImageDataset } from '../../../models/common/datasets.js';
import { loadImageFeatureExtractor } from './image-features.js';
import { kernelInceptionDistance } from './kid.js';

/** Seeds of the generated half of every KID estimate: fixed, so a run's KID curve is not seed noise. */
const KID_SEEDS_FROM = 100_000;

/**
 * KID of a generator against real images: the reals' features are computed once (up to `count` images, spread over
 * the dataset); each `measure` draws `count` images of fixed seeds and compares (main/engine/metrics/kid.ts).
 */
export async function createKidMeter(reals: ImageDataset, count: number): Promise<{ measure(sample: (seeds: number[]) => tf.Tensor4D): number; dispose(): void }> {
  const extractor = await loadImageFeatureExtractor();
  const n = Math.min(count, reals.length);
  const { size } = reals;
  const pixels = size * size * 3;
  const batched = (total: number, images: (from: number, to: number) => tf.Tensor4D): Float32Array[] => {
    const features: Float32Array[] = [];
    for (let from = 0; from < total; from += 16) {
      const batch = images(from, Math.min(total, from + 16));
      features.push(...extractor.features(batch));
      batch.dispose();
    }
    return features;
  };
  const realFeatures = batched(n, (from, to) => {
    const values = new Float32Array((to - from) * pixels);
    for (let i = from; i < to; i++) rgbToSigned(reals.read(Math.floor((i * reals.length) / n)), values, (i - from) * pixels);
    return tf.tensor4d(values, [to - from, size, size, 3]);
  });
  return {
    measure(sample) {
      const fakeFeatures = batched(n, (from, to) =>
        tf.tidy(() => {
          const images = sample(Array.from({ length: to - from }, (_, i) => KID_SEEDS_FROM + from + i));
          return images.shape[1] === size ? images : tf.image.resizeNearestNeighbor(images, [size, size]);
        }),
      );
      return kernelInceptionDistance(realFeatures, fakeFeatures, { subsets: 50, subsetSize: 1000, seed: 1 }).kid;
    },
    dispose: () => extractor.dispose(),
  };
}

// Differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training",
// mit-han-lab/data-efficient-gans DiffAugment): the same random colour, translation and cutout transforms are applied to
// every image D sees, real or generated, in G's step as in D's. D then cannot memorise a small training set, and since
// each transform is differentiable G still learns the un-augmented distribution. The policy 'color,translation,cutout'
// is the paper's for datasets of a few hundred images. Written here rather than taken from a library: no tfjs package
// provides these as differentiable ops, and they are a handful of tensor expressions.
import * as tf from '@tensorflow/tfjs-core';
import type { DiffAugmentOp } from './diff-augment-policy.js';
import { seededRandom } from './seeded-random.js';

export { DIFF_AUGMENT_OPS, diffAugmentPolicy, isDiffAugmentPolicy, parseDiffAugmentPolicy, type DiffAugmentOp } from './diff-augment-policy.js';

const TRANSLATION_RATIO = 1 / 8; // shift up to 1/8 of the side each way (the paper's default)
const CUTOUT_RATIO = 1 / 2; // erase a square half the side (the paper's default)

/** Per-sample factors [B, 1, 1, 1] from host draws: `draw()` once per sample. */
function perSample(batch: number, draw: () => number): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: batch }, draw), [batch, 1, 1, 1]);
}

/**
 * Random brightness (add U(−0.5, 0.5)), saturation (scale the distance from the pixel's channel mean by U(0, 2)) and
 * contrast (scale the distance from the image mean by U(0.5, 1.5)), each drawn per sample, on images in [-1, 1].
 */
function color(x: tf.Tensor4D, next: () => number): tf.Tensor4D {
  const batch = x.shape[0];
  let y: tf.Tensor4D = tf.add(x, perSample(batch, () => next() - 0.5));
  const pixelMean = tf.mean(y, 3, true);
  y = tf.add(tf.mul(tf.sub(y, pixelMean), perSample(batch, () => next() * 2)), pixelMean);
  const imageMean = tf.mean(y, [1, 2, 3], true);
  return tf.add(tf.mul(tf.sub(y, imageMean), perSample(batch, () => next() + 0.5)), imageMean);
}

/**
 * Shift each image by a whole number of pixels in [−s, s] on each axis, s = round(side/8), filling with zeros
 * (mid-grey in [-1, 1]) as the paper does. A pad and one slice per sample: both carry gradients in tfjs.
 */
function translation(x: tf.Tensor4D, int: (n: number) => number): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const s = Math.round(Math.min(height, width) * TRANSLATION_RATIO);
  if (s === 0) return x;
  const padded = tf.pad(x, [[0, 0], [s, s], [s, s], [0, 0]]);
  const shifted = Array.from({ length: batch }, (_, n) => {
    const dy = int(2 * s + 1) - s;
    const dx = int(2 * s + 1) - s;
    // Output pixel (y, x) shows input pixel (y − dy, x − dx), i.e. padded pixel (y − dy + s, x − dx + s).
    return tf.slice(padded, [n, s - dy, s - dx, 0], [1, height, width, channels]);
  });
  return tf.concat(shifted, 0);
}

/** Zero a square of half the side at a random centre per sample (parts may fall outside the image). */
function cutout(x: tf.Tensor4D, int: (n: number) => number): tf.Tensor4D {
  const [batch, height, width] = x.shape;
  const size = Math.round(Math.min(height, width) * CUTOUT_RATIO);
  const mask = new Float32Array(batch * height * width).fill(1);
  for (let n = 0; n < batch; n++) {
    // The square's centre ranges over the whole image; an odd size gets one position more, as in the paper.
    const cy = int(height + (1 - (size % 2)));
    const cx = int(width + (1 - (size % 2)));
    const half = Math.floor(size / 2);
    for (let y = Math.max(cy - half, 0); y < Math.min(cy - half + size, height); y++) {
      mask.fill(0, (n * height + y) * width + Math.max(cx - half, 0), (n * height + y) * width + Math.min(cx - half + size, width));
    }
  }
  return tf.mul(x, tf.tensor4d(mask, [batch, height, width, 1]));
}

/**
 * x [B, H, W, C] in [-1, 1] → the same images under the policy's transforms, in the paper's order (colour, translation,
 * cutout). Every draw comes from a stream seeded by `seed`, so a training run that checkpoints its seeds resumes with
 * the same augmentations; the same seed gives the same transform for any x (R1 differentiates through it).
 */
export function diffAugment(x: tf.Tensor4D, ops: readonly DiffAugmentOp[], seed: number): tf.Tensor4D {
  if (ops.length === 0) return x;
  const draws = seededRandom(seed);
  return tf.tidy(() => {
    let y = x;
    if (ops.includes('color')) y = color(y, draws.next);
    if (ops.includes('translation')) y = translation(y, draws.int);
    if (ops.includes('cutout')) y = cutout(y, draws.int);
    return y;
  });
}

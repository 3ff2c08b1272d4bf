// Minibatch standard deviation (Karras et al. 2018, PGGAN §3), as NVlabs stylegan2-ada-pytorch MinibatchStdLayer:
// the discriminator sees how much the samples of a small group differ, so a generator that collapses is caught.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Samples per group: min(groupSize, batch) as the reference; where that does not divide the batch (the reference's
 * reshape would fail), the largest divisor of the batch below it, so any batch runs (6 → 3, 5 → 1).
 */
export function minibatchGroupSize(batch: number, groupSize: number): number {
  for (let g = Math.min(groupSize, batch); g > 1; g--) if (batch % g === 0) return g;
  return 1;
}

/**
 * x [N, H, W, C] → [N, H, W, C + F]: F extra channels, each the stddev over a group of samples averaged over H, W and
 * C/F channels. Groups are strided as the reference's reshape(G, −1, …): sample k is in group k mod (N/G).
 */
export function minibatchStddev(x: tf.Tensor4D, groupSize: number, numChannels = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width, channels] = x.shape;
    const g = minibatchGroupSize(batch, groupSize);
    const n = batch / g;
    const f = numChannels;
    const y = tf.reshape(x, [g, n, height, width, f, channels / f]); // [G, n, H, W, F, c]
    const centred = tf.sub(y, tf.mean(y, 0));
    const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), 0), 1e-8)); // [n, H, W, F, c] stddev over the group
    const perGroup = tf.reshape(tf.mean(std, [1, 2, 4]), [n, 1, 1, f]); // [n, 1, 1, F] averaged over pixels and channels
    return tf.concat([x, tf.tile(perGroup, [g, height, width, 1]) as tf.Tensor4D], 3);
  });
}

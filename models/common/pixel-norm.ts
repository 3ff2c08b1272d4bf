// Pixel normalisation (Karras et al. 2018, PGGAN §4.2): each vector scaled to unit second moment, as the reference's
// normalize_2nd_moment (NVlabs stylegan2-ada-pytorch training/networks.py), which StyleGAN2 applies to z.
import * as tf from '@tensorflow/tfjs-core';

/** x [..., D] → x / √(mean over the last axis of x² + 1e-8), same shape: z then lies near the sphere of radius √D. */
export function normalize2ndMoment<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-8))) as T);
}

// Instance normalisation (nn.InstanceNorm2d as junyanz uses it: affine=False, track_running_stats=False, eps 1e-5).
import * as tf from '@tensorflow/tfjs-core';

const eps = 1e-5;

/**
 * x [B, H, W, C] → same shape: each image's each channel shifted to mean 0 and scaled by 1/√(biased variance + ε).
 * Same in train and eval mode (no running statistics), so it needs no weights and no mode.
 */
export function instanceNorm(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true); // [B, 1, 1, C] each
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  });
}

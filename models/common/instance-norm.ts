// Instance normalisation (nn.InstanceNorm2d as junyanz uses it: affine=False, track_running_stats=False, eps 1e-5).
import * as tf from '@tensorflow/tfjs-core';

const eps = 1e-5;

/**
 * x [B, H, W, C] → same shape: each image's each channel shifted to mean 0 and scaled by r = 1/√(biased variance + ε).
 * Same in train and eval mode (no running statistics), so it needs no weights and no mode.
 *
 * Its gradient is the closed form, per image and channel over the M = H·W positions:
 *   dx = r · (dy − mean(dy) − y · mean(dy · y)),
 * seven elementwise passes, where autodiff through tf.moments takes three times as many ops (in a CycleGAN step the
 * instance norms' backward was the largest share of time outside the convolutions).
 */
export function instanceNorm(x: tf.Tensor4D): tf.Tensor4D {
  const normalise = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const { mean, variance } = tf.moments(input, [1, 2], true); // [B, 1, 1, C] each
    const r = tf.rsqrt(tf.add(variance, eps));
    const y = tf.mul(tf.sub(input, mean), r);
    save([y, r]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [yOut, rSaved] = saved as [tf.Tensor4D, tf.Tensor4D];
        const meanDy = tf.mean(dy, [1, 2], true);
        const meanDyY = tf.mean(tf.mul(dy, yOut), [1, 2], true);
        return tf.mul(tf.sub(tf.sub(dy, meanDy), tf.mul(yOut, meanDyY)), rSaved);
      },
    };
  });
  return normalise(x) as tf.Tensor4D;
}

// GAN and reconstruction losses of the reference implementations (junyanz `GANLoss`, nn.L1Loss), each a mean.
import * as tf from '@tensorflow/tfjs-core';

/** 'vanilla': BCE with logits (pix2pix); 'lsgan': least squares, Mao et al. 2017 (CycleGAN). */
export type GanLossMode = 'vanilla' | 'lsgan';

/**
 * Mean BCE-with-logits of `logits` against an all-1 (real) or all-0 (fake) target:
 * −log σ(x) = softplus(−x) for real, −log(1 − σ(x)) = softplus(x) for fake (stable for large |x|).
 */
export function bceWithLogits(logits: tf.Tensor, real: boolean): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(real ? tf.neg(logits) : logits)));
}

/** Mean of (x − 1)² for real, x² for fake. */
export function leastSquares(logits: tf.Tensor, real: boolean): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(real ? tf.sub(logits, 1) : logits)));
}

/** The discriminator loss of `logits` against the real/fake label under `mode`. */
export function ganLoss(mode: GanLossMode, logits: tf.Tensor, real: boolean): tf.Scalar {
  return mode === 'vanilla' ? bceWithLogits(logits, real) : leastSquares(logits, real);
}

/** Mean absolute error, nn.L1Loss: a and b same shape. */
export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))));
}

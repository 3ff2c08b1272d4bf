// Structural similarity (Wang et al. 2004, "Image Quality Assessment: From Error Visibility to Structural Similarity"):
// the 11×11 Gaussian window with σ 1.5 and K1 0.01, K2 0.03 of the paper, per channel, averaged over the image.
import * as tf from '@tensorflow/tfjs-core';

const WINDOW = 11;
const SIGMA = 1.5;

function gaussianTaps(size: number, sigma: number): number[] {
  const taps = Array.from({ length: size }, (_, i) => Math.exp(-((i - (size - 1) / 2) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/**
 * Mean SSIM of a and b [B, H, W, C] with values in [0, `range`]; differentiable, so it can be a loss. The window
 * shrinks to the image for images smaller than 11 px. Returns a scalar (1 for identical images).
 */
export function ssim(a: tf.Tensor4D, b: tf.Tensor4D, range = 1): tf.Scalar {
  return tf.tidy(() => {
    const [batch, height, width, channels] = a.shape;
    const size = Math.min(WINDOW, height, width);
    const taps = gaussianTaps(size, SIGMA);
    const alongH = tf.tensor4d(taps, [size, 1, 1, 1]);
    const alongW = tf.tensor4d(taps, [1, size, 1, 1]);
    // Channels into the batch, so the separable window is two one-channel 'valid' convs.
    const planes = (x: tf.Tensor4D): tf.Tensor4D => tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [batch * channels, height, width, 1]);
    const blur = (x: tf.Tensor4D): tf.Tensor4D => tf.conv2d(tf.conv2d(x, alongH, 1, 'valid'), alongW, 1, 'valid');
    const [x, y] = [planes(a), planes(b)];
    const [mx, my] = [blur(x), blur(y)];
    const sxx = tf.sub(blur(tf.mul(x, x) as tf.Tensor4D), tf.mul(mx, mx));
    const syy = tf.sub(blur(tf.mul(y, y) as tf.Tensor4D), tf.mul(my, my));
    const sxy = tf.sub(blur(tf.mul(x, y) as tf.Tensor4D), tf.mul(mx, my));
    const c1 = (0.01 * range) ** 2;
    const c2 = (0.03 * range) ** 2;
    const numerator = tf.mul(tf.add(tf.mul(tf.mul(mx, my), 2), c1), tf.add(tf.mul(sxy, 2), c2));
    const denominator = tf.mul(tf.add(tf.add(tf.mul(mx, mx), tf.mul(my, my)), c1), tf.add(tf.add(sxx, syy), c2));
    return tf.mean(tf.div(numerator, denominator));
  });
}

/** PSNR in dB of a against b, both in [0, `range`] (100 dB for identical images). */
export function psnr(a: tf.Tensor, b: tf.Tensor, range = 1): number {
  const mse = tf.tidy(() => tf.mean(tf.squaredDifference(a, b)).dataSync()[0]!);
  return mse === 0 ? 100 : Math.min(100, 10 * Math.log10((range * range) / mse));
}

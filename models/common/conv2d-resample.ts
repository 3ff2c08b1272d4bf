// Convolution with FIR 2× up- or downsampling, as NVlabs stylegan2-ada-pytorch torch_utils/ops/conv2d_resample.py
// (its strided paths: a transposed conv before the filter when upsampling, a strided conv after it when downsampling).
import * as tf from '@tensorflow/tfjs-core';
import { binomialTaps, upfirdn2d } from './upfirdn.js';

export interface ResampleOptions {
  up?: 1 | 2;
  down?: 1 | 2;
  padding: number; // zeros on each side, relative to the (upsampled) input, as the reference's padding = kernel // 2
  taps?: readonly number[]; // resampling filter, [1, 3, 3, 1] by default
}

/**
 * x [B, H, W, I], weight [k, k, I, O] (HWIO) → [B, H·up/down, W·up/down, O] when padding = ⌊k/2⌋.
 *
 * Without upsampling the weight is correlated with x, as PyTorch's conv2d. With upsampling it is convolved (the kernel
 * flipped), because the reference runs its up layers with flip_weight=False (a transposed conv with the weight as is):
 * kept so that a reference weight, transposed OIHW → HWIO, computes the same function in every layer.
 */
export function conv2dResample(x: tf.Tensor4D, weight: tf.Tensor4D, options: ResampleOptions): tf.Tensor4D {
  const { up = 1, down = 1, padding, taps = binomialTaps } = options;
  const [k] = weight.shape;
  const f = taps.length;
  if (up === 1 && down === 1) {
    return tf.conv2d(x, weight, 1, padding === 0 ? 'valid' : [[0, 0], [padding, padding], [padding, padding], [0, 0]]);
  }
  if (up === 1) {
    // Low-pass first (padded so the strided conv lands on the reference's grid), then keep every second output.
    const before = padding + Math.floor((f - down + 1) / 2);
    const after = padding + Math.floor((f - down) / 2);
    return tf.tidy(() => {
      // A 1×1 kernel commutes with the subsampling: subsample in the filter pass and convolve the smaller image.
      if (k === 1) return tf.conv2d(upfirdn2d(x, taps, { down, padding: [before, after] }), weight, 1, 'valid');
      return tf.conv2d(upfirdn2d(x, taps, { padding: [before, after] }), weight, down, 'valid');
    });
  }
  if (down !== 1) throw new Error('conv2dResample: up and down together are not supported');
  // Transposed conv with stride 2 (zero insertion and the conv in one native kernel), then the low-pass filter with
  // gain 4 = up² so that zero insertion keeps the signal's level; the padding is what is left after the transposed conv.
  const before = padding + Math.floor((f + up - 1) / 2) - (k - 1);
  const after = padding + Math.floor((f - up) / 2) - (k - up);
  const transposedPad = Math.max(Math.min(-before, -after), 0);
  return tf.tidy(() => {
    const [batch, height, width] = x.shape;
    const outChannels = weight.shape[3];
    const outSize = (n: number): number => (n - 1) * up - 2 * transposedPad + k;
    // tfjs' conv2dTranspose takes its filter as [k, k, out, in].
    const y = tf.conv2dTranspose(x, tf.transpose(weight, [0, 1, 3, 2]), [batch, outSize(height), outSize(width), outChannels], up, transposedPad === 0 ? 'valid' : transposedPad);
    return upfirdn2d(y, taps, { padding: [before + transposedPad, after + transposedPad], gain: up * up });
  });
}

// FIR resampling (upsample, pad, FIR filter, downsample) in NHWC with tfjs ops, as NVlabs stylegan2-ada-pytorch
// torch_utils/ops/upfirdn2d.py: StyleGAN2 resamples with a [1, 3, 3, 1] low-pass filter, never by nearest or pooling.
//
// tfjs has no upfirdn kernel. The 4×4 filter is the outer product of its taps, so it runs as two one-channel convs
// (one per axis); downsampling is their stride, upsampling a transposed conv (zero insertion and filter in one).
import * as tf from '@tensorflow/tfjs-core';

/** StyleGAN2's resample_filter: the binomial [1, 3, 3, 1], one axis of the separable 4×4 low-pass filter. */
export const binomialTaps: readonly number[] = [1, 3, 3, 1];

export interface UpFirDnOptions {
  up?: number; // upsampling factor: up − 1 zeros inserted after each pixel (default 1)
  down?: number; // downsampling factor: every down-th filtered pixel kept (default 1)
  padding?: readonly [number, number]; // zeros before and after, on H and W of the upsampled image; negative crops (default [0, 0])
  gain?: number; // overall scale of the 2D filter (default 1); up² keeps a constant image constant through zero insertion
}

/**
 * x [B, H, W, C] → [B, H′, W′, C] with H′ = ⌊(H·up + before + after − taps) / down⌋ + 1 (the same for W).
 * `taps` are normalised to sum 1 (setup_filter's normalize), so the 2D filter taps ⊗ taps has unit DC gain before `gain`.
 */
export function upfirdn2d(x: tf.Tensor4D, taps: readonly number[], options: UpFirDnOptions = {}): tf.Tensor4D {
  const { up = 1, down = 1, padding = [0, 0], gain = 1 } = options;
  const [before, after] = padding;
  const k = taps.length;
  // Each axis carries √gain. upfirdn2d convolves (flip_filter=False): as a correlation the taps run reversed (which
  // only matters for asymmetric filters); a transposed conv already convolves, so it takes them as they are.
  const sum = taps.reduce((a, b) => a + b, 0);
  const oneAxis = taps.map((t) => (t / sum) * Math.sqrt(gain));
  const reversed = [...oneAxis].reverse();
  return tf.tidy(() => {
    // The same filter for every channel: channels move into the batch ([B·C, H, W, 1]) so each pass is a one-channel
    // conv, which runs natively (tfjs-cpu's depthwise conv is plain JS, about 4× slower here).
    const [batch, height, width, channels] = x.shape;
    let planes = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [batch * channels, height, width, 1]) as tf.Tensor4D;
    const alongH = (t: number[]): tf.Tensor4D => tf.tensor4d(t, [k, 1, 1, 1]);
    const alongW = (t: number[]): tf.Tensor4D => tf.tensor4d(t, [1, k, 1, 1]);
    if (up > 1 && down === 1 && before >= 0 && before <= k - 1 && after >= 0 && after <= k - up) {
      // Zero insertion, padding and filter in one transposed conv per axis: its output o sums x[i]·f[o + P₀ − up·i],
      // which is upfirdn's output for P₀ = k − 1 − before and P₁ = k − up − after.
      const [p0, p1] = [k - 1 - before, k - up - after];
      const [h, w] = [height * up + before + after - k + 1, width * up + before + after - k + 1];
      planes = tf.conv2dTranspose(planes, alongH(oneAxis), [batch * channels, h, width, 1], [up, 1], [[0, 0], [p0, p1], [0, 0], [0, 0]]);
      planes = tf.conv2dTranspose(planes, alongW(oneAxis), [batch * channels, h, w, 1], [1, up], [[0, 0], [0, 0], [p0, p1], [0, 0]]);
    } else {
      if (up > 1) planes = insertZeros(planes, up);
      // Zeros are added by the filter passes themselves (explicit conv padding, on the filtered axis only): a pad op
      // copies the whole tensor and is one of tfjs-cpu's slowest kernels. Negative padding crops first.
      if (before < 0 || after < 0) planes = crop(planes, Math.max(-before, 0), Math.max(-after, 0));
      const pad: [number, number] = [Math.max(before, 0), Math.max(after, 0)];
      planes = tf.conv2d(planes, alongH(reversed), [down, 1], [[0, 0], pad, [0, 0], [0, 0]]);
      planes = tf.conv2d(planes, alongW(reversed), [1, down], [[0, 0], [0, 0], pad, [0, 0]]);
    }
    const [, outHeight, outWidth] = planes.shape;
    return tf.transpose(tf.reshape(planes, [batch, channels, outHeight, outWidth]), [0, 2, 3, 1]) as tf.Tensor4D;
  });
}

/** [B, H, W, C] → [B, H·up, W·up, C] with pixel (i, j) at (i·up, j·up) and zeros elsewhere (concats, then reshapes). */
function insertZeros(x: tf.Tensor4D, up: number): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const withZeros = (t: tf.Tensor): tf.Tensor[] => [t, ...Array.from({ length: up - 1 }, () => tf.zerosLike(t))];
  const alongW = tf.reshape(tf.stack(withZeros(x), 3), [batch, height, width * up, channels]); // stacked [B, H, W, up, C]
  return tf.reshape(tf.stack(withZeros(alongW), 2), [batch, height * up, width * up, channels]); // stacked [B, H, up, W·up, C]
}

/** Drops `before` rows and columns at the start of H and W and `after` at the end. */
function crop(x: tf.Tensor4D, before: number, after: number): tf.Tensor4D {
  const [, height, width] = x.shape;
  return tf.slice(x, [0, before, before, 0], [-1, height - before - after, width - before - after, -1]);
}

/** x [B, H, W, C] → [B, 2H, 2W, C]: zero insertion and the low-pass filter (upfirdn2d.upsample2d, gain 4). */
export function upsample2d(x: tf.Tensor4D, taps: readonly number[] = binomialTaps): tf.Tensor4D {
  const k = taps.length;
  return upfirdn2d(x, taps, { up: 2, padding: [Math.floor((k + 1) / 2), Math.floor((k - 2) / 2)], gain: 4 });
}

/** x [B, H, W, C] → [B, H/2, W/2, C]: the low-pass filter, then every second pixel (upfirdn2d.downsample2d). */
export function downsample2d(x: tf.Tensor4D, taps: readonly number[] = binomialTaps): tf.Tensor4D {
  const k = taps.length;
  return upfirdn2d(x, taps, { down: 2, padding: [Math.floor((k - 1) / 2), Math.floor((k - 2) / 2)] });
}

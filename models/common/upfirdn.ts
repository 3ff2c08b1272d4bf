// FIR resampling (upsample, pad, FIR filter, downsample) in NHWC with tfjs ops, as NVlabs stylegan2-ada-pytorch
// torch_utils/ops/upfirdn2d.py: StyleGAN2 resamples with a [1, 3, 3, 1] low-pass filter, never by nearest or pooling.
//
// tfjs has no upfirdn kernel. The 4×4 filter is the outer product of its taps, so it runs one axis at a time, either
// as a matrix product (small images) or as two one-channel convs (downsampling their stride, upsampling a transposed
// conv with zero insertion and filter in one).
import * as tf from '@tensorflow/tfjs-core';

/** StyleGAN2's resample_filter: the binomial [1, 3, 3, 1], one axis of the separable 4×4 low-pass filter. */
export const binomialTaps: readonly number[] = [1, 3, 3, 1];

export interface UpFirDnOptions {
  up?: number; // upsampling factor: up − 1 zeros inserted after each pixel (default 1)
  down?: number; // downsampling factor: every down-th filtered pixel kept (default 1)
  padding?: readonly [number, number]; // zeros before and after, on H and W of the upsampled image; negative crops (default [0, 0])
  gain?: number; // overall scale of the 2D filter (default 1); up² keeps a constant image constant through zero insertion
  /** How it runs (default: 'matrix' up to {@link largestMatrixSide} px, else 'conv'); both compute the same function. */
  method?: 'matrix' | 'conv';
}

/**
 * Largest input side resampled by matrix products. Along one axis upfirdn is a linear map, so it can run as one
 * [out, in] matrix times the image, in NHWC as it is: no transposes, one GEMM forward and back. The matrix is banded
 * (taps nonzeros per row) and the product multiplies its zeros too, in/taps times the filter's work: at 64 px that
 * waste costs less than the channel-to-batch transposes and one-channel convs it replaces (a sixth of a 64 px StyleGAN2
 * training step); beyond it the convs win.
 */
export const largestMatrixSide = 64;

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
  const [, height, width] = x.shape;
  if ((options.method ?? (Math.max(height, width) <= largestMatrixSide ? 'matrix' : 'conv')) === 'matrix') {
    return tf.tidy(() => {
      const alongH = resamplingMatrix(height, reversed, up, down, before, after);
      const alongW = resamplingMatrix(width, reversed, up, down, before, after);
      const [batch, , , channels] = x.shape;
      // [B, H, W·C]: the H-axis map is one matrix applied to every sample; then [B·H′, W, C] for the W axis.
      const rows = tf.matMul(alongH, tf.reshape(x, [batch, height, width * channels]));
      const outHeight = alongH.shape[0];
      const both = tf.matMul(alongW, tf.reshape(rows, [batch * outHeight, width, channels]));
      return tf.reshape(both, [batch, outHeight, alongW.shape[0], channels]) as tf.Tensor4D;
    });
  }
  return tf.tidy(() => {
    // The same filter for every channel: channels move into the batch ([B·C, H, W, 1]) so each pass is a one-channel
    // conv, which runs natively (tfjs-cpu's depthwise conv is plain JS, about 4× slower here).
    const [batch, , , channels] = x.shape;
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

/**
 * Along one axis of `length` samples, upfirdn as an [out, length] matrix M (out = M·x): zero insertion, padding
 * (negative crops), correlation with `correlationTaps` and keeping every down-th output, each only deciding which
 * input sample a tap meets. Output o takes tap t at padded position o·down + t, which is upsampled position
 * m = o·down + t − before, which is input sample m / up when up divides m.
 */
function resamplingMatrix(length: number, correlationTaps: readonly number[], up: number, down: number, before: number, after: number): tf.Tensor2D {
  const k = correlationTaps.length;
  const outLength = Math.floor((length * up + before + after - k) / down) + 1;
  const matrix = new Float32Array(outLength * length);
  for (let o = 0; o < outLength; o++) {
    for (let t = 0; t < k; t++) {
      const m = o * down + t - before;
      if (m >= 0 && m < length * up && m % up === 0) matrix[o * length + m / up]! += correlationTaps[t]!;
    }
  }
  return tf.tensor2d(matrix, [outLength, length]);
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

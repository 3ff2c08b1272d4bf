// Convolution and transposed convolution with PyTorch's padding semantics (symmetric zero `padding`, `output_padding`).
import * as tf from '@tensorflow/tfjs-core';
import { constantVariable, normalVariable, type SeedSource } from './init.js';

export interface ConvWeights {
  /** conv: [k, k, in, out] (HWIO); transposed conv: [k, k, out, in] (tfjs' conv2dTranspose layout). Init N(0, 0.02). */
  filter: tf.Variable;
  /** [out], zeros; absent where the reference uses bias=False (a norm layer follows). */
  bias?: tf.Variable;
}

export function createConv(kernel: number, inChannels: number, outChannels: number, bias: boolean, seeds: SeedSource): ConvWeights {
  return {
    filter: normalVariable([kernel, kernel, inChannels, outChannels], seeds),
    ...(bias ? { bias: constantVariable([outChannels], 0) } : {}),
  };
}

export function createConvTranspose(kernel: number, inChannels: number, outChannels: number, bias: boolean, seeds: SeedSource): ConvWeights {
  return {
    filter: normalVariable([kernel, kernel, outChannels, inChannels], seeds),
    ...(bias ? { bias: constantVariable([outChannels], 0) } : {}),
  };
}

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** PyTorch's `padding=p`: p zeros on each side of H and W. */
const symmetric = (p: number): ExplicitPadding => [
  [0, 0],
  [p, p],
  [p, p],
  [0, 0],
];

/**
 * nn.Conv2d(k, stride, padding): x [B, H, W, in] → [B, ⌊(H + 2p − k)/s⌋ + 1, …, out].
 * The bias rides in the same (fused) kernel, so the native FusedConv2D adds it in one pass.
 */
export function conv2d(w: ConvWeights, x: tf.Tensor4D, stride: number, padding: number): tf.Tensor4D {
  const pad = padding === 0 ? 'valid' : symmetric(padding);
  if (w.bias === undefined) return tf.conv2d(x, w.filter as tf.Tensor4D, stride, pad);
  return tf.fused.conv2d({ x, filter: w.filter as tf.Tensor4D, strides: stride, pad, bias: w.bias });
}

/**
 * nn.ConvTranspose2d(k, stride, padding, output_padding): x [B, H, W, in] → [B, (H − 1)s − 2p + k + op, …, out].
 * It is the gradient of a conv with the same padding whose input has that output size, which is what tfjs computes.
 */
export function convTranspose2d(w: ConvWeights, x: tf.Tensor4D, stride: number, padding: number, outputPadding = 0): tf.Tensor4D {
  const [batch, height, width] = x.shape;
  const [kernel, , outChannels] = w.filter.shape as [number, number, number, number];
  const outSize = (n: number): number => (n - 1) * stride - 2 * padding + kernel + outputPadding;
  const y = tf.conv2dTranspose(x, w.filter as tf.Tensor4D, [batch, outSize(height), outSize(width), outChannels], stride, padding === 0 ? 'valid' : symmetric(padding));
  return w.bias === undefined ? y : tf.add(y, w.bias);
}

// Modulated convolution with weight demodulation (Karras et al. 2020, StyleGAN2 §2.2, eqs. 1–3), without grouped conv.
import * as tf from '@tensorflow/tfjs-core';
import { conv2dResample } from './conv2d-resample.js';

export interface ModulatedConvOptions {
  demodulate: boolean; // true in the synthesis layers, false in toRGB
  up?: 1 | 2; // 2: FIR upsampling around the conv (the first conv of each block)
  padding: number; // ⌊k/2⌋
}

/**
 * Demodulation d [B, O] (eq. 3): d_j = 1/√(Σ_{i,k} (s_i·w_ijk)² + ε), ε = 1e-8.
 * Σ_{i,k} s_i² w_ijk² = Σ_i s_i² (Σ_k w_ijk²): one [B, I] × [I, O] product, no per-sample [B, k, k, I, O] weight.
 */
export function demodulation(weight: tf.Tensor4D, styles: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const weightEnergy = tf.sum(tf.square(weight), [0, 1]) as tf.Tensor2D; // [I, O]: Σ_k w_ijk²
    return tf.rsqrt(tf.add(tf.matMul(tf.square(styles), weightEnergy), 1e-8));
  });
}

/**
 * x [B, H, W, I], weight w [k, k, I, O], styles s [B, I] → [B, H·up, W·up, O].
 *
 * The paper modulates the weight per sample, w′_ijk = s_i·w_ijk (eq. 1), and demodulates it, w″_ijk = d_j·w′_ijk
 * (eq. 3); the reference runs that as one grouped conv. tfjs has no grouped conv, so this is the reference's
 * fused_modconv=False path, the same function: scaling the weight's input channel i by s_i is scaling x's channel i,
 * and scaling its output channel j by d_j is scaling the output's channel j. One shared-weight conv serves the batch.
 */
export function modulatedConv2d(x: tf.Tensor4D, weight: tf.Tensor4D, styles: tf.Tensor2D, options: ModulatedConvOptions): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, , , inChannels] = x.shape;
    const outChannels = weight.shape[3];
    const modulated = tf.mul(x, tf.reshape(styles, [batch, 1, 1, inChannels])) as tf.Tensor4D;
    const y = conv2dResample(modulated, weight, { up: options.up ?? 1, padding: options.padding });
    if (!options.demodulate) return y;
    return tf.mul(y, tf.reshape(demodulation(weight, styles), [batch, 1, 1, outChannels]));
  });
}

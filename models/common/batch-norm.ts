// Batch normalisation (nn.BatchNorm2d: affine, eps 1e-5, momentum 0.1, running statistics tracked).
import * as tf from '@tensorflow/tfjs-core';
import { constantVariable, normalVariable, type SeedSource } from './init.js';
import type { ForwardMode } from './mode.js';

export interface BatchNormWeights {
  gamma: tf.Variable; // [C] scale, init N(1, 0.02) (junyanz init_weights)
  beta: tf.Variable; // [C] shift, zeros
  runningMean: tf.Variable; // [C] not trainable
  runningVar: tf.Variable; // [C] not trainable, unbiased like PyTorch's
}

const eps = 1e-5;
const momentum = 0.1;

export function createBatchNorm(channels: number, seeds: SeedSource): BatchNormWeights {
  return {
    gamma: normalVariable([channels], seeds, 1, 0.02),
    beta: constantVariable([channels], 0),
    runningMean: constantVariable([channels], 0, false),
    runningVar: constantVariable([channels], 1, false),
  };
}

/**
 * x [B, H, W, C] → same shape. Training: normalise with the batch's mean and biased variance over B, H, W and move the
 * running statistics 10% towards them; eval: normalise with the running statistics, or with `batchStatistics` the
 * batch's own (pix2pix's test-time protocol), leaving the running statistics alone.
 * Written as x·scale + shift with per-channel [C] scale and shift, so only two ops touch the full tensor.
 */
export function batchNorm(w: BatchNormWeights, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    let mean: tf.Tensor1D = w.runningMean as tf.Tensor1D;
    let variance: tf.Tensor1D = w.runningVar as tf.Tensor1D;
    if (mode.training || mode.batchStatistics === true) {
      ({ mean, variance } = tf.moments(x, [0, 1, 2]) as { mean: tf.Tensor1D; variance: tf.Tensor1D });
    }
    if (mode.training) {
      const n = x.size / x.shape[3];
      const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
      // The running statistics are state, not part of the differentiated function (their update reaches no loss).
      w.runningMean.assign(tf.add(tf.mul(w.runningMean, 1 - momentum), tf.mul(mean, momentum)));
      w.runningVar.assign(tf.add(tf.mul(w.runningVar, 1 - momentum), tf.mul(unbiased, momentum)));
    }
    const scale = tf.mul(w.gamma, tf.rsqrt(tf.add(variance, eps)));
    const shift = tf.sub(w.beta, tf.mul(mean, scale));
    return tf.add(tf.mul(x, scale), shift);
  });
}

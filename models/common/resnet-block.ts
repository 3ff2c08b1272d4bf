// ResNet block of the CycleGAN generator (junyanz `ResnetBlock`, padding_type='reflect', no dropout).
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, createConv, type ConvWeights } from './conv.js';
import type { SeedSource } from './init.js';
import { convBiasBeforeNorm, createNorm, norm, type NormKind, type NormWeights } from './norm-layer.js';
import type { ForwardMode } from './mode.js';
import { reflectPad } from './reflect-pad.js';

export interface ResnetBlockWeights {
  conv1: ConvWeights; // [3, 3, C, C]
  norm1: NormWeights;
  conv2: ConvWeights; // [3, 3, C, C]
  norm2: NormWeights;
}

export function createResnetBlock(channels: number, normKind: NormKind, seeds: SeedSource): ResnetBlockWeights {
  const bias = convBiasBeforeNorm(normKind);
  return {
    conv1: createConv(3, channels, channels, bias, seeds),
    norm1: createNorm(normKind, channels, seeds),
    conv2: createConv(3, channels, channels, bias, seeds),
    norm2: createNorm(normKind, channels, seeds),
  };
}

/** x [B, H, W, C] → x + norm(conv(pad(relu(norm(conv(pad(x))))))), same shape. */
export function resnetBlock(w: ResnetBlockWeights, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    const h = tf.relu(norm(w.norm1, conv2d(w.conv1, reflectPad(x, 1), 1, 0), mode));
    return tf.add(x, norm(w.norm2, conv2d(w.conv2, reflectPad(h, 1), 1, 0), mode));
  });
}

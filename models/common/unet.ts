// The down and up halves of a U-Net skip-connection level (junyanz `UnetSkipConnectionBlock`, 4×4 convs, stride 2).
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, convTranspose2d, createConv, createConvTranspose, type ConvWeights } from './conv.js';
import type { SeedSource } from './init.js';
import { convBiasBeforeNorm, createNorm, norm, type NormKind, type NormWeights } from './norm-layer.js';
import type { ForwardMode } from './mode.js';

/** Where a level sits: the outermost has no down norm and a tanh output; the innermost has no down norm and no skip below it. */
export type UnetLevelKind = 'outermost' | 'middle' | 'innermost';

export interface UnetDownWeights {
  conv: ConvWeights; // [4, 4, outer, inner]: halves H and W
  norm?: NormWeights; // middle levels only
}

export interface UnetUpWeights {
  conv: ConvWeights; // transposed [4, 4, outer, inner or 2·inner]: doubles H and W
  norm?: NormWeights; // all but the outermost
  dropout: boolean; // middle levels nearest the bottleneck (use_dropout)
}

export function createUnetDown(kind: UnetLevelKind, inChannels: number, innerChannels: number, normKind: NormKind, seeds: SeedSource): UnetDownWeights {
  const normed = kind === 'middle';
  return {
    conv: createConv(4, inChannels, innerChannels, convBiasBeforeNorm(normKind), seeds),
    ...(normed ? { norm: createNorm(normKind, innerChannels, seeds) } : {}),
  };
}

/** The up conv reads the level below's output: concat(skip, up) = 2·inner channels, except at the innermost level. */
export function createUnetUp(kind: UnetLevelKind, innerChannels: number, outerChannels: number, normKind: NormKind, dropout: boolean, seeds: SeedSource): UnetUpWeights {
  const inChannels = kind === 'innermost' ? innerChannels : innerChannels * 2;
  const outermost = kind === 'outermost';
  return {
    conv: createConvTranspose(4, inChannels, outerChannels, outermost || convBiasBeforeNorm(normKind), seeds),
    ...(outermost ? {} : { norm: createNorm(normKind, outerChannels, seeds) }),
    dropout,
  };
}

/** x [B, H, W, outer] → [B, H/2, W/2, inner]: LeakyReLU(0.2) (not at the outermost level, which sees the image), conv, norm. */
export function unetDown(w: UnetDownWeights, x: tf.Tensor4D, kind: UnetLevelKind, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    const h = conv2d(w.conv, kind === 'outermost' ? x : tf.leakyRelu(x, 0.2), 2, 1);
    return w.norm === undefined ? h : norm(w.norm, h, mode);
  });
}

/** x [B, H, W, in] → [B, 2H, 2W, outer]: ReLU, transposed conv, then norm (+ dropout 0.5 in training), or tanh at the outermost level. */
export function unetUp(w: UnetUpWeights, x: tf.Tensor4D, kind: UnetLevelKind, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    const h = convTranspose2d(w.conv, tf.relu(x), 2, 1);
    if (kind === 'outermost') return tf.tanh(h);
    const normed = norm(w.norm!, h, mode);
    if (!(w.dropout && mode.training)) return normed;
    // nn.Dropout(0.5): zero half the activations, scale the rest by 2; the mask's seed comes from the run's stream.
    return tf.dropout(normed, 0.5, undefined, mode.randomSeed?.()) as tf.Tensor4D;
  });
}

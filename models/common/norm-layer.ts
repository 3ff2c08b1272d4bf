// The normalisation choice of junyanz `get_norm_layer`: 'batch' (pix2pix) or 'instance' (CycleGAN).
import type * as tf from '@tensorflow/tfjs-core';
import { batchNorm, createBatchNorm, type BatchNormWeights } from './batch-norm.js';
import type { SeedSource } from './init.js';
import { instanceNorm } from './instance-norm.js';
import type { ForwardMode } from './mode.js';

export type NormKind = 'batch' | 'instance';

/** Batch norm carries weights; instance norm (affine=False) carries none. */
export type NormWeights = { kind: 'batch'; bn: BatchNormWeights } | { kind: 'instance' };

export function createNorm(kind: NormKind, channels: number, seeds: SeedSource): NormWeights {
  return kind === 'batch' ? { kind, bn: createBatchNorm(channels, seeds) } : { kind };
}

/** x [B, H, W, C] → same shape. */
export function norm(w: NormWeights, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return w.kind === 'batch' ? batchNorm(w.bn, x, mode) : instanceNorm(x);
}

/** junyanz `use_bias`: a conv followed by batch norm needs no bias (the norm's shift replaces it); with instance norm it keeps one. */
export const convBiasBeforeNorm = (kind: NormKind): boolean => kind === 'instance';

// 70×70 PatchGAN discriminator (junyanz `NLayerDiscriminator`, ndf 64, n_layers 3; Isola et al. 2017, §3.2.2).
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, createConv, type ConvWeights } from './conv.js';
import type { SeedSource } from './init.js';
import { convBiasBeforeNorm, createNorm, norm, type NormKind, type NormWeights } from './norm-layer.js';
import type { ForwardMode } from './mode.js';

export interface PatchGanOptions {
  inChannels: number; // 6 for pix2pix (concat of A and B), 3 for CycleGAN
  ndf: number; // filters of the first conv (64)
  nLayers: number; // stride-2 convs after the first (3 → 70×70 receptive field)
  norm: NormKind; // 'batch' for pix2pix, 'instance' for CycleGAN
}

export interface PatchGanLayer {
  conv: ConvWeights; // [4, 4, in, out]
  norm?: NormWeights; // all but the first and last layer
  stride: number;
}

export interface PatchGanWeights {
  layers: PatchGanLayer[];
}

export function createPatchGan(options: PatchGanOptions, seeds: SeedSource): PatchGanWeights {
  const { inChannels, ndf, nLayers } = options;
  const bias = convBiasBeforeNorm(options.norm);
  const layers: PatchGanLayer[] = [{ conv: createConv(4, inChannels, ndf, true, seeds), stride: 2 }];
  let channels = ndf;
  // n_layers − 1 more stride-2 convs, then one stride-1: channels ndf·min(2ⁿ, 8).
  for (let n = 1; n <= nLayers; n++) {
    const next = ndf * Math.min(2 ** n, 8);
    layers.push({ conv: createConv(4, channels, next, bias, seeds), norm: createNorm(options.norm, next, seeds), stride: n < nLayers ? 2 : 1 });
    channels = next;
  }
  layers.push({ conv: createConv(4, channels, 1, true, seeds), stride: 1 }); // one logit per patch
  return { layers };
}

/**
 * x [B, H, W, in] in [-1, 1] → logits [B, H/8 − 2, W/8 − 2, 1] (30×30 for 256 px): each scores one 70×70 patch as real.
 * Every conv is 4×4 with padding 1; LeakyReLU(0.2) after all but the last.
 */
export function patchGan(w: PatchGanWeights, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    let h = x;
    w.layers.forEach((layer, i) => {
      h = conv2d(layer.conv, h, layer.stride, 1);
      if (layer.norm !== undefined) h = norm(layer.norm, h, mode);
      if (i < w.layers.length - 1) h = tf.leakyRelu(h, 0.2);
    });
    return h;
  });
}

// pix2pix networks (Isola et al. 2017): U-Net generator with skips, 70×70 PatchGAN on the pair (A, B).
// Layer for layer as junyanz/pytorch-CycleGAN-and-pix2pix models/networks.py `UnetGenerator` and `NLayerDiscriminator`.
import * as tf from '@tensorflow/tfjs-core';
import { concatChannels } from '../common/channel-concat.js';
import { seedSequence, type SeedSource } from '../common/init.js';
import type { ForwardMode } from '../common/mode.js';
import { createPatchGan, patchGan, type PatchGanWeights } from '../common/patchgan.js';
import { createUnetDown, createUnetUp, unetDown, unetUp, type UnetDownWeights, type UnetLevelKind, type UnetUpWeights } from '../common/unet.js';
import type { Pix2pixConfig } from './config.js';

/**
 * How pix2pix runs at inference (Isola et al. 2017, §3.3; test.py without --eval): "we apply batch normalization using
 * the statistics of the test batch" — with one image, instance normalisation — so the generator sees activations
 * normalised as in training. Unlike the paper, dropout stays off: the same sketch always gives the same image.
 */
export const pix2pixInferenceMode: ForwardMode = { training: false, batchStatistics: true };

export interface UnetLevel {
  kind: UnetLevelKind;
  down: UnetDownWeights;
  up: UnetUpWeights;
}

/** levels[0] is the outermost (image in, image out), levels[numDowns − 1] the innermost (1×1 bottleneck). */
export interface UnetGeneratorWeights {
  levels: UnetLevel[];
}

/**
 * Channels (outer → inner) of each level, outermost first, as `UnetGenerator.__init__` stacks them inside out:
 * 3 → ngf → 2ngf → 4ngf → 8ngf, then 8ngf → 8ngf for the remaining numDowns − 4 levels (the last one innermost).
 * The numDowns − 5 middle 8ngf levels just outside the innermost drop out (3 at 256 px, as the paper's decoder).
 */
function unetLevelSpecs(config: Pix2pixConfig): Array<{ kind: UnetLevelKind; outer: number; inner: number; dropout: boolean }> {
  const { ngf, numDowns, dropout } = config;
  const specs: Array<{ kind: UnetLevelKind; outer: number; inner: number; dropout: boolean }> = [
    { kind: 'outermost', outer: config.inChannels, inner: ngf, dropout: false },
    { kind: 'middle', outer: ngf, inner: ngf * 2, dropout: false },
    { kind: 'middle', outer: ngf * 2, inner: ngf * 4, dropout: false },
    { kind: 'middle', outer: ngf * 4, inner: ngf * 8, dropout: false },
  ];
  for (let i = 0; i < numDowns - 5; i++) specs.push({ kind: 'middle', outer: ngf * 8, inner: ngf * 8, dropout });
  specs.push({ kind: 'innermost', outer: ngf * 8, inner: ngf * 8, dropout: false });
  return specs;
}

export function createUnetGenerator(config: Pix2pixConfig, seeds: SeedSource = seedSequence(config.seed)): UnetGeneratorWeights {
  return {
    levels: unetLevelSpecs(config).map(({ kind, outer, inner, dropout }, i) => ({
      kind,
      down: createUnetDown(kind, outer, inner, config.norm, seeds),
      // The outermost up conv maps back to the output image's channels, not the input's.
      up: createUnetUp(kind, inner, i === 0 ? config.outChannels : outer, config.norm, dropout, seeds),
    })),
  };
}

/** G: A [B, H, W, 3] in [-1, 1] → fake B [B, H, W, 3] in (-1, 1). H = W = 2^numDowns. */
export function unetGenerator(w: UnetGeneratorWeights, a: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    // Level i: down, level i + 1, up; every level but the outermost returns concat(its input, its output) (the skip).
    const level = (i: number, x: tf.Tensor4D): tf.Tensor4D => {
      const { kind, down, up } = w.levels[i]!;
      const h = unetDown(down, x, kind, mode);
      const y = unetUp(up, kind === 'innermost' ? h : level(i + 1, h), kind, mode);
      return kind === 'outermost' ? y : concatChannels(x, y);
    };
    return level(0, a);
  });
}

/** D: PatchGAN on concat(A, B) [B, H, W, 6] (conditional GAN), batch norm. */
export function createPix2pixDiscriminator(config: Pix2pixConfig, seeds: SeedSource = seedSequence(config.seed === undefined ? undefined : config.seed + 1000)): PatchGanWeights {
  return createPatchGan({ inChannels: config.inChannels + config.outChannels, ndf: config.ndf, nLayers: config.nLayersD, norm: config.norm }, seeds);
}

/** (A, B) each [B, H, W, 3] in [-1, 1] → patch logits [B, H/8 − 2, W/8 − 2, 1]: is B the real translation of A? */
export function pix2pixDiscriminator(w: PatchGanWeights, a: tf.Tensor4D, b: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => patchGan(w, concatChannels(a, b), mode));
}

export interface Pix2pixModel {
  config: Pix2pixConfig;
  generator: UnetGeneratorWeights;
  discriminator: PatchGanWeights;
}

export function createPix2pix(config: Pix2pixConfig): Pix2pixModel {
  return { config, generator: createUnetGenerator(config), discriminator: createPix2pixDiscriminator(config) };
}

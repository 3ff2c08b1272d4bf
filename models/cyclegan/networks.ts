// CycleGAN networks (Zhu et al. 2017): two ResNet generators G_A: A → B, G_B: B → A and two PatchGANs D_A (on B), D_B (on A).
// Layer for layer as junyanz/pytorch-CycleGAN-and-pix2pix models/networks.py `ResnetGenerator` and `NLayerDiscriminator`.
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, convTranspose2d, createConv, createConvTranspose, type ConvWeights } from '../common/conv.js';
import { seedSequence, type SeedSource } from '../common/init.js';
import type { ForwardMode } from '../common/mode.js';
import { convBiasBeforeNorm, createNorm, norm, type NormWeights } from '../common/norm-layer.js';
import { createPatchGan, patchGan, type PatchGanWeights } from '../common/patchgan.js';
import { reflectPad } from '../common/reflect-pad.js';
import { createResnetBlock, resnetBlock, type ResnetBlockWeights } from '../common/resnet-block.js';
import type { CycleganConfig } from './config.js';

const nDownsampling = 2;

export interface ConvNorm {
  conv: ConvWeights;
  norm: NormWeights;
}

export interface ResnetGeneratorWeights {
  stem: ConvNorm; // 7×7, 3 → ngf
  down: ConvNorm[]; // 3×3 stride 2: ngf → 2ngf → 4ngf
  blocks: ResnetBlockWeights[]; // nBlocks at 4ngf, H/4 × W/4
  up: ConvNorm[]; // 3×3 transposed stride 2: 4ngf → 2ngf → ngf
  head: ConvWeights; // 7×7, ngf → 3, with bias
}

export function createResnetGenerator(config: CycleganConfig, seeds: SeedSource): ResnetGeneratorWeights {
  const { ngf, channels } = config;
  const bias = convBiasBeforeNorm(config.norm);
  const convNorm = (conv: ConvWeights, out: number): ConvNorm => ({ conv, norm: createNorm(config.norm, out, seeds) });
  const down: ConvNorm[] = [];
  const up: ConvNorm[] = [];
  const stem = convNorm(createConv(7, channels, ngf, bias, seeds), ngf);
  for (let i = 0; i < nDownsampling; i++) down.push(convNorm(createConv(3, ngf * 2 ** i, ngf * 2 ** (i + 1), bias, seeds), ngf * 2 ** (i + 1)));
  const blocks = Array.from({ length: config.nBlocks }, () => createResnetBlock(ngf * 2 ** nDownsampling, config.norm, seeds));
  for (let i = 0; i < nDownsampling; i++) {
    const mult = 2 ** (nDownsampling - i);
    up.push(convNorm(createConvTranspose(3, ngf * mult, (ngf * mult) / 2, bias, seeds), (ngf * mult) / 2));
  }
  return { stem, down, blocks, up, head: createConv(7, ngf, channels, true, seeds) };
}

/** G: x [B, H, W, 3] in [-1, 1] → [B, H, W, 3] in (-1, 1); H, W divisible by 4. */
export function resnetGenerator(w: ResnetGeneratorWeights, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    // c7s1-64: reflect pad 3, 7×7 conv, norm, ReLU → [B, H, W, ngf]
    let h = tf.relu(norm(w.stem.norm, conv2d(w.stem.conv, reflectPad(x, 3), 1, 0), mode));
    // d128, d256: 3×3 stride-2 convs (padding 1), norm, ReLU → [B, H/4, W/4, 4ngf]
    for (const d of w.down) h = tf.relu(norm(d.norm, conv2d(d.conv, h, 2, 1), mode));
    // R256 × nBlocks
    for (const block of w.blocks) h = resnetBlock(block, h, mode);
    // u128, u64: 3×3 transposed convs, stride 2, padding 1, output_padding 1 (exact doubling), norm, ReLU → [B, H, W, ngf]
    for (const u of w.up) h = tf.relu(norm(u.norm, convTranspose2d(u.conv, h, 2, 1, 1), mode));
    // c7s1-3: reflect pad 3, 7×7 conv, tanh
    return tf.tanh(conv2d(w.head, reflectPad(h, 3), 1, 0));
  });
}

/**
 * How G runs at test time, as the reference's test.py runs it: without --eval the model stays in train mode, so each
 * norm layer normalises with the test image's own statistics. For CycleGAN's instance norm (affine=False, no running
 * statistics) that is the same function in every mode; a model trained with --norm batch gets the statistics of the
 * one image, as in the reference. Nothing is random: CycleGAN's generators have no dropout (--no_dropout).
 */
export const cycleganInferenceMode: ForwardMode = { training: false, batchStatistics: true };

export interface CycleganModel {
  config: CycleganConfig;
  gA: ResnetGeneratorWeights; // G_A: A → B
  gB: ResnetGeneratorWeights; // G_B: B → A
  dA: PatchGanWeights; // D_A: is this a real B? (judges G_A's output)
  dB: PatchGanWeights; // D_B: is this a real A? (judges G_B's output)
}

/** A 70×70 PatchGAN on one image (not a pair: CycleGAN's D sees only the domain it judges). */
export function createCycleganDiscriminator(config: CycleganConfig, seeds: SeedSource): PatchGanWeights {
  return createPatchGan({ inChannels: config.channels, ndf: config.ndf, nLayers: config.nLayersD, norm: config.norm }, seeds);
}

export function createCyclegan(config: CycleganConfig): CycleganModel {
  const seeds = seedSequence(config.seed);
  return { config, gA: createResnetGenerator(config, seeds), gB: createResnetGenerator(config, seeds), dA: createCycleganDiscriminator(config, seeds), dB: createCycleganDiscriminator(config, seeds) };
}

/**
 * The networks under the names saved models and checkpoints use: generators by direction, discriminators by the
 * domain they judge. So D_A of the reference (it judges G_A's fakes, images of B) is `discriminatorB`.
 */
export function cycleganParts(model: CycleganModel): { generatorAB: ResnetGeneratorWeights; generatorBA: ResnetGeneratorWeights; discriminatorA: PatchGanWeights; discriminatorB: PatchGanWeights } {
  return { generatorAB: model.gA, generatorBA: model.gB, discriminatorA: model.dB, discriminatorB: model.dA };
}

/** x [B, H, W, 3] in [-1, 1] → patch logits [B, H/8 − 2, W/8 − 2, 1]. */
export function cycleganDiscriminator(w: PatchGanWeights, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  return patchGan(w, x, mode);
}

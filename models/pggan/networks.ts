// Progressive GAN networks (Karras et al. 2018, Table 2), as tkarras/progressive_growing_of_gans networks.py G_paper and
// D_paper: equalized learning rate everywhere, pixel norm after every G conv, nearest 2× upsampling and 2×2 average
// downsampling, minibatch stddev before D's last block, and the new resolution faded in with α (§2, Fig. 2).
//
// Unlike the reference's "linear" structure, which always runs every block and scales images to full size, the forward
// runs only the blocks up to the resolution being trained, at that resolution: the same function at a fraction of
// the cost (the paper's own description of the growing). The He gain √2 is applied after the leaky ReLU (as
// models/common/equalized.ts does for StyleGAN2) rather than to the weights before it; for a positively homogeneous
// activation that is the same function, with the bias scaled by √2.
import * as tf from '@tensorflow/tfjs-core';
import { createEqualizedConv, createEqualizedDense, equalizedConv2d, equalizedDense, type EqualizedConvWeights, type EqualizedDenseWeights } from '../common/equalized.js';
import { seedSequence, type SeedSource } from '../common/init.js';
import { minibatchStddev } from '../common/minibatch-stddev.js';
import { normalize2ndMoment } from '../common/pixel-norm.js';
import { featureMaps, type PGGANConfig } from './config.js';

/** A resolution being trained and how far it has faded in (α = 1: fully). */
export interface Growth {
  resolution: number;
  alpha: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Generator

export interface GeneratorBlockWeights {
  resolution: number;
  dense?: EqualizedDenseWeights; // 4 px only: z → 4·4·nf(1), gain √2/4 (the reference's "dense as 4×4 conv")
  conv0?: EqualizedConvWeights; // above 4 px: 3×3 after the 2× upsampling
  conv1: EqualizedConvWeights; // 3×3
  torgb: EqualizedConvWeights; // 1×1 → RGB, linear
}

export interface PGGANGeneratorWeights {
  blocks: GeneratorBlockWeights[]; // 4, 8, …, resolution px
}

export function createPGGANGenerator(config: PGGANConfig, seeds: SeedSource = seedSequence(config.seed)): PGGANGeneratorWeights {
  const blocks: GeneratorBlockWeights[] = [];
  for (let resolution = 4, k = 2; resolution <= config.resolution; resolution *= 2, k++) {
    const channels = featureMaps(config, k - 1);
    if (resolution === 4) {
      blocks.push({
        resolution,
        dense: createEqualizedDense(config.latentSize, 16 * channels, seeds),
        conv1: createEqualizedConv(3, channels, channels, seeds),
        torgb: createEqualizedConv(1, channels, 3, seeds),
      });
    } else {
      blocks.push({
        resolution,
        conv0: createEqualizedConv(3, featureMaps(config, k - 2), channels, seeds),
        conv1: createEqualizedConv(3, channels, channels, seeds),
        torgb: createEqualizedConv(1, channels, 3, seeds),
      });
    }
  }
  return { blocks };
}

/** Nearest-neighbour 2× upsampling (upscale2d). */
function upscale2d(x: tf.Tensor4D): tf.Tensor4D {
  const [, height, width] = x.shape;
  return tf.image.resizeNearestNeighbor(x, [height * 2, width * 2]);
}

/**
 * 2×2 average pooling (downscale2d) as a reshape and a mean: tfjs has no gradient for AvgPool's own gradient, which
 * the gradient penalty (a gradient of D's input gradient) needs.
 */
export function downscale2d(x: tf.Tensor4D): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  return tf.mean(tf.reshape(x, [batch, height / 2, 2, width / 2, 2, channels]), [2, 4]) as tf.Tensor4D;
}

/** lerp(a, b, t) = a + (b − a)·t. */
const lerp = (a: tf.Tensor4D, b: tf.Tensor4D, t: number): tf.Tensor4D => tf.add(a, tf.mul(tf.sub(b, a), t)) as tf.Tensor4D;

/** conv → lrelu·√2 → pixel norm: every G layer. */
const gLayer = (w: EqualizedConvWeights, x: tf.Tensor4D): tf.Tensor4D => normalize2ndMoment(equalizedConv2d(w, x, { activation: 'lrelu' }));

/**
 * z [B, latentSize] → image [B, r, r, 3] at the growth's resolution r, about [-1, 1]. During a fade-in the image is
 * lerp(upscaled toRGB of the r/2 features, toRGB of the r features, α).
 */
export function pgganGenerator(w: PGGANGeneratorWeights, z: tf.Tensor2D, growth: Growth): tf.Tensor4D {
  return tf.tidy(() => {
    const [first, ...rest] = w.blocks;
    const blocks = rest.filter((b) => b.resolution <= growth.resolution);
    if (blocks.length !== Math.log2(growth.resolution) - 2) throw new Error(`pggan: the generator has no ${growth.resolution} px block`);
    const batch = z.shape[0];
    const channels = first!.conv1.weight.shape[2]!;
    // The 4×4 block: dense to 4·4·C (gain √2/4 as the reference's first layer), then a 3×3 conv; pixel norm after each.
    let x = tf.reshape(equalizedDense(first!.dense!, normalize2ndMoment(z), { activation: 'lrelu', gain: 0.25 }), [batch, 4, 4, channels]) as tf.Tensor4D;
    x = gLayer(first!.conv1, normalize2ndMoment(x));
    let previous = x;
    for (const block of blocks) {
      previous = x;
      x = gLayer(block.conv1, gLayer(block.conv0!, upscale2d(x)));
    }
    const last = blocks.at(-1) ?? first!;
    const image = equalizedConv2d(last.torgb, x);
    if (growth.alpha >= 1 || blocks.length === 0) return image;
    const below = blocks.length === 1 ? first! : blocks[blocks.length - 2]!;
    return lerp(upscale2d(equalizedConv2d(below.torgb, previous)), image, growth.alpha);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Discriminator

export interface DiscriminatorBlockWeights {
  resolution: number;
  fromrgb: EqualizedConvWeights; // 1×1 RGB → nf(k − 1), lrelu
  conv0: EqualizedConvWeights; // 3×3
  conv1?: EqualizedConvWeights; // above 4 px: 3×3 → nf(k − 2), then 2×2 average pooling
  dense0?: EqualizedDenseWeights; // 4 px only: 4·4·(C + 1)… flattened → nf(0), lrelu
  dense1?: EqualizedDenseWeights; // 4 px only: → 1, linear (the critic's score)
}

export interface PGGANDiscriminatorWeights {
  blocks: DiscriminatorBlockWeights[]; // resolution, …, 8, 4 px
  mbstdGroupSize: number;
}

export function createPGGANDiscriminator(config: PGGANConfig, seeds: SeedSource = seedSequence(config.seed === undefined ? undefined : config.seed + 1000)): PGGANDiscriminatorWeights {
  const blocks: DiscriminatorBlockWeights[] = [];
  for (let k = Math.log2(config.resolution); k >= 2; k--) {
    const resolution = 2 ** k;
    const channels = featureMaps(config, k - 1);
    if (resolution === 4) {
      blocks.push({
        resolution,
        fromrgb: createEqualizedConv(1, 3, channels, seeds),
        conv0: createEqualizedConv(3, channels + 1, channels, seeds),
        dense0: createEqualizedDense(16 * channels, featureMaps(config, 0), seeds),
        dense1: createEqualizedDense(featureMaps(config, 0), 1, seeds),
      });
    } else {
      blocks.push({
        resolution,
        fromrgb: createEqualizedConv(1, 3, channels, seeds),
        conv0: createEqualizedConv(3, channels, channels, seeds),
        conv1: createEqualizedConv(3, channels, featureMaps(config, k - 2), seeds),
      });
    }
  }
  return { blocks, mbstdGroupSize: config.mbstdGroupSize };
}

/** Image [B, r, r, 3] at the growth's resolution → scores [B, 1] (a WGAN critic: unbounded, real high). */
export function pgganDiscriminator(w: PGGANDiscriminatorWeights, image: tf.Tensor4D, growth: Growth): tf.Tensor2D {
  return tf.tidy(() => {
    const blocks = w.blocks.filter((b) => b.resolution <= growth.resolution);
    if (blocks[0]?.resolution !== growth.resolution || image.shape[1] !== growth.resolution) throw new Error(`pggan: the discriminator takes ${growth.resolution} px here`);
    const fromRgb = (b: DiscriminatorBlockWeights, img: tf.Tensor4D): tf.Tensor4D => equalizedConv2d(b.fromrgb, img, { activation: 'lrelu' });
    let x = fromRgb(blocks[0], image);
    for (const [i, block] of blocks.entries()) {
      if (block.resolution === 4) {
        const h = equalizedConv2d(block.conv0, minibatchStddev(x, w.mbstdGroupSize, 1), { activation: 'lrelu' });
        const [batch, height, width, channels] = h.shape;
        // Flattened channel-major (C, H, W) as the reference's NCHW flatten.
        const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [batch, channels * height * width]) as tf.Tensor2D;
        return equalizedDense(block.dense1!, equalizedDense(block.dense0!, flat, { activation: 'lrelu' }));
      }
      x = downscale2d(equalizedConv2d(block.conv1!, equalizedConv2d(block.conv0, x, { activation: 'lrelu' }), { activation: 'lrelu' }));
      // The new, faded-in block: its output is blended with the r/2 fromRGB of the downscaled image.
      if (i === 0 && growth.alpha < 1) x = lerp(fromRgb(blocks[1]!, downscale2d(image)), x, growth.alpha);
    }
    throw new Error('pggan: the discriminator has no 4 px block');
  });
}

export interface PGGANModel {
  config: PGGANConfig;
  generator: PGGANGeneratorWeights;
  discriminator: PGGANDiscriminatorWeights;
}

export function createPGGAN(config: PGGANConfig): PGGANModel {
  return { config, generator: createPGGANGenerator(config), discriminator: createPGGANDiscriminator(config) };
}

// StyleGAN2 networks (Karras et al. 2020): mapping f: z → w, synthesis g: w → image, residual discriminator.
// Layer for layer as NVlabs stylegan2-ada-pytorch training/networks.py (MappingNetwork, SynthesisNetwork with
// architecture 'skip', Discriminator with architecture 'resnet'), unconditional (c_dim 0), float32 throughout.
import * as tf from '@tensorflow/tfjs-core';
import { biasAct } from '../common/bias-act.js';
import { createEqualizedConv, createEqualizedDense, equalizedConv2d, equalizedDense, type EqualizedConvWeights, type EqualizedDenseWeights } from '../common/equalized.js';
import { constantVariable, normalVariable, seedSequence, type SeedSource } from '../common/init.js';
import { minibatchStddev } from '../common/minibatch-stddev.js';
import type { ForwardMode } from '../common/mode.js';
import { modulatedConv2d } from '../common/modulated-conv.js';
import { createNoiseInjection, scaledNoise, type NoiseInjectionWeights, type NoiseMode } from '../common/noise-injection.js';
import { normalize2ndMoment } from '../common/pixel-norm.js';
import { seededRandom } from '../common/seeded-random.js';
import { upsample2d } from '../common/upfirdn.js';
import { channelsAt, type StyleGAN2Config } from './config.js';

// ---------------------------------------------------------------------------------------------------------------
// Layout of w+: which ws index drives which layer.

/**
 * Number of w vectors the synthesis network takes (num_ws): one per conv layer (1 at 4 px, 2 at every later
 * resolution: 2·log2(res) − 3) plus one for the last toRGB. Each other toRGB shares the w of the next block's first
 * conv (SynthesisNetwork.forward narrows num_conv + num_torgb ws per block but advances by num_conv). 18 at 1024 px.
 */
export function numWs(resolution: number): number {
  return 2 * Math.log2(resolution) - 2;
}

/**
 * The resolution each ws index modulates, for grouping styles (coarse/middle/fine): index 0 the 4×4 conv, indices
 * 2k − 1 and 2k the two convs at 4·2ᵏ px, the last index only the final toRGB (full resolution). Index 2k − 1 also
 * drives the toRGB of the block below; it counts at its conv's resolution. 64 px: [4, 8, 8, 16, 16, 32, 32, 64, 64, 64].
 */
export function wsResolutions(resolution: number): number[] {
  return Array.from({ length: numWs(resolution) }, (_, i) => Math.min(4 * 2 ** Math.ceil(i / 2), resolution));
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping network f: z → w (StyleGAN §2).

export interface MappingWeights {
  fc: EqualizedDenseWeights[]; // mappingLayers × [wDim, wDim] (the first [zDim, wDim]), lr multiplier 0.01, lrelu
  wAvg: tf.Variable; // [wDim] not trainable: EMA of w over training, the centre of the truncation trick
  wAvgBeta: number;
  numWs: number;
}

export function createMapping(config: StyleGAN2Config, seeds: SeedSource): MappingWeights {
  const features = [config.zDim, ...Array<number>(config.mappingLayers).fill(config.wDim)];
  return {
    fc: Array.from({ length: config.mappingLayers }, (_, i) => createEqualizedDense(features[i]!, features[i + 1]!, seeds, { lrMultiplier: config.mappingLrMultiplier })),
    wAvg: constantVariable([config.wDim], 0, false),
    wAvgBeta: config.wAvgBeta,
    numWs: numWs(config.resolution),
  };
}

export interface MappingOptions {
  /** Truncation ψ (StyleGAN §B): w′ = w̄ + ψ(w − w̄); 1 (default) leaves w alone, 0 gives the average w̄. */
  truncationPsi?: number;
  /** Truncate only ws indices below this (coarse styles); unset truncates all. */
  truncationCutoff?: number;
  /** In training, leave w̄ alone (the second latent of style mixing must not move it). */
  skipWAvgUpdate?: boolean;
}

/**
 * z [B, zDim] ~ N(0, I) → ws [B, numWs, wDim]: z normalised to unit second moment (normalize_2nd_moment), 8 equalized
 * FC layers with lrelu, w broadcast to every layer, then truncated. In training, w̄ ← lerp(mean_B(w), w̄, β).
 */
export function mapping(w: MappingWeights, z: tf.Tensor2D, mode: ForwardMode, options: MappingOptions = {}): tf.Tensor3D {
  const { truncationPsi = 1, truncationCutoff, skipWAvgUpdate = false } = options;
  return tf.tidy(() => {
    let x = normalize2ndMoment(z);
    for (const fc of w.fc) x = equalizedDense(fc, x, { activation: 'lrelu' });
    if (mode.training && !skipWAvgUpdate) {
      // w̄ is state, not part of the differentiated function: its update reaches no loss.
      const batchMean = tf.mean(x, 0);
      w.wAvg.assign(tf.add(batchMean, tf.mul(tf.sub(w.wAvg, batchMean), w.wAvgBeta)));
    }
    const [batch, wDim] = x.shape;
    const ws = tf.tile(tf.reshape(x, [batch, 1, wDim]), [1, w.numWs, 1]) as tf.Tensor3D;
    return truncate(ws, w.wAvg, truncationPsi, truncationCutoff);
  });
}

/**
 * The truncation trick (StyleGAN §2, Appendix B): ws [B, numWs, wDim] pulled towards w̄ by ψ, w' = w̄ + ψ (w − w̄), in
 * the ws indices below `cutoff` only (the coarse styles) when a cutoff is given.
 */
export function truncate(ws: tf.Tensor3D, wAvg: tf.Tensor, psi: number, cutoff?: number): tf.Tensor3D {
  if (psi === 1) return ws;
  return tf.tidy(() => {
    const layers = ws.shape[1];
    const truncated = tf.add(wAvg, tf.mul(tf.sub(ws, wAvg), psi)) as tf.Tensor3D;
    const kept = Math.min(cutoff ?? layers, layers);
    if (kept === layers) return truncated;
    return tf.concat([tf.slice(truncated, [0, 0, 0], [-1, kept, -1]), tf.slice(ws, [0, kept, 0], [-1, -1, -1])], 1);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Synthesis network g: w → image (StyleGAN2 Fig. 2d, 'skip' generator of Fig. 7).

export interface SynthesisLayerWeights {
  affine: EqualizedDenseWeights; // A: w [wDim] → style s [in], bias init 1 (styles start near 1)
  weight: tf.Variable; // [3, 3, in, out], N(0, 1); its scale does not matter, demodulation removes it
  noise: NoiseInjectionWeights; // B: noise [res, res] and noise strength
  bias: tf.Variable; // [out], zeros
  up: 1 | 2;
  convClamp?: number;
}

export interface ToRgbWeights {
  affine: EqualizedDenseWeights; // w [wDim] → style [in], bias init 1
  weight: tf.Variable; // [1, 1, in, imgChannels], N(0, 1); the styles carry its equalized-lr gain 1/√in
  bias: tf.Variable; // [imgChannels], zeros
  convClamp?: number;
}

export interface SynthesisBlockWeights {
  resolution: number;
  const?: tf.Variable; // [4, 4, C] learned constant input, N(0, 1): the first block only
  conv0?: SynthesisLayerWeights; // 2× upsampling conv: every block but the first
  conv1: SynthesisLayerWeights;
  torgb: ToRgbWeights;
}

export interface SynthesisWeights {
  blocks: SynthesisBlockWeights[]; // 4, 8, …, resolution px
}

function createSynthesisLayer(config: StyleGAN2Config, inChannels: number, outChannels: number, resolution: number, up: 1 | 2, seeds: SeedSource): SynthesisLayerWeights {
  return {
    affine: createEqualizedDense(config.wDim, inChannels, seeds, { biasInit: 1 }),
    weight: normalVariable([3, 3, inChannels, outChannels], seeds, 0, 1),
    noise: createNoiseInjection(resolution, seeds),
    bias: constantVariable([outChannels], 0),
    up,
    ...(config.convClamp === undefined ? {} : { convClamp: config.convClamp }),
  };
}

function createToRgb(config: StyleGAN2Config, inChannels: number, seeds: SeedSource): ToRgbWeights {
  return {
    affine: createEqualizedDense(config.wDim, inChannels, seeds, { biasInit: 1 }),
    weight: normalVariable([1, 1, inChannels, config.imgChannels], seeds, 0, 1),
    bias: constantVariable([config.imgChannels], 0),
    ...(config.convClamp === undefined ? {} : { convClamp: config.convClamp }),
  };
}

export function createSynthesis(config: StyleGAN2Config, seeds: SeedSource): SynthesisWeights {
  const blocks: SynthesisBlockWeights[] = [];
  for (let resolution = 4; resolution <= config.resolution; resolution *= 2) {
    const out = channelsAt(config, resolution);
    if (resolution === 4) {
      blocks.push({
        resolution,
        const: normalVariable([4, 4, out], seeds, 0, 1),
        conv1: createSynthesisLayer(config, out, out, resolution, 1, seeds),
        torgb: createToRgb(config, out, seeds),
      });
    } else {
      blocks.push({
        resolution,
        conv0: createSynthesisLayer(config, channelsAt(config, resolution / 2), out, resolution, 2, seeds),
        conv1: createSynthesisLayer(config, out, out, resolution, 1, seeds),
        torgb: createToRgb(config, out, seeds),
      });
    }
  }
  return { blocks };
}

/**
 * One synthesis layer: style s = A(w), modulated 3×3 conv with demodulation (2× FIR upsampling in conv0), noise·strength
 * added per pixel, then bias, lrelu·√2 and the clamp. x [B, r, r, in] (r/2 when up) → [B, r, r, out].
 */
function synthesisLayer(w: SynthesisLayerWeights, x: tf.Tensor4D, wVec: tf.Tensor2D, noiseMode: NoiseMode, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    const styles = equalizedDense(w.affine, wVec); // [B, in]
    let y = modulatedConv2d(x, w.weight as tf.Tensor4D, styles, { demodulate: true, up: w.up, padding: 1 });
    const noise = scaledNoise(w.noise, x.shape[0], noiseMode, mode);
    if (noise !== undefined) y = tf.add(y, noise);
    return biasAct(y, w.bias, 'lrelu', undefined, w.convClamp);
  });
}

/** toRGB: 1×1 modulated conv without demodulation, bias, no activation. x [B, r, r, in] → [B, r, r, imgChannels]. */
function toRgb(w: ToRgbWeights, x: tf.Tensor4D, wVec: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const inChannels = x.shape[3];
    // The equalized-lr gain of the 1×1 weight rides on the styles (ToRGBLayer weight_gain): nothing demodulates it away.
    const styles = tf.mul(equalizedDense(w.affine, wVec), 1 / Math.sqrt(inChannels)) as tf.Tensor2D;
    return biasAct(modulatedConv2d(x, w.weight as tf.Tensor4D, styles, { demodulate: false, padding: 0 }), w.bias, 'linear', 1, w.convClamp);
  });
}

export interface SynthesisOptions {
  /** Noise inputs: default 'random' in training (seeded by mode.randomSeed), 'const' otherwise (reproducible images). */
  noiseMode?: NoiseMode;
}

/**
 * ws [B, numWs, wDim] → image [B, res, res, imgChannels], around [-1, 1] (not clamped; the reference's tools clamp when
 * saving). Each block: conv0 (↑2), conv1, toRGB; the image so far is upsampled with the FIR filter and the block's
 * toRGB added ('skip' architecture).
 */
export function synthesis(w: SynthesisWeights, ws: tf.Tensor3D, mode: ForwardMode, options: SynthesisOptions = {}): tf.Tensor4D {
  const noiseMode = options.noiseMode ?? (mode.training ? 'random' : 'const');
  return tf.tidy(() => {
    const perLayer = tf.unstack(ws, 1) as tf.Tensor2D[]; // numWs × [B, wDim]
    if (perLayer.length !== numWs(w.blocks.at(-1)!.resolution)) throw new Error(`synthesis: ws has ${perLayer.length} entries, expected ${numWs(w.blocks.at(-1)!.resolution)}`);
    const batch = ws.shape[0];
    let x: tf.Tensor4D | undefined;
    let img: tf.Tensor4D | undefined;
    let index = 0; // ws index of the block's first conv
    for (const block of w.blocks) {
      if (block.const !== undefined) {
        x = tf.tile(tf.expandDims(block.const, 0), [batch, 1, 1, 1]) as tf.Tensor4D;
        x = synthesisLayer(block.conv1, x, perLayer[index]!, noiseMode, mode);
        index += 1;
      } else {
        x = synthesisLayer(block.conv0!, x!, perLayer[index]!, noiseMode, mode);
        x = synthesisLayer(block.conv1, x, perLayer[index + 1]!, noiseMode, mode);
        index += 2;
      }
      // The toRGB takes the w after this block's convs: the next block's first, or the extra last one.
      const rgb = toRgb(block.torgb, x, perLayer[index]!);
      img = img === undefined ? rgb : tf.add(upsample2d(img), rgb);
    }
    return img!;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Generator G = g ∘ f.

export interface GeneratorWeights {
  mapping: MappingWeights;
  synthesis: SynthesisWeights;
}

export function createGenerator(config: StyleGAN2Config, seeds: SeedSource = seedSequence(config.seed)): GeneratorWeights {
  // The reference builds the synthesis network first (num_ws comes from it); the draw order follows.
  const synthesisWeights = createSynthesis(config, seeds);
  return { mapping: createMapping(config, seeds), synthesis: synthesisWeights };
}

/** z [B, zDim] → image [B, res, res, imgChannels]. */
export function generator(w: GeneratorWeights, z: tf.Tensor2D, mode: ForwardMode, options: MappingOptions & SynthesisOptions = {}): tf.Tensor4D {
  return tf.tidy(() => synthesis(w.synthesis, mapping(w.mapping, z, mode, options), mode, options));
}

/**
 * Mixing regularisation (StyleGAN §3.1; stylegan2-ada-pytorch loss.py run_G): with probability `probability`, the ws
 * from a crossover index c ∈ [1, numWs) on come from a second latent z₂, so G cannot rely on neighbouring styles
 * being correlated. Draws from mode.randomSeed: two seeds, always (c and the coin from the first, z₂ from the second),
 * so a training run's stream advances the same whichever way the coin falls. ws [B, numWs, wDim] → same shape.
 */
export function styleMixingRegularization(w: MappingWeights, ws: tf.Tensor3D, probability: number, mode: ForwardMode): tf.Tensor3D {
  const draws = seededRandom(mode.randomSeed?.() ?? Math.floor(Math.random() * 2 ** 32));
  const zSeed = mode.randomSeed?.();
  const crossover = 1 + draws.int(w.numWs - 1);
  if (draws.next() >= probability) return tf.clone(ws);
  return tf.tidy(() => {
    const [batch] = ws.shape;
    const zDim = w.fc[0]!.weight.shape[0]!;
    const z2 = tf.randomNormal([batch, zDim], 0, 1, 'float32', zSeed) as tf.Tensor2D;
    const ws2 = mapping(w, z2, mode, { skipWAvgUpdate: true });
    return tf.concat([tf.slice(ws, [0, 0, 0], [-1, crossover, -1]), tf.slice(ws2, [0, crossover, 0], [-1, -1, -1])], 1);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Discriminator (StyleGAN2 Fig. 7, 'resnet' D).

export interface DiscriminatorBlockWeights {
  resolution: number;
  fromrgb?: EqualizedConvWeights; // [1, 1, imgChannels, tmp], lrelu: the first (full-resolution) block only
  conv0: EqualizedConvWeights; // [3, 3, tmp, tmp], lrelu
  conv1: EqualizedConvWeights; // [3, 3, tmp, out], lrelu, FIR-downsampled stride 2
  skip: EqualizedConvWeights; // [1, 1, tmp, out], no bias, linear, FIR-downsampled
  convClamp?: number;
}

export interface DiscriminatorEpilogueWeights {
  conv: EqualizedConvWeights; // [3, 3, C + mbstd channels, C], lrelu
  fc: EqualizedDenseWeights; // [C·4·4, C], lrelu; rows in the reference's NCHW flatten order
  out: EqualizedDenseWeights; // [C, 1], linear: the logit
  mbstdGroupSize: number;
  mbstdChannels: number;
  convClamp?: number;
}

export interface DiscriminatorWeights {
  blocks: DiscriminatorBlockWeights[]; // resolution, resolution/2, …, 8 px
  epilogue: DiscriminatorEpilogueWeights; // 4 px
}

export function createDiscriminator(config: StyleGAN2Config, seeds: SeedSource = seedSequence(config.seed === undefined ? undefined : config.seed + 1000)): DiscriminatorWeights {
  const clamp = config.convClamp === undefined ? {} : { convClamp: config.convClamp };
  const blocks: DiscriminatorBlockWeights[] = [];
  for (let resolution = config.resolution; resolution > 4; resolution /= 2) {
    const tmp = channelsAt(config, resolution);
    const out = channelsAt(config, resolution / 2);
    blocks.push({
      resolution,
      ...(resolution === config.resolution ? { fromrgb: createEqualizedConv(1, config.imgChannels, tmp, seeds) } : {}),
      conv0: createEqualizedConv(3, tmp, tmp, seeds),
      conv1: createEqualizedConv(3, tmp, out, seeds),
      skip: createEqualizedConv(1, tmp, out, seeds, { bias: false }),
      ...clamp,
    });
  }
  const c = channelsAt(config, 4);
  return {
    blocks,
    epilogue: {
      conv: createEqualizedConv(3, c + config.mbstdChannels, c, seeds),
      fc: createEqualizedDense(c * 4 * 4, c, seeds),
      out: createEqualizedDense(c, 1, seeds),
      mbstdGroupSize: config.mbstdGroupSize,
      mbstdChannels: config.mbstdChannels,
      ...clamp,
    },
  };
}

/**
 * One residual block: x [B, r, r, tmp] → [B, r/2, r/2, out] = √0.5·(skip(x) + conv1(conv0(x))), the √0.5 gains keeping
 * the sum's variance that of each branch (StyleGAN2 Fig. 7c).
 */
function discriminatorBlock(w: DiscriminatorBlockWeights, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const clamp = w.convClamp === undefined ? {} : { clamp: w.convClamp };
    const skip = equalizedConv2d(w.skip, x, { down: 2, gain: Math.SQRT1_2 });
    const h = equalizedConv2d(w.conv0, x, { activation: 'lrelu', ...clamp });
    return tf.add(skip, equalizedConv2d(w.conv1, h, { activation: 'lrelu', down: 2, gain: Math.SQRT1_2, ...clamp }));
  });
}

/** x [B, 4, 4, C] → logits [B, 1]: minibatch stddev, 3×3 conv, FC, FC. */
function discriminatorEpilogue(w: DiscriminatorEpilogueWeights, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const clamp = w.convClamp === undefined ? {} : { clamp: w.convClamp };
    const h = equalizedConv2d(w.conv, minibatchStddev(x, w.mbstdGroupSize, w.mbstdChannels), { activation: 'lrelu', ...clamp });
    // Flattened channel-major (C, H, W) as the reference's NCHW flatten, so its fc weight maps onto ours by a transpose.
    const [batch, height, width, channels] = h.shape;
    const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [batch, channels * height * width]) as tf.Tensor2D;
    return equalizedDense(w.out, equalizedDense(w.fc, flat, { activation: 'lrelu' }));
  });
}

/**
 * D: image [B, res, res, imgChannels] in [-1, 1] → logits [B, 1] (real > 0). fromRGB at full resolution, residual blocks
 * down to 4×4, then the epilogue. `mode` is taken for symmetry with G: D has no random ops and no train/eval difference.
 */
export function discriminator(w: DiscriminatorWeights, img: tf.Tensor4D, _mode: ForwardMode): tf.Tensor2D {
  return tf.tidy(() => {
    let x: tf.Tensor4D | undefined;
    for (const block of w.blocks) {
      if (block.fromrgb !== undefined) x = equalizedConv2d(block.fromrgb, img, { activation: 'lrelu', ...(block.convClamp === undefined ? {} : { clamp: block.convClamp }) });
      x = discriminatorBlock(block, x!);
    }
    return discriminatorEpilogue(w.epilogue, x!);
  });
}

// ---------------------------------------------------------------------------------------------------------------

export interface StyleGAN2Model {
  config: StyleGAN2Config;
  generator: GeneratorWeights;
  discriminator: DiscriminatorWeights;
}

export function createStyleGAN2(config: StyleGAN2Config): StyleGAN2Model {
  return { config, generator: createGenerator(config), discriminator: createDiscriminator(config) };
}

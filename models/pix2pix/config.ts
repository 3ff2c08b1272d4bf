// pix2pix defaults, from junyanz/pytorch-CycleGAN-and-pix2pix (options/*.py, models/pix2pix_model.py) and Isola et al. 2017.
import type { GanLossMode } from '../common/losses.js';
import type { NormKind } from '../common/norm-layer.js';

export interface Pix2pixConfig {
  imageSize: number; // square side of A and B, a power of 2 (load_size 286 → crop_size 256 in the reference)
  inChannels: number; // input_nc 3
  outChannels: number; // output_nc 3
  ngf: number; // generator filters in the last conv layer: 64
  ndf: number; // discriminator filters in the first conv layer: 64
  numDowns: number; // U-Net levels: log2(imageSize), so the bottleneck is 1×1 (unet_256: 8, unet_128: 7)
  nLayersD: number; // PatchGAN n_layers_D 3 (70×70 patches)
  norm: NormKind; // --norm batch (pix2pix_model.py modify_commandline_options)
  dropout: boolean; // use_dropout: true for pix2pix (no_dropout false)
  ganMode: GanLossMode; // --gan_mode vanilla (BCE with logits)
  lambdaL1: number; // --lambda_L1 100
  learningRate: number; // --lr 0.0002
  beta1: number; // --beta1 0.5 (Adam β2 0.999 as PyTorch's default)
  beta2: number;
  batchSize: number; // --batch_size 1
  epochs: number; // --n_epochs 100 at the initial rate, then…
  epochsDecay: number; // --n_epochs_decay 100 of linear decay to 0
  seed?: number; // weight initialisation seed (unset: random)
}

/** The reference's defaults at 256 px; `pix2pixConfig(128)` for the 128 px U-Net. */
export const pix2pixDefaults: Pix2pixConfig = {
  imageSize: 256,
  inChannels: 3,
  outChannels: 3,
  ngf: 64,
  ndf: 64,
  numDowns: 8,
  nLayersD: 3,
  norm: 'batch',
  dropout: true,
  ganMode: 'vanilla',
  lambdaL1: 100,
  learningRate: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  batchSize: 1,
  epochs: 100,
  epochsDecay: 100,
};

/** Defaults for `imageSize` (numDowns follows it), overridden by `overrides`. */
export function pix2pixConfig(imageSize: number, overrides: Partial<Pix2pixConfig> = {}): Pix2pixConfig {
  const numDowns = Math.log2(imageSize);
  if (!Number.isInteger(numDowns) || numDowns < 5) throw new Error(`pix2pix: image size ${imageSize} is not a power of 2 ≥ 32`);
  return { ...pix2pixDefaults, imageSize, numDowns, ...overrides };
}

/**
 * The shipped sketch-to-photo demo: unet_128 at half the reference's width (ngf 32; ndf stays 64, D is not shipped).
 * Weights scale with ngf², so G has 10.46 M (vs 41.83 M at ngf 64): a 20.9 MB model folder with float16 filters,
 * within the 30 MB budget of a shipped model, where ngf 64 would take 83.7 MB in float16 and 167 MB in float32.
 */
export function pix2pixDemoConfig(overrides: Partial<Pix2pixConfig> = {}): Pix2pixConfig {
  return pix2pixConfig(128, { ngf: 32, ...overrides });
}

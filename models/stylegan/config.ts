// StyleGAN2 defaults, from NVlabs stylegan2-ada-pytorch (train.py cfg_specs, training/networks.py, training/loss.py,
// training/training_loop.py) and Karras et al. 2020 ("Analyzing and Improving the Image Quality of StyleGAN").

export interface StyleGAN2Config {
  resolution: number; // img_resolution: square side, a power of 2 in [32, 256] here
  imgChannels: number; // img_channels 3
  zDim: number; // z_dim 512 (train.py G_kwargs)
  wDim: number; // w_dim 512
  mappingLayers: number; // MappingNetwork num_layers 8 (the paper and cfg 'stylegan2'/'paper256'; cfg 'auto' uses 2)
  mappingLrMultiplier: number; // lr_multiplier 0.01: the mapping network learns 100× slower (StyleGAN §C)
  wAvgBeta: number; // w_avg_beta 0.995: EMA decay of the tracked average w (truncation centre)
  /**
   * channel_base and channel_max: a resolution-r layer has min(channelBase / r, channelMax) channels. The reference
   * uses 32768·fmaps with fmaps 0.5 below 512 px (cfg 'auto' and 'paper256': 16384) and channelMax 512.
   */
  channelBase: number;
  channelMax: number;
  convClamp?: number; // conv_clamp 256 (train.py): activations clamped to ±256; unset disables clamping
  generatorArchitecture: 'skip'; // SynthesisBlock architecture 'skip': a toRGB per resolution, upsampled and summed
  discriminatorArchitecture: 'resnet'; // DiscriminatorBlock architecture 'resnet': residual blocks with 1×1 skips
  mbstdGroupSize: number; // DiscriminatorEpilogue mbstd_group_size 4 (cfg 'auto': min(batch, 4), kept fixed)
  mbstdChannels: number; // mbstd_num_channels 1
  /**
   * R1 penalty weight γ (Mescheder et al. 2018) on D's gradient at real images. cfg 'auto': 0.0002·res²/batch
   * (the default here); cfg 'paper256' 1, 'stylegan2' 10.
   */
  r1Gamma: number;
  /**
   * How often R1 runs (D_reg_interval 16, lazy regularisation, StyleGAN2 §3.1): every 16th minibatch, weighted ×16;
   * the reference then scales D's learning rate and betas by c = 16/17 (lr·c, β^c) so Adam sees the same average step.
   * Path-length regularisation (G_reg_interval 4, pl_weight 2, StyleGAN2 §3.2) is left out of this implementation.
   */
  dRegInterval: number;
  styleMixingProb: number; // style_mixing_prob 0.9 (loss.py): mixing regularisation (StyleGAN §3.1)
  /**
   * G EMA half-life in thousands of images (ema_kimg): the exported generator is an exponential moving average of G,
   * β = 0.5^(batch / (emaKimg·1000)). cfg 'auto': batch·10/32; cfg 'paper256' 20, 'stylegan2' 10.
   */
  emaKimg: number;
  emaRampup?: number; // ema_rampup 0.05 in cfg 'auto': the half-life is at most 5% of the images seen so far
  learningRate: number; // Adam lr 0.0025 (cfg 'auto' and 'paper256' below 1024 px)
  beta1: number; // Adam betas (0, 0.99), eps 1e-8 (train.py G_opt_kwargs / D_opt_kwargs)
  beta2: number;
  epsilon: number;
  /** Minibatch: cfg 'auto' with one GPU, min(4096/res, 32): 32 at 32–128 px, 16 at 256 px. */
  batchSize: number;
  /**
   * Differentiable augmentation of every image D sees (Zhao et al. 2020; models/common/diff-augment.ts), as
   * diffAugmentPolicy writes it: 'color,translation,cutout' for a dataset of hundreds of images, '' or unset for none.
   * The reference's answer to small datasets is ADA (Karras et al. 2020b); DiffAugment is the lighter of the two and
   * needs no adaptive probability. A training setting, not part of the networks: a resumed run may change it.
   */
  augment?: string;
  seed?: number; // weight initialisation seed (unset: random)
}

const isPowerOf2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/**
 * The reference's defaults at `resolution` (32–256 px), overridden by `overrides`. Resolution-dependent defaults follow
 * train.py cfg 'auto' for one GPU (batch, R1 γ, EMA half-life); the mapping depth is the paper's 8.
 */
export function styleGAN2Config(resolution: number, overrides: Partial<StyleGAN2Config> = {}): StyleGAN2Config {
  if (!isPowerOf2(resolution) || resolution < 32 || resolution > 256) throw new Error(`stylegan2: resolution ${resolution} is not a power of 2 in [32, 256]`);
  const batchSize = overrides.batchSize ?? Math.min(4096 / resolution, 32);
  const config: StyleGAN2Config = {
    resolution,
    imgChannels: 3,
    zDim: 512,
    wDim: 512,
    mappingLayers: 8,
    mappingLrMultiplier: 0.01,
    wAvgBeta: 0.995,
    channelBase: 16384,
    channelMax: 512,
    convClamp: 256,
    generatorArchitecture: 'skip',
    discriminatorArchitecture: 'resnet',
    mbstdGroupSize: 4,
    mbstdChannels: 1,
    r1Gamma: (0.0002 * resolution * resolution) / batchSize,
    dRegInterval: 16,
    styleMixingProb: 0.9,
    emaKimg: (batchSize * 10) / 32,
    emaRampup: 0.05,
    learningRate: 0.0025,
    beta1: 0,
    beta2: 0.99,
    epsilon: 1e-8,
    batchSize,
    ...overrides,
  };
  if (!isPowerOf2(config.channelBase) || !isPowerOf2(config.channelMax)) throw new Error('stylegan2: channelBase and channelMax must be powers of 2');
  return config;
}

/**
 * A small StyleGAN2 for CPU training, tests and demos: channelBase 4096, channelMax 128 give 128 channels up to 32 px
 * and 64 at 64 px (the reference's widths are 512 → 256). z and w keep 512 dimensions, so seeds name the same z
 * (numpy RandomState(seed).randn(512)) as in the reference tools.
 */
export function styleGAN2TinyConfig(resolution = 64, overrides: Partial<StyleGAN2Config> = {}): StyleGAN2Config {
  return styleGAN2Config(resolution, { channelBase: 4096, channelMax: 128, ...overrides });
}

/** Channels of the layers at resolution r (channels_dict): min(channelBase / r, channelMax). */
export function channelsAt(config: Pick<StyleGAN2Config, 'channelBase' | 'channelMax'>, resolution: number): number {
  return Math.min(Math.floor(config.channelBase / resolution), config.channelMax);
}

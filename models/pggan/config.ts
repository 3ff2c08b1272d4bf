// Progressive GAN defaults, from tkarras/progressive_growing_of_gans (config.py, networks.py G_paper / D_paper,
// loss.py G_wgan_acgan / D_wgangp_acgan, train.py TrainingSchedule) and Karras et al. 2018, "Progressive Growing of
// GANs for Improved Quality, Stability, and Variation".

export interface PGGANConfig {
  resolution: number; // final image side, a power of 2 in [32, 256] here
  latentSize: number; // latent_size 512; z is pixel-normalised (normalize_latents)
  fmapBase: number; // fmap_base 8192: a stage s has min(fmapBase / 2^s, fmapMax) feature maps
  fmapMax: number; // fmap_max 512
  mbstdGroupSize: number; // mbstd_group_size 4
  lodTrainingKimg: number; // lod_training_kimg 600: images shown at each resolution before the next fades in
  lodTransitionKimg: number; // lod_transition_kimg 600: images over which the next resolution fades in
  learningRate: number; // G_lrate / D_lrate 0.001
  beta1: number; // Adam β1 0, β2 0.99, ε 1e-8 (G_opt / D_opt)
  beta2: number;
  epsilon: number;
  wganLambda: number; // wgan_lambda 10: gradient penalty weight (Gulrajani et al. 2017)
  wganEpsilon: number; // wgan_epsilon 0.001: drift penalty ε·D(x)², keeps D's output near 0
  wganTarget: number; // wgan_target 1: the gradient norm the penalty pulls towards
  gSmoothingBeta: number; // G_smoothing 0.999: the exported generator Gs is an EMA of G, per minibatch
  batchSize: number; // minibatch (the reference varies it per resolution; one size here, sized for a CPU)
  seed?: number;
}

const isPowerOf2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

export function pgganConfig(resolution: number, overrides: Partial<PGGANConfig> = {}): PGGANConfig {
  if (!isPowerOf2(resolution) || resolution < 8 || resolution > 256) throw new Error(`pggan: resolution ${resolution} is not a power of 2 in [8, 256]`);
  return {
    resolution,
    latentSize: 512,
    fmapBase: 8192,
    fmapMax: 512,
    mbstdGroupSize: 4,
    lodTrainingKimg: 600,
    lodTransitionKimg: 600,
    learningRate: 0.001,
    beta1: 0,
    beta2: 0.99,
    epsilon: 1e-8,
    wganLambda: 10,
    wganEpsilon: 0.001,
    wganTarget: 1,
    gSmoothingBeta: 0.999,
    batchSize: 16,
    ...overrides,
  };
}

/** Feature maps of stage s (networks.py nf): min(fmapBase / 2^s, fmapMax); the block at 2^k px uses stage k − 1. */
export function featureMaps(config: Pick<PGGANConfig, 'fmapBase' | 'fmapMax'>, stage: number): number {
  return Math.min(Math.floor(config.fmapBase / 2 ** stage), config.fmapMax);
}

/**
 * Where training stands after `kimg` thousand images (train.py TrainingSchedule, lod_initial_resolution 4): the
 * resolution being trained and α, how far it has faded in (1: fully in; during a transition 0 → 1).
 */
export function growthAt(config: PGGANConfig, kimg: number): { resolution: number; alpha: number } {
  const log2 = Math.log2(config.resolution);
  const phase = config.lodTrainingKimg + config.lodTransitionKimg;
  const phaseIndex = Math.floor(kimg / phase);
  const phaseKimg = kimg - phaseIndex * phase;
  let lod = log2 - 2 - phaseIndex;
  if (config.lodTransitionKimg > 0) lod -= Math.max(phaseKimg - config.lodTrainingKimg, 0) / config.lodTransitionKimg;
  lod = Math.max(lod, 0);
  const whole = Math.floor(lod);
  return { resolution: 2 ** (log2 - whole), alpha: whole === lod ? 1 : 1 - (lod - whole) };
}

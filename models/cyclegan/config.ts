// CycleGAN defaults, from junyanz/pytorch-CycleGAN-and-pix2pix (options/*.py, models/cycle_gan_model.py) and Zhu et al. 2017.
import type { GanLossMode } from '../common/losses.js';
import type { NormKind } from '../common/norm-layer.js';

export interface CycleganConfig {
  imageSize: number; // square side, divisible by 4 (load_size 286 → crop_size 256 in the reference)
  channels: number; // input_nc = output_nc = 3
  ngf: number; // generator filters of the first conv: 64
  ndf: number; // discriminator filters of the first conv: 64
  nBlocks: number; // ResNet blocks: 9 (resnet_9blocks, the reference's default netG for CycleGAN)
  nLayersD: number; // PatchGAN n_layers_D 3
  norm: NormKind; // --norm instance
  ganMode: GanLossMode; // --gan_mode lsgan
  lambdaA: number; // --lambda_A 10: weight of the cycle loss A → B → A
  lambdaB: number; // --lambda_B 10: weight of the cycle loss B → A → B
  lambdaIdentity: number; // --lambda_identity 0.5, relative to λA/λB
  /**
   * --pool_size 50: D trains on a history of generated images (Shrivastava et al. 2017). The step takes the fakes to
   * show D from the caller (`fakesForD`), so the training loop owns the pool; without one D sees this step's fakes.
   */
  poolSize: number;
  learningRate: number; // --lr 0.0002
  beta1: number; // --beta1 0.5
  beta2: number; // Adam β2 0.999 (PyTorch's default)
  batchSize: number; // --batch_size 1
  epochs: number; // --n_epochs 100, then…
  epochsDecay: number; // --n_epochs_decay 100 of linear decay to 0
  seed?: number; // weight initialisation seed (unset: random)
}

export const cycleganDefaults: CycleganConfig = {
  imageSize: 256,
  channels: 3,
  ngf: 64,
  ndf: 64,
  nBlocks: 9,
  nLayersD: 3,
  norm: 'instance',
  ganMode: 'lsgan',
  lambdaA: 10,
  lambdaB: 10,
  lambdaIdentity: 0.5,
  poolSize: 50,
  learningRate: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  batchSize: 1,
  epochs: 100,
  epochsDecay: 100,
};

export function cycleganConfig(overrides: Partial<CycleganConfig> = {}): CycleganConfig {
  const config = { ...cycleganDefaults, ...overrides };
  if (config.imageSize % 4 !== 0) throw new Error(`cyclegan: image size ${config.imageSize} is not divisible by 4`);
  return config;
}

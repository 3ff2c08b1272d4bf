// One StyleGAN2 training iteration as NVlabs stylegan2-ada-pytorch training/loss.py (StyleGAN2Loss) and
// training/training_loop.py run it: phases Gmain, Dmain and, every D_reg_interval-th iteration, Dreg (lazy R1);
// then the generator's EMA.
import * as tf from '@tensorflow/tfjs-core';
import { createAdam, type Adam } from '../common/adam.js';
import '../common/comparison-gradients.js';
import { diffAugment, parseDiffAugmentPolicy } from '../common/diff-augment.js';
import { trainMode, type ForwardMode } from '../common/mode.js';
import { namedVariables, trainableVariables } from '../common/param-tree.js';
import type { StyleGAN2Config } from './config.js';
import { discriminator, mapping, styleMixingRegularization, synthesis, type GeneratorWeights, type StyleGAN2Model } from './networks.js';

/** Losses of one iteration, batch means as the reference's training_stats report them. */
export interface StyleGAN2Losses {
  gMain: number; // softplus(−D(G(z))): the non-saturating generator loss (Goodfellow et al. 2014 §3)
  dFake: number; // softplus(D(G(z)))
  dReal: number; // softplus(−D(x))
  r1?: number; // ‖∇ₓD(x)‖², the R1 penalty before γ/2 (Mescheder et al. 2018); only on Dreg iterations
  realScore: number; // mean D(x), the logit; with fakeScore it shows which side D is winning
  fakeScore: number; // mean D(G(z))
}

export interface StyleGAN2Trainer {
  /**
   * One iteration on a batch of reals [B, res, res, 3] in [-1, 1]: Gmain, Dmain, Dreg when `regularize`, each phase
   * with its own latents from the mode's seeds. Leaves no tensors behind beyond the optimizers' state.
   */
  step(reals: tf.Tensor4D, regularize: boolean): StyleGAN2Losses;
  readonly optimizers: { generator: Adam; discriminator: Adam };
  dispose(): void;
}

/**
 * Adam of D under lazy regularisation (training_loop.py, mb_ratio = c = interval / (interval + 1)): lr·c and β^c, so
 * the 17 updates per 16 iterations (16 Dmain, 1 Dreg) move D as 16 unregularised ones would. G has no lazy
 * regulariser here (no path-length term), so its Adam takes the plain settings.
 */
export function discriminatorAdamSettings(config: StyleGAN2Config): { learningRate: number; beta1: number; beta2: number; epsilon: number } {
  const c = config.dRegInterval / (config.dRegInterval + 1);
  return { learningRate: config.learningRate * c, beta1: config.beta1 ** c, beta2: config.beta2 ** c, epsilon: config.epsilon };
}

/** z [B, zDim] ~ N(0, I) from the mode's seed stream (a training run's checkpointed stream, so a resume draws the same z). */
function latents(config: StyleGAN2Config, batch: number, mode: ForwardMode): tf.Tensor2D {
  return tf.randomNormal([batch, config.zDim], 0, 1, 'float32', mode.randomSeed?.()) as tf.Tensor2D;
}

/** run_G: mapping (w̄ tracked), style mixing regularisation, synthesis with random noise. */
function runGenerator(config: StyleGAN2Config, g: GeneratorWeights, z: tf.Tensor2D, mode: ForwardMode): tf.Tensor4D {
  return tf.tidy(() => {
    const ws = mapping(g.mapping, z, mode);
    return synthesis(g.synthesis, styleMixingRegularization(g.mapping, ws, config.styleMixingProb, mode), mode);
  });
}

export function createStyleGAN2Trainer(model: StyleGAN2Model, options: { mode?: ForwardMode } = {}): StyleGAN2Trainer {
  const { config, generator, discriminator: dWeights } = model;
  const mode = options.mode ?? trainMode;
  const optG = createAdam({ learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon });
  const optD = createAdam(discriminatorAdamSettings(config));
  const gVars = trainableVariables(generator);
  const dVars = trainableVariables(dWeights);
  const augmentOps = parseDiffAugmentPolicy(config.augment ?? '');
  // Every image D sees, real or fake, in every phase, under its own draw of the policy's transforms. Without a policy
  // nothing is drawn, so a run without augmentation keeps the seed stream it always had.
  const D = (img: tf.Tensor4D): tf.Tensor2D => {
    if (augmentOps.length === 0) return discriminator(dWeights, img, mode);
    return discriminator(dWeights, diffAugment(img, augmentOps, mode.randomSeed?.() ?? Math.floor(Math.random() * 2 ** 32)), mode);
  };

  return {
    optimizers: { generator: optG, discriminator: optD },
    step(reals, regularize) {
      const batch = reals.shape[0];
      const kept: tf.Tensor[] = [];
      const keep = <T extends tf.Tensor>(t: T): T => {
        kept.push(tf.keep(t));
        return t;
      };
      try {
        return tf.tidy(() => {
          // Gmain: L_G = softplus(−D(G(z))), the non-saturating loss.
          let gMain: tf.Scalar | undefined;
          let fakeScore: tf.Scalar | undefined;
          const zG = latents(config, batch, mode);
          optG.minimize(() => {
            const logits = D(runGenerator(config, generator, zG, mode));
            fakeScore = keep(tf.mean(logits));
            gMain = keep(tf.mean(tf.softplus(tf.neg(logits))));
            return gMain;
          }, gVars);
          // Dmain: L_D = softplus(D(G(z′))) + softplus(−D(x)), on a fresh latent; G's image is a constant to D's step
          // (it is made outside the differentiated function, as the reference's sync=False run_G under no_grad).
          const fakes = runGenerator(config, generator, latents(config, batch, mode), mode);
          let dFake: tf.Scalar | undefined;
          let dReal: tf.Scalar | undefined;
          let realScore: tf.Scalar | undefined;
          optD.minimize(() => {
            dFake = keep(tf.mean(tf.softplus(D(fakes))));
            const realLogits = D(reals);
            realScore = keep(tf.mean(realLogits));
            dReal = keep(tf.mean(tf.softplus(tf.neg(realLogits))));
            return tf.add(dFake, dReal);
          }, dVars);
          // Dreg: L_R1 = γ/2 · ‖∇ₓD(x)‖² on reals, weighted by the interval since it runs on one iteration in that many.
          // With augmentation x is the un-augmented real, as the reference's R1 differentiates through its augment pipe.
          // The reference's Dreg phase also draws a latent (unused when only R1 runs); one seed is drawn here to match.
          let r1: tf.Scalar | undefined;
          if (regularize) {
            mode.randomSeed?.();
            optD.minimize(() => {
              const gradients = tf.grad((x: tf.Tensor) => tf.sum(D(x as tf.Tensor4D)))(reals);
              r1 = keep(tf.mean(tf.sum(tf.square(gradients), [1, 2, 3])));
              return tf.mul(r1, (config.r1Gamma / 2) * config.dRegInterval);
            }, dVars);
          }
          const values = tf.stack([gMain!, dFake!, dReal!, realScore!, fakeScore!, ...(r1 === undefined ? [] : [r1])]).dataSync();
          return {
            gMain: values[0]!,
            dFake: values[1]!,
            dReal: values[2]!,
            realScore: values[3]!,
            fakeScore: values[4]!,
            ...(r1 === undefined ? {} : { r1: values[5]! }),
          };
        });
      } finally {
        tf.dispose(kept);
      }
    },
    dispose() {
      optG.dispose();
      optD.dispose();
    },
  };
}

/**
 * EMA half-life in images at `imagesSeen` (training_loop.py): emaKimg·1000, at most emaRampup·imagesSeen when ramping
 * up, so early on G_ema follows G closely instead of averaging the random start in.
 */
export function emaBeta(config: StyleGAN2Config, imagesSeen: number): number {
  let halfLife = config.emaKimg * 1000;
  if (config.emaRampup !== undefined) halfLife = Math.min(halfLife, imagesSeen * config.emaRampup);
  return 0.5 ** (config.batchSize / Math.max(halfLife, 1e-8));
}

/**
 * G_ema ← lerp(G, G_ema, β) for every trainable variable; buffers (w̄, the constant noise images) are copied as they
 * are. A plain loop on host arrays, as in the fused Adam: on tfjs-cpu it is one pass instead of three tensor ops.
 */
export function updateGeneratorEma(ema: GeneratorWeights, generator: GeneratorWeights, beta: number): void {
  const source = namedVariables(generator);
  for (const [path, target] of namedVariables(ema)) {
    const from = source.get(path);
    if (from === undefined) throw new Error(`G_ema has "${path}", G does not`);
    const g = from.dataSync() as Float32Array;
    if (!from.trainable || beta === 0) {
      tf.tidy(() => target.assign(tf.tensor(g, from.shape, 'float32')));
      continue;
    }
    const e = target.dataSync() as Float32Array;
    const next = new Float32Array(g.length);
    for (let i = 0; i < next.length; i++) next[i] = g[i]! + (e[i]! - g[i]!) * beta;
    tf.tidy(() => target.assign(tf.tensor(next, target.shape, 'float32')));
  }
}

// One CycleGAN training step (junyanz models/cycle_gan_model.py `optimize_parameters`): both G, then both D.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions (tfjs-core's node build registers none)
import { createAdam, type Adam } from '../common/adam.js';
import { ganLoss, l1 } from '../common/losses.js';
import { trainMode } from '../common/mode.js';
import { trainableVariables } from '../common/param-tree.js';
import { cycleganDiscriminator, resnetGenerator, type CycleganModel } from './networks.js';

export interface CycleganLosses {
  gA: number; // LSGAN of D_A(G_A(A)) against real
  gB: number; // LSGAN of D_B(G_B(B)) against real
  cycleA: number; // ‖G_B(G_A(A)) − A‖₁ mean, before λA
  cycleB: number; // ‖G_A(G_B(B)) − B‖₁ mean, before λB
  idtA: number; // ‖G_A(B) − B‖₁ mean, before λB·λidt (0 when λidt = 0)
  idtB: number; // ‖G_B(A) − A‖₁ mean, before λA·λidt
  dA: number; // ½ (LSGAN(D_A(B), real) + LSGAN(D_A(fake B), fake))
  dB: number; // ½ (LSGAN(D_B(A), real) + LSGAN(D_B(fake A), fake))
}

export interface CycleganFakes {
  fakeA: tf.Tensor4D; // G_B(B) [B, H, W, 3]
  fakeB: tf.Tensor4D; // G_A(A) [B, H, W, 3]
}

export interface CycleganTrainer {
  /**
   * One step on unpaired batches A and B, each [B, H, W, 3] in [-1, 1]. `fakesForD` picks what D trains on from this
   * step's fakes (the image pool of the reference goes there; default: the fakes themselves). Tensors it returns are
   * disposed by the step unless they are `tf.keep`-ed by the pool.
   */
  step(a: tf.Tensor4D, b: tf.Tensor4D, fakesForD?: (fakes: CycleganFakes) => CycleganFakes): CycleganLosses;
  /** The Adam over both G and the one over both D: their rates follow the run's schedule, their state goes into checkpoints. */
  readonly optimizers: { generator: Adam; discriminator: Adam };
  dispose(): void;
}

/** One Adam over both generators and one over both discriminators, as the reference (itertools.chain of parameters). */
export function createCycleganTrainer(model: CycleganModel): CycleganTrainer {
  const { config, gA, gB, dA, dB } = model;
  const adam = { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 };
  const optG = createAdam(adam);
  const optD = createAdam(adam);
  const gVars = [...trainableVariables(gA), ...trainableVariables(gB)];
  const dVars = [...trainableVariables(dA), ...trainableVariables(dB)];
  const loss = (logits: tf.Tensor4D, real: boolean): tf.Scalar => ganLoss(config.ganMode, logits, real);

  return {
    optimizers: { generator: optG, discriminator: optD },
    step(a, b, fakesForD = (fakes) => fakes) {
      const kept: tf.Tensor[] = [];
      const keep = <T extends tf.Tensor>(t: T): T => {
        kept.push(tf.keep(t));
        return t;
      };
      let losses: CycleganLosses | undefined;
      try {
        tf.tidy(() => {
          let fakeA: tf.Tensor4D | undefined;
          let fakeB: tf.Tensor4D | undefined;
          const terms: Partial<Record<keyof CycleganLosses, tf.Scalar>> = {};
          // Generators, with D_A and D_B held fixed (only G variables are updated):
          // loss_G = GAN(D_A(G_A(A))) + GAN(D_B(G_B(B))) + λA‖G_B(G_A(A)) − A‖₁ + λB‖G_A(G_B(B)) − B‖₁
          //        + λidt (λB‖G_A(B) − B‖₁ + λA‖G_B(A) − A‖₁)
          optG.minimize(
            () => {
              fakeB = keep(resnetGenerator(gA, a, trainMode));
              fakeA = keep(resnetGenerator(gB, b, trainMode));
              terms.gA = keep(loss(cycleganDiscriminator(dA, fakeB, trainMode), true));
              terms.gB = keep(loss(cycleganDiscriminator(dB, fakeA, trainMode), true));
              terms.cycleA = keep(l1(resnetGenerator(gB, fakeB, trainMode), a));
              terms.cycleB = keep(l1(resnetGenerator(gA, fakeA, trainMode), b));
              let total = tf.addN([terms.gA, terms.gB, tf.mul(terms.cycleA, config.lambdaA), tf.mul(terms.cycleB, config.lambdaB)]);
              if (config.lambdaIdentity > 0) {
                terms.idtA = keep(l1(resnetGenerator(gA, b, trainMode), b));
                terms.idtB = keep(l1(resnetGenerator(gB, a, trainMode), a));
                total = tf.addN([total, tf.mul(terms.idtA, config.lambdaB * config.lambdaIdentity), tf.mul(terms.idtB, config.lambdaA * config.lambdaIdentity)]);
              } else {
                terms.idtA = keep(tf.scalar(0));
                terms.idtB = keep(tf.scalar(0));
              }
              return total as tf.Scalar;
            },
            gVars,
          );
          // Discriminators on real images and on this step's (or the pool's) fakes, which carry no gradient to G.
          const forD = fakesForD({ fakeA: fakeA!, fakeB: fakeB! });
          optD.minimize(
            () => {
              terms.dA = keep(tf.mul(tf.add(loss(cycleganDiscriminator(dA, b, trainMode), true), loss(cycleganDiscriminator(dA, forD.fakeB, trainMode), false)), 0.5));
              terms.dB = keep(tf.mul(tf.add(loss(cycleganDiscriminator(dB, a, trainMode), true), loss(cycleganDiscriminator(dB, forD.fakeA, trainMode), false)), 0.5));
              return tf.add(terms.dA, terms.dB);
            },
            dVars,
          );
          const names = ['gA', 'gB', 'cycleA', 'cycleB', 'idtA', 'idtB', 'dA', 'dB'] as const;
          const values = tf.stack(names.map((n) => terms[n]!)).dataSync();
          losses = Object.fromEntries(names.map((n, i) => [n, values[i]!])) as unknown as CycleganLosses;
        });
      } finally {
        tf.dispose(kept);
      }
      return losses!;
    },
    dispose() {
      optG.dispose();
      optD.dispose();
    },
  };
}

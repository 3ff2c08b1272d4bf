// One pix2pix training step (junyanz models/pix2pix_model.py `optimize_parameters`): G on GAN + λ·L1, D on real vs fake pairs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions (tfjs-core's node build registers none)
import { createAdam, type Adam } from '../common/adam.js';
import { ganLoss, l1 } from '../common/losses.js';
import { trainMode, type ForwardMode } from '../common/mode.js';
import { trainableVariables } from '../common/param-tree.js';
import { pix2pixDiscriminator, unetGenerator, type Pix2pixModel } from './networks.js';

/** The step's losses, each a mean over the batch (and over patches for the GAN terms). */
export interface Pix2pixLosses {
  gGan: number; // BCE of D(A, G(A)) against "real"
  gL1: number; // ‖G(A) − B‖₁ mean, before λ
  dReal: number; // BCE of D(A, B) against "real"
  dFake: number; // BCE of D(A, G(A)) against "fake"
}

export interface Pix2pixTrainer {
  /** One step on a batch of pairs: A and B each [B, H, W, 3] in [-1, 1]. Leaves no tensors behind beyond the optimizers' first-step state. */
  step(a: tf.Tensor4D, b: tf.Tensor4D): Pix2pixLosses;
  /** Adam of G and of D: their learning rates follow the run's schedule, their state goes into checkpoints. */
  readonly optimizers: { generator: Adam; discriminator: Adam };
  /** Frees the optimizers' state (the model's weights stay). */
  dispose(): void;
}

export interface Pix2pixTrainerOptions {
  /** The forward mode of every network call: training, with the run's dropout seeds (default: unseeded `trainMode`). */
  mode?: ForwardMode;
}

/**
 * Adam(lr, β1, β2) for each network, as the reference. The generator step comes first and the discriminator then
 * trains on that same G(A): one generator forward per step, which the tape of the G step already holds.
 * (The reference updates D first and G second against the updated D; reproducing that here would cost a second
 * generator forward per step, since a tfjs gradient tape cannot outlive one optimizer call.)
 */
export function createPix2pixTrainer(model: Pix2pixModel, options: Pix2pixTrainerOptions = {}): Pix2pixTrainer {
  const { config, generator, discriminator } = model;
  const mode = options.mode ?? trainMode;
  const adam = { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 };
  const optG = createAdam(adam);
  const optD = createAdam(adam);
  const gVars = trainableVariables(generator);
  const dVars = trainableVariables(discriminator);
  const D = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D => pix2pixDiscriminator(discriminator, a, b, mode);

  return {
    optimizers: { generator: optG, discriminator: optD },
    step(a, b) {
      // Tensors that must outlive the G step's tape: the fake (D's input next) and the loss terms (reported).
      const kept: tf.Tensor[] = [];
      const keep = <T extends tf.Tensor>(t: T): T => {
        kept.push(tf.keep(t));
        return t;
      };
      try {
        return tf.tidy(() => {
          let fake: tf.Tensor4D | undefined; // G(A) [B, H, W, 3] in (-1, 1)
          // G: fool D on (A, G(A)) and stay near B in L1.  loss_G = GAN(D(A, G(A)), real) + λ_L1 · L1(G(A), B)
          let gGan: tf.Scalar | undefined;
          let gL1: tf.Scalar | undefined;
          optG.minimize(
            () => {
              fake = keep(unetGenerator(generator, a, mode));
              gGan = keep(ganLoss(config.ganMode, D(a, fake), true));
              gL1 = keep(l1(fake, b));
              return tf.add(gGan, tf.mul(gL1, config.lambdaL1));
            },
            gVars,
          );
          // D: real pairs → real, fake pairs → fake.  loss_D = ½ (GAN(D(A, B), real) + GAN(D(A, G(A)), fake))
          let dReal: tf.Scalar | undefined;
          let dFake: tf.Scalar | undefined;
          optD.minimize(
            () => {
              dReal = keep(ganLoss(config.ganMode, D(a, b), true));
              dFake = keep(ganLoss(config.ganMode, D(a, fake!), false));
              return tf.mul(tf.add(dReal, dFake), 0.5);
            },
            dVars,
          );
          const values = tf.stack([gGan!, gL1!, dReal!, dFake!]).dataSync();
          return { gGan: values[0]!, gL1: values[1]!, dReal: values[2]!, dFake: values[3]! };
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

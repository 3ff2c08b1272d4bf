// Per-pixel noise inputs of the StyleGAN synthesis layers (Karras et al. 2019 §3.2 "stochastic variation"): one
// noise image per layer, broadcast over channels and scaled by a learned per-layer noise strength.
import * as tf from '@tensorflow/tfjs-core';
import { constantVariable, variableFrom, type SeedSource } from './init.js';
import type { ForwardMode } from './mode.js';

/**
 * 'random': fresh N(0, 1) noise per call and sample (training; seeded by the mode's stream).
 * 'const': the layer's stored noise image (the reference's noise_const), the same image for the same latent.
 * 'none': no noise at all.
 */
export type NoiseMode = 'random' | 'const' | 'none';

export interface NoiseInjectionWeights {
  strength: tf.Variable; // [] noise_strength, init 0: the generator learns how much noise each layer takes
  const: tf.Variable; // [res, res] noise_const, N(0, 1) drawn once at creation, not trainable
}

export function createNoiseInjection(resolution: number, seeds: SeedSource): NoiseInjectionWeights {
  return {
    strength: constantVariable([], 0),
    const: variableFrom(tf.randomNormal([resolution, resolution], 0, 1, 'float32', seeds()), false),
  };
}

/**
 * The noise to add to a layer's output [B, res, res, C]: noise·strength as [B, res, res, 1] ('random'),
 * [1, res, res, 1] ('const'), both broadcast over channels; undefined for 'none'.
 */
export function scaledNoise(w: NoiseInjectionWeights, batch: number, noiseMode: NoiseMode, mode: ForwardMode): tf.Tensor4D | undefined {
  if (noiseMode === 'none') return undefined;
  return tf.tidy(() => {
    const [resolution] = w.const.shape as [number, number];
    const noise =
      noiseMode === 'random'
        ? tf.randomNormal([batch, resolution, resolution, 1], 0, 1, 'float32', mode.randomSeed?.())
        : tf.reshape(w.const, [1, resolution, resolution, 1]);
    return tf.mul(noise, w.strength) as tf.Tensor4D;
  });
}

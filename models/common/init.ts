// Weight initialisation of the reference GANs: N(0, 0.02) for conv weights, N(1, 0.02) for norm scales, zero biases.
// junyanz/pytorch-CycleGAN-and-pix2pix models/networks.py `init_weights(init_type='normal', init_gain=0.02)`, as in DCGAN.
import * as tf from '@tensorflow/tfjs-core';

/** Deterministic seeds for successive weight tensors: seeded networks are reproducible, unseeded ones random. */
export type SeedSource = () => number | undefined;

export function seedSequence(seed: number | undefined): SeedSource {
  let next = seed;
  return () => (next === undefined ? undefined : next++);
}

/**
 * A variable that takes over `initial`. tf.variable shares the tensor's data and counts one more reference to it, so
 * the initial tensor would keep that data alive after the variable is disposed: each network built would leak a
 * copy of its first weights.
 */
export function variableFrom(initial: tf.Tensor, trainable = true): tf.Variable {
  const variable = tf.variable(initial, trainable);
  initial.dispose();
  return variable;
}

/** A trainable variable drawn from N(mean, std²). */
export function normalVariable(shape: number[], seeds: SeedSource, mean = 0, std = 0.02): tf.Variable {
  return variableFrom(tf.randomNormal(shape, mean, std, 'float32', seeds()));
}

/** A variable filled with `value` (biases, shifts, running statistics). */
export function constantVariable(shape: number[], value: number, trainable = true): tf.Variable {
  return variableFrom(tf.fill(shape, value), trainable);
}

// Bias, activation, gain and clamp after a layer, as the reference's bias_act (NVlabs stylegan2-ada-pytorch torch_utils/ops/bias_act.py).
import * as tf from '@tensorflow/tfjs-core';

export type Activation = 'linear' | 'lrelu';

/** LeakyReLU slope of every StyleGAN layer (bias_act def_alpha 0.2). */
export const lreluSlope = 0.2;

/**
 * Default gain per activation (bias_act def_gain): √2 after lrelu restores the second moment the activation halves
 * (He et al. 2015), so with equalized weights every layer's output keeps unit variance at init.
 */
export const activationGain: Readonly<Record<Activation, number>> = { linear: 1, lrelu: Math.SQRT2 };

/**
 * x [..., C] → act(x + bias)·gain, clamped to [−clamp, clamp] when `clamp` is given (the reference clamps to keep
 * float16 activations finite; we keep it so trained weights behave the same). bias [C] broadcasts over the last axis.
 */
export function biasAct<T extends tf.Tensor>(x: T, bias: tf.Tensor | undefined, activation: Activation, gain = activationGain[activation], clamp?: number): T {
  return tf.tidy(() => {
    let y: tf.Tensor = bias === undefined ? x : tf.add(x, bias);
    if (activation === 'lrelu') y = tf.leakyRelu(y, lreluSlope);
    if (gain !== 1) y = tf.mul(y, gain);
    if (clamp !== undefined) y = clampSymmetric(y, clamp);
    return y as T;
  });
}

/**
 * x clamped to [−c, c], with its gradient (dy where |x| < c, else 0) from natively run ops: tfjs' own gradient of
 * clipByValue is three plain-JS comparisons over the whole tensor, a quarter of a StyleGAN2 training step here.
 */
function clampSymmetric(x: tf.Tensor, c: number): tf.Tensor {
  // The clamp guards against rare outliers (the reference keeps float16 finite with it): almost always nothing reaches
  // ±c, and then it is the identity. On the CPU backend a scan of the values (already in memory) says so and saves the
  // clip and its masked gradient, a fifth of a StyleGAN2 training step; on a device the check would cost a round trip.
  if (tf.getBackend() === 'cpu' && allWithin(x.dataSync() as Float32Array, c)) return x;
  const clampOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([t]);
    return {
      value: tf.clipByValue(t, -c, c),
      gradFunc: (dy, [saved]) => tf.where(tf.greater(c * c, tf.square(saved!)), dy, tf.zerosLike(dy)),
    };
  });
  return clampOp(x);
}

/** Every |v| < c (a NaN is not: it takes the clamping path, as tfjs' max would have reported it). */
function allWithin(values: Float32Array, c: number): boolean {
  for (const v of values) if (!(v < c && v > -c)) return false;
  return true;
}

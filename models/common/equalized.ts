// Equalized learning rate layers (Karras et al. 2018, PGGAN §4.1): weights stored N(0, 1) and scaled at run time by
// the He constant, as NVlabs stylegan2-ada-pytorch training/networks.py FullyConnectedLayer and Conv2dLayer.
//
// Why: Adam's step is about the same size for every weight, so a weight stored at unit scale learns at the same
// relative speed whatever the layer's fan-in; the runtime scale keeps the forward pass He-initialised.
import * as tf from '@tensorflow/tfjs-core';
import { biasAct, activationGain, type Activation } from './bias-act.js';
import { conv2dResample } from './conv2d-resample.js';
import { constantVariable, normalVariable, type SeedSource } from './init.js';

export interface EqualizedDenseWeights {
  /** [in, out], stored N(0, 1)/lrMultiplier; used as weight · lrMultiplier/√in (x @ weight, the transpose of PyTorch's [out, in]). */
  weight: tf.Variable;
  /** [out], stored as biasInit; used as bias · lrMultiplier. Absent where the reference has bias=False. */
  bias?: tf.Variable;
  /** lr_multiplier: 0.01 in the mapping network, whose weights then move 100× slower than the synthesis network's. */
  lrMultiplier: number;
}

export interface EqualizedDenseOptions {
  bias?: boolean; // default true
  biasInit?: number; // default 0; 1 for the style affines, so styles start around 1
  lrMultiplier?: number; // default 1
}

export function createEqualizedDense(inFeatures: number, outFeatures: number, seeds: SeedSource, options: EqualizedDenseOptions = {}): EqualizedDenseWeights {
  const { bias = true, biasInit = 0, lrMultiplier = 1 } = options;
  return {
    weight: normalVariable([inFeatures, outFeatures], seeds, 0, 1 / lrMultiplier),
    ...(bias ? { bias: constantVariable([outFeatures], biasInit) } : {}),
    lrMultiplier,
  };
}

export interface LayerActivation {
  activation?: Activation; // default 'linear'
  gain?: number; // extra gain on top of the activation's (√0.5 on both branches of a residual block)
  clamp?: number; // conv_clamp: the output clamped to ±clamp·gain
}

/** x [B, in] → act(x·W·(lrMultiplier/√in) + b·lrMultiplier)·gain, [B, out]. */
export function equalizedDense(w: EqualizedDenseWeights, x: tf.Tensor2D, options: LayerActivation = {}): tf.Tensor2D {
  const { activation = 'linear', gain = 1, clamp } = options;
  return tf.tidy(() => {
    const inFeatures = w.weight.shape[0]!;
    // Scaling x by the weight gain is scaling W (x·(cW) = (cx)·W) and touches B·in numbers instead of in·out.
    const scaled = tf.mul(x, w.lrMultiplier / Math.sqrt(inFeatures));
    const bias = w.bias === undefined ? undefined : w.lrMultiplier === 1 ? w.bias : tf.mul(w.bias, w.lrMultiplier);
    const y = tf.fused.matMul({ a: scaled, b: w.weight as tf.Tensor2D, ...(bias === undefined ? {} : { bias }) }) as tf.Tensor2D;
    return biasAct(y, undefined, activation, activationGain[activation] * gain, clamp === undefined ? undefined : clamp * gain);
  });
}

export interface EqualizedConvWeights {
  weight: tf.Variable; // [k, k, in, out] (HWIO), stored N(0, 1); used as weight/√(in·k²)
  bias?: tf.Variable; // [out], zeros; absent on the 1×1 residual skips (bias=False)
}

export function createEqualizedConv(kernel: number, inChannels: number, outChannels: number, seeds: SeedSource, options: { bias?: boolean } = {}): EqualizedConvWeights {
  return {
    weight: normalVariable([kernel, kernel, inChannels, outChannels], seeds, 0, 1),
    ...((options.bias ?? true) ? { bias: constantVariable([outChannels], 0) } : {}),
  };
}

/**
 * x [B, H, W, in] → act(conv(x, W/√(in·k²)) + b)·gain, [B, H/down, W/down, out], padding ⌊k/2⌋ ('same').
 * down 2: the [1, 3, 3, 1] low-pass filter before a stride-2 conv, as the reference's Conv2dLayer(down=2).
 */
export function equalizedConv2d(w: EqualizedConvWeights, x: tf.Tensor4D, options: LayerActivation & { down?: 1 | 2 } = {}): tf.Tensor4D {
  const { activation = 'linear', gain = 1, clamp, down = 1 } = options;
  return tf.tidy(() => {
    const [k, , inChannels] = w.weight.shape as [number, number, number, number];
    const weight = tf.mul(w.weight, 1 / Math.sqrt(inChannels * k * k)) as tf.Tensor4D;
    const y = conv2dResample(x, weight, { down, padding: Math.floor(k / 2) });
    return biasAct(y, w.bias, activation, activationGain[activation] * gain, clamp === undefined ? undefined : clamp * gain);
  });
}

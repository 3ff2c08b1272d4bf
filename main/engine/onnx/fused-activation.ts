// The fused epilogue of FusedConv2D / _FusedMatMul (tfjs `Activation`) as ONNX nodes of the same graph.
import { float, type GraphBuilder } from './onnx-graph.js';

/** tfjs fused activations with an ONNX equivalent; anything else runs on the reference kernel. */
export type NativeActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'sigmoid' | 'prelu';

export function isNativeActivation(activation: unknown, leakyreluAlpha: unknown): activation is NativeActivation {
  switch (activation) {
    case 'linear':
    case 'relu':
    case 'relu6':
    case 'elu':
    case 'sigmoid':
    case 'prelu':
      return true;
    case 'leakyrelu':
      return typeof leakyreluAlpha === 'number';
    default:
      return false;
  }
}

/** Whether the activation can be applied in the conv's NCHW layout (prelu weights broadcast against the NHWC result). */
export function isLayoutFree(activation: NativeActivation): boolean {
  return activation !== 'prelu';
}

/**
 * Appends `activation(value)`; `preluWeights` names the graph input holding tfjs' preluActivationWeights, which
 * broadcast against `value` exactly as tfjs' prelu broadcasts them (ONNX PRelu broadcasts numpy-style too).
 */
export function appendActivation(
  g: GraphBuilder,
  value: string,
  activation: NativeActivation,
  leakyreluAlpha: number | undefined,
  preluWeights: string | undefined,
): string {
  switch (activation) {
    case 'linear':
      return value;
    case 'relu':
      return g.node('Relu', [value]);
    case 'relu6':
      return g.node('Clip', [value, g.scalar(0), g.scalar(6)]);
    case 'elu':
      return g.node('Elu', [value], { alpha: float(1) });
    case 'sigmoid':
      return g.node('Sigmoid', [value]);
    case 'leakyrelu':
      return g.node('LeakyRelu', [value], { alpha: float(leakyreluAlpha ?? 0.2) });
    case 'prelu':
      if (preluWeights === undefined) throw new Error('prelu activation without preluActivationWeights');
      return g.node('PRelu', [value, preluWeights]);
  }
}

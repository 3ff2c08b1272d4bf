// Native BatchMatMul and _FusedMatMul: ONNX MatMul (transposes, bias and activation as nodes of the same graph).
import type { BatchMatMulAttrs, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs-core';
import { appendActivation, isNativeActivation, type NativeActivation } from '../onnx/fused-activation.js';
import { allFloat32, broadcastsInto, dense, kernelArgs, sameShape, sizeOf, tensorInfo, type NativeKernelFactory } from './kernel-io.js';
import { GraphBuilder } from '../onnx/onnx-graph.js';
import type { DenseFloat32 } from './ort-sync-session.js';

/** Swaps the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

interface MatMulGeometry {
  outShape: number[];
}

/**
 * tfjs-cpu flattens the batch dims and pairs batch i of a with batch i of b (or broadcasts a single batch). ONNX
 * MatMul broadcasts numpy-style; the two agree when the batch dims are equal or one side has a single batch, so only
 * those cases run natively (tfjs' own error handling stays with the reference kernel).
 */
function matMulGeometry(a: readonly number[], b: readonly number[], transposeA: boolean, transposeB: boolean): MatMulGeometry | undefined {
  if (a.length < 2 || b.length < 2) return undefined;
  const [ra, rb] = [a.length, b.length];
  const m = transposeA ? a[ra - 1]! : a[ra - 2]!;
  const kA = transposeA ? a[ra - 2]! : a[ra - 1]!;
  const kB = transposeB ? b[rb - 1]! : b[rb - 2]!;
  const n = transposeB ? b[rb - 2]! : b[rb - 1]!;
  if (kA !== kB) return undefined;
  const outerA = a.slice(0, -2);
  const outerB = b.slice(0, -2);
  let outer: number[];
  if (sameShape(outerA, outerB)) outer = outerA;
  else if (sizeOf(outerA) === 1 && outerA.length <= outerB.length) outer = outerB;
  else if (sizeOf(outerB) === 1 && outerB.length <= outerA.length) outer = outerA;
  else return undefined;
  return { outShape: [...outer, m, n] };
}

interface MatMulSpec {
  aShape: readonly number[];
  bShape: readonly number[];
  transposeA: boolean;
  transposeB: boolean;
  outShape: readonly number[];
  biasShape: readonly number[] | undefined;
  activation: NativeActivation;
  leakyreluAlpha: number | undefined;
  preluShape: readonly number[] | undefined;
}

function buildMatMul(spec: MatMulSpec): GraphBuilder {
  const g = new GraphBuilder();
  let a = g.input('a', spec.aShape);
  let b = g.input('b', spec.bShape);
  if (spec.transposeA) a = g.transpose(a, swapLastTwo(spec.aShape.length));
  if (spec.transposeB) b = g.transpose(b, swapLastTwo(spec.bShape.length));
  let y = g.node('MatMul', [a, b]);
  if (spec.biasShape !== undefined) y = g.node('Add', [y, g.input('bias', spec.biasShape)]);
  const alpha = spec.preluShape === undefined ? undefined : g.input('alpha', spec.preluShape);
  y = appendActivation(g, y, spec.activation, spec.leakyreluAlpha, alpha);
  g.output(y, 'y', spec.outShape);
  return g;
}

function specKey(spec: MatMulSpec): string {
  return JSON.stringify([spec.aShape, spec.bShape, spec.transposeA, spec.transposeB, spec.biasShape ?? null, spec.activation, spec.leakyreluAlpha ?? null, spec.preluShape ?? null]);
}

export const batchMatMul: NativeKernelFactory =
  ({ sessions, reference }) =>
  (params) => {
    const { inputs, backend, attrs } = kernelArgs<BatchMatMulAttrs>(params);
    const { a, b } = inputs;
    if (!allFloat32(a, b)) return reference(params);
    const geometry = matMulGeometry(a!.shape, b!.shape, attrs.transposeA, attrs.transposeB);
    if (geometry === undefined) return reference(params);
    const spec: MatMulSpec = {
      aShape: a!.shape,
      bShape: b!.shape,
      transposeA: attrs.transposeA,
      transposeB: attrs.transposeB,
      outShape: geometry.outShape,
      biasShape: undefined,
      activation: 'linear',
      leakyreluAlpha: undefined,
      preluShape: undefined,
    };
    const y = sessions.run('BatchMatMul', specKey(spec), () => buildMatMul(spec), { a: dense(backend, a!), b: dense(backend, b!) });
    return tensorInfo(backend, 'BatchMatMul', y, geometry.outShape);
  };

export const fusedMatMul: NativeKernelFactory =
  ({ sessions, reference }) =>
  (params) => {
    const { inputs, backend, attrs } = kernelArgs<_FusedMatMulAttrs>(params);
    const { a, b, bias, preluActivationWeights: prelu } = inputs as Record<string, TensorInfo | undefined>;
    const { activation, leakyreluAlpha } = attrs;
    if (!allFloat32(a, b) || !isNativeActivation(activation, leakyreluAlpha)) return reference(params);
    if ((bias !== undefined && !allFloat32(bias)) || (activation === 'prelu') !== (prelu !== undefined) || (prelu !== undefined && !allFloat32(prelu))) {
      return reference(params);
    }
    const geometry = matMulGeometry(a!.shape, b!.shape, attrs.transposeA, attrs.transposeB);
    if (geometry === undefined) return reference(params);
    if (bias !== undefined && !broadcastsInto(bias.shape, geometry.outShape)) return reference(params);
    if (prelu !== undefined && !broadcastsInto(prelu.shape, geometry.outShape)) return reference(params);
    const spec: MatMulSpec = {
      aShape: a!.shape,
      bShape: b!.shape,
      transposeA: attrs.transposeA,
      transposeB: attrs.transposeB,
      outShape: geometry.outShape,
      biasShape: bias?.shape,
      activation,
      leakyreluAlpha,
      preluShape: prelu?.shape,
    };
    const feeds: Record<string, DenseFloat32> = { a: dense(backend, a!), b: dense(backend, b!) };
    if (bias !== undefined) feeds.bias = dense(backend, bias);
    if (prelu !== undefined) feeds.alpha = dense(backend, prelu);
    const y = sessions.run('_FusedMatMul', specKey(spec), () => buildMatMul(spec), feeds);
    return tensorInfo(backend, '_FusedMatMul', y, geometry.outShape);
  };

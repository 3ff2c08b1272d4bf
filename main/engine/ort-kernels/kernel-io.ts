// How a native kernel reads its tfjs-cpu inputs, writes its output and falls back to the original (reference) kernel.
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelSessions } from './kernel-sessions.js';
import type { DenseBool, DenseFloat32, DenseTensor } from './ort-sync-session.js';

/** What every native kernel is built from: the shared session cache and the tfjs-cpu kernel it replaces. */
export interface NativeKernelContext {
  sessions: KernelSessions;
  reference: KernelFunc;
  /** Elementwise kernels leave smaller tensors to tfjs-cpu (a JS loop beats a native call's fixed cost there). */
  minElementwiseSize: number;
  /** Filters already transposed to ONNX's OIHW layout, by tfjs dataId (tfjs data never changes under a dataId). */
  preparedFilters: WeakMap<object, DenseFloat32>;
}

/** The arguments tfjs passes a kernel, with the CPU backend typed. */
export interface KernelArgs<A = NamedAttrMap> {
  inputs: NamedTensorInfoMap;
  backend: MathBackendCPU;
  attrs: A;
}

export type NativeKernelFactory = (context: NativeKernelContext) => KernelFunc;

/** The kernel's arguments, typed for the CPU backend (tfjs passes them untyped). */
export function kernelArgs<A>(params: Parameters<KernelFunc>[0]): KernelArgs<A> {
  return params as unknown as KernelArgs<A>;
}

/** True when every given input is present and float32: the only dtype the native kernels handle. */
export function allFloat32(...tensors: Array<TensorInfo | undefined>): boolean {
  return tensors.every((t) => t !== undefined && t.dtype === 'float32');
}

/**
 * The input's values as stored by tfjs-cpu (no copy; ORT reads them in place). tfjs-cpu casts bool → float32 without
 * converting (the float32 tensor shares the bool's bytes, e.g. the mask of where()'s gradient): those are widened here.
 */
export function dense(backend: MathBackendCPU, t: TensorInfo): DenseFloat32 {
  const values = backend.data.get(t.dataId).values;
  if (values instanceof Float32Array) return { values, shape: t.shape };
  if (t.dtype === 'float32' && (values instanceof Uint8Array || values instanceof Int32Array)) return { values: Float32Array.from(values), shape: t.shape };
  throw new Error(`ort-kernels: expected float32 values for a ${t.dtype} tensor`);
}

/** A bool input (tfjs stores bool as one byte per element, as ORT does). */
export function denseBool(backend: MathBackendCPU, t: TensorInfo): DenseBool {
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Uint8Array)) throw new Error(`ort-kernels: expected bool values for a ${t.dtype} tensor`);
  return { values, shape: t.shape };
}

/** A new tfjs-cpu tensor owning ORT's output buffer; `shape` is what tfjs expects, checked against what ORT produced. */
export function tensorInfo(backend: MathBackendCPU, op: string, y: DenseTensor, shape: readonly number[]): TensorInfo {
  if (y.values.length !== sizeOf(shape) || !sameShape(y.shape, shape)) {
    throw new Error(`ort-kernels ${op}: native output shape [${y.shape.join(',')}] differs from the expected [${shape.join(',')}]`);
  }
  return backend.makeTensorInfo([...shape], y.values instanceof Uint8Array ? 'bool' : 'float32', y.values);
}

/** The output of a float32 graph (a graph bug, not user input, if it is not). */
export function float32Output(op: string, y: DenseTensor): DenseFloat32 {
  if (!(y.values instanceof Float32Array)) throw new Error(`ort-kernels ${op}: native output is not float32`);
  return { values: y.values, shape: y.shape };
}

/** `values` (from a graph run on the flattened tensor) as a tfjs tensor of `shape`. */
export function flatTensorInfo(backend: MathBackendCPU, op: string, y: DenseTensor, shape: readonly number[]): TensorInfo {
  if (y.values.length !== sizeOf(shape)) {
    throw new Error(`ort-kernels ${op}: native output has ${y.values.length} values, expected ${sizeOf(shape)}`);
  }
  return backend.makeTensorInfo([...shape], y.values instanceof Uint8Array ? 'bool' : 'float32', y.values);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Whether `shape` broadcasts into `target` without growing it (so tfjs' broadcast result has `target`'s shape). */
export function broadcastsInto(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const offset = target.length - shape.length;
  return shape.every((d, i) => d === 1 || d === target[offset + i]);
}

// Slice, Unpack, SplitV and Tile as contiguous-run copies in JS. No ORT call: a slice moves memory and does no arithmetic, so
// a typed-array copy is as fast as any native kernel. We write them because tfjs-cpu's are slow where it matters: a
// slice that is not one contiguous block goes element by element through TensorBuffer.get/set (about 1.5 µs per element
// here), and Unpack and SplitV call that slice once per output; Tile goes the same way. Cutting w+ [B, L, 512] into
// per-layer styles that way took a sixth of a StyleGAN2 training step.
import { backend_util, slice_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { kernelArgs, type NativeKernelFactory } from './kernel-io.js';

type Values = Float32Array | Int32Array | Uint8Array;

/** x[begin : begin + size] of a row-major tensor: the trailing axes taken whole merge into one run copied per outer index. */
export function sliceValues(values: Values, shape: readonly number[], begin: readonly number[], size: readonly number[]): Values {
  const rank = shape.length;
  const out = new (values.constructor as new (n: number) => Values)(size.reduce((a, b) => a * b, 1));
  if (out.length === 0) return out;
  // The innermost axis that is cut: every axis after it is taken whole, so each run is contiguous in x and in out.
  let cut = rank - 1;
  while (cut > 0 && size[cut] === shape[cut]) cut--;
  const strides = new Array<number>(rank).fill(1);
  for (let axis = rank - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1]! * shape[axis + 1]!;
  const run = cut < 0 ? out.length : size[cut]! * strides[cut]!;
  const outerCount = out.length / run;
  const index = new Array<number>(Math.max(cut, 0)).fill(0); // position among the outer axes 0 … cut−1
  let start = begin.reduce((offset, b, axis) => offset + b * strides[axis]!, 0);
  for (let runIndex = 0; runIndex < outerCount; runIndex++) {
    out.set(values.subarray(start, start + run), runIndex * run);
    // Odometer over the outer axes: step the last, carry into earlier ones, moving `start` by the strides.
    for (let axis = cut - 1; axis >= 0; axis--) {
      index[axis]!++;
      start += strides[axis]!;
      if (index[axis]! < size[axis]!) break;
      start -= index[axis]! * strides[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

/** Slices of x along `axis` with the given sizes, each reshaped by `outShape` (Unpack drops the axis). */
function splitAlong(backend: MathBackendCPU, x: TensorInfo, axis: number, sizes: readonly number[], outShape: (shape: number[]) => number[]): TensorInfo[] {
  const values = backend.data.get(x.dataId).values as Values;
  const begin = x.shape.map(() => 0);
  return sizes.map((length) => {
    const size = [...x.shape];
    size[axis] = length;
    const part = sliceValues(values, x.shape, begin, size);
    begin[axis]! += length;
    return backend.makeTensorInfo(outShape(size), x.dtype, part);
  });
}

/** Numeric tensors only: tfjs-cpu stores strings as arrays of byte arrays, which the reference kernels keep handling. */
const numeric = (backend: MathBackendCPU, x: TensorInfo): boolean => x.dtype !== 'string' && ArrayBuffer.isView(backend.data.get(x.dataId).values);

export const slice: NativeKernelFactory = ({ sessions, reference }): KernelFunc => (params) => {
  const { inputs, backend, attrs } = kernelArgs<{ begin: number | number[]; size: number | number[] }>(params);
  const x = inputs['x'] as TensorInfo;
  if (!numeric(backend, x)) return reference(params);
  const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size) as [number[], number[]];
  slice_util.assertParamsValid(x as never, begin, size);
  sessions.countRun('Slice');
  return backend.makeTensorInfo(size, x.dtype, sliceValues(backend.data.get(x.dataId).values as Values, x.shape, begin, size));
};

export const unpack: NativeKernelFactory = ({ sessions, reference }): KernelFunc => (params) => {
  const { inputs, backend, attrs } = kernelArgs<{ axis: number }>(params);
  const x = inputs['value'] as TensorInfo;
  if (!numeric(backend, x)) return reference(params);
  const axis = attrs.axis < 0 ? attrs.axis + x.shape.length : attrs.axis;
  sessions.countRun('Unpack');
  return splitAlong(backend, x, axis, new Array<number>(x.shape[axis]!).fill(1), (shape) => shape.filter((_, i) => i !== axis));
};

export const splitV: NativeKernelFactory = ({ sessions, reference }): KernelFunc => (params) => {
  const { inputs, backend, attrs } = kernelArgs<{ numOrSizeSplits: number | number[]; axis: number }>(params);
  const x = inputs['x'] as TensorInfo;
  if (!numeric(backend, x)) return reference(params);
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0]!;
  const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis);
  sessions.countRun('SplitV');
  return splitAlong(backend, x, axis, sizes, (shape) => shape);
};

/** x repeated reps[i] times along each axis i: each output row of the last axis is the matching x row, repeated. */
export function tileValues(values: Values, shape: readonly number[], reps: readonly number[]): Values {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const out = new (values.constructor as new (n: number) => Values)(outShape.reduce((a, b) => a * b, 1));
  if (out.length === 0 || rank === 0) {
    out.set(values.subarray(0, out.length));
    return out;
  }
  const rowLength = shape[rank - 1]!;
  const outRowLength = outShape[rank - 1]!;
  const outRows = out.length / outRowLength;
  const index = new Array<number>(rank - 1).fill(0); // output position among the axes before the last
  for (let row = 0; row < outRows; row++) {
    let source = 0;
    for (let axis = 0; axis < rank - 1; axis++) source = source * shape[axis]! + (index[axis]! % shape[axis]!);
    const from = values.subarray(source * rowLength, (source + 1) * rowLength);
    for (let r = 0; r < reps[rank - 1]!; r++) out.set(from, row * outRowLength + r * rowLength);
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < outShape[axis]!) break;
      index[axis] = 0;
    }
  }
  return out;
}

export const tile: NativeKernelFactory = ({ sessions, reference }): KernelFunc => (params) => {
  const { inputs, backend, attrs } = kernelArgs<{ reps: number[] }>(params);
  const x = inputs['x'] as TensorInfo;
  if (!numeric(backend, x)) return reference(params);
  sessions.countRun('Tile');
  const values = tileValues(backend.data.get(x.dataId).values as Values, x.shape, attrs.reps);
  return backend.makeTensorInfo(x.shape.map((d, i) => d * attrs.reps[i]!), x.dtype, values);
};

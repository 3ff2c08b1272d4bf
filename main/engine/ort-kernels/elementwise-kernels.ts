// Native broadcasting binary ops, reductions, Transpose, MirrorPad and cheap unary ops: the memory-bound rest of a
// GAN step (batch norm, Adam). Tensors below `minElementwiseSize` elements stay on tfjs-cpu, where a JS loop beats
// the fixed cost of a native call.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { LeakyReluAttrs, MaxAttrs, MirrorPadAttrs, SumAttrs, TensorInfo, TransposeAttrs } from '@tensorflow/tfjs-core';
import { allFloat32, dense, denseBool, flatTensorInfo, kernelArgs, sameShape, sizeOf, tensorInfo, type NativeKernelFactory } from './kernel-io.js';
import { GraphBuilder, float, int, ints, string, type Dim } from '../onnx/onnx-graph.js';

/** tfjs' kernel name → the ONNX op of the same numpy-broadcasting semantics. */
const binaryOps = { Add: 'Add', Sub: 'Sub', Multiply: 'Mul', RealDiv: 'Div', SquaredDifference: 'SquaredDifference', Greater: 'Greater' } as const;
export type BinaryKernelName = keyof typeof binaryOps;

/** tfjs binary kernel (numpy broadcasting, same as ONNX) on float32 operands; Greater yields bool, the rest float32. */
export function binaryKernel(name: BinaryKernelName): NativeKernelFactory {
  return ({ sessions, reference, minElementwiseSize }) =>
    (params) => {
      const { inputs, backend } = kernelArgs(params);
      const { a, b } = inputs;
      if (!allFloat32(a, b)) return reference(params);
      let outShape: number[];
      try {
        outShape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
      } catch {
        return reference(params); // tfjs' own error message
      }
      if (sizeOf(outShape) < minElementwiseSize) return reference(params);
      // Equal shapes (Adam's updates) run flattened through one session with a symbolic length; broadcasts (batch
      // norm) need their shapes in the graph.
      const flat = sameShape(a!.shape, b!.shape);
      const [aShape, bShape]: [Dim[], Dim[]] = flat ? [['n'], ['n']] : [a!.shape, b!.shape];
      const key = flat ? 'flat' : JSON.stringify([a!.shape, b!.shape]);
      const build = (): GraphBuilder => {
        const g = new GraphBuilder();
        const [x, y] = [g.input('a', aShape), g.input('b', bShape)];
        // (a − b)² has no single ONNX op; Sub then Mul by itself.
        const out = name === 'SquaredDifference' ? ((d) => g.node('Mul', [d, d]))(g.node('Sub', [x, y])) : g.node(binaryOps[name], [x, y]);
        g.output(out, 'y', flat ? ['n'] : outShape, name === 'Greater' ? 'bool' : 'float32');
        return g;
      };
      const feeds = flat
        ? { a: { values: dense(backend, a!).values, shape: [sizeOf(outShape)] }, b: { values: dense(backend, b!).values, shape: [sizeOf(outShape)] } }
        : { a: dense(backend, a!), b: dense(backend, b!) };
      const y = sessions.run(name, key, build, feeds);
      return flatTensorInfo(backend, name, y, outShape);
    };
}

const reduceOps = { Sum: 'ReduceSum', Mean: 'ReduceMean', Max: 'ReduceMax' } as const;
export type ReduceKernelName = keyof typeof reduceOps;

/** tfjs Sum / Mean / Max over any axes (tfjs-cpu transposes them innermost first; ORT reduces in place). */
export function reduceKernel(name: ReduceKernelName): NativeKernelFactory {
  return ({ sessions, reference, minElementwiseSize }) =>
    (params) => {
      const { inputs, backend, attrs } = kernelArgs<SumAttrs & Partial<MaxAttrs>>(params);
      const { x } = inputs;
      if (!allFloat32(x) || sizeOf(x!.shape) < minElementwiseSize) return reference(params);
      // Sum and Mean name their axes `axis`, Max `reductionIndices`.
      const axes = util.parseAxisParam(name === 'Max' ? attrs.reductionIndices! : attrs.axis, x!.shape);
      // ONNX reads empty axes as "all axes"; tfjs as none. Duplicates are an ONNX error.
      if (axes.length === 0 || new Set(axes).size !== axes.length) return reference(params);
      const [reduced] = backend_util.computeOutAndReduceShapes(x!.shape, axes);
      const outShape = attrs.keepDims ? backend_util.expandShapeToKeepDim(reduced, axes) : reduced;
      const key = JSON.stringify([x!.shape, axes, attrs.keepDims]);
      const build = (): GraphBuilder => {
        const g = new GraphBuilder();
        const input = g.input('x', x!.shape);
        const keepdims = int(attrs.keepDims ? 1 : 0);
        // Opset 17: ReduceSum takes axes as an input, ReduceMean / ReduceMax as an attribute.
        const y =
          name === 'Sum'
            ? g.node('ReduceSum', [input, g.int64s(axes)], { keepdims })
            : g.node(reduceOps[name], [input], { axes: ints(axes), keepdims });
        g.output(y, 'y', outShape);
        return g;
      };
      const y = sessions.run(name, key, build, { x: dense(backend, x!) });
      return tensorInfo(backend, name, y, outShape);
    };
}

export const transpose: NativeKernelFactory =
  ({ sessions, reference, minElementwiseSize }) =>
  (params) => {
    const { inputs, backend, attrs } = kernelArgs<TransposeAttrs>(params);
    const { x } = inputs;
    if (!allFloat32(x) || sizeOf(x!.shape) < minElementwiseSize || attrs.perm.length !== x!.shape.length) return reference(params);
    const outShape = attrs.perm.map((p) => x!.shape[p]!);
    const key = JSON.stringify([x!.shape, attrs.perm]);
    const build = (): GraphBuilder => {
      const g = new GraphBuilder();
      g.output(g.node('Transpose', [g.input('x', x!.shape)], { perm: ints(attrs.perm) }), 'y', outShape);
      return g;
    };
    return tensorInfo(backend, 'Transpose', sessions.run('Transpose', key, build, { x: dense(backend, x!) }), outShape);
  };

/** MirrorPad 'reflect' is ONNX Pad mode 'reflect'; 'symmetric' has no ONNX mode and stays on tfjs-cpu. */
export const mirrorPad: NativeKernelFactory =
  ({ sessions, reference, minElementwiseSize }) =>
  (params) => {
    const { inputs, backend, attrs } = kernelArgs<MirrorPadAttrs>(params);
    const { x } = inputs;
    if (!allFloat32(x) || attrs.mode !== 'reflect' || sizeOf(x!.shape) < minElementwiseSize) return reference(params);
    const { paddings } = attrs;
    if (paddings.length !== x!.shape.length) return reference(params);
    const outShape = paddings.map(([before, after], i) => before + x!.shape[i]! + after);
    const key = JSON.stringify([x!.shape, paddings]);
    const build = (): GraphBuilder => {
      const g = new GraphBuilder();
      const pads = g.int64s([...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])]);
      g.output(g.node('Pad', [g.input('x', x!.shape), pads], { mode: string('reflect') }), 'y', outShape);
      return g;
    };
    return tensorInfo(backend, 'MirrorPad', sessions.run('MirrorPad', key, build, { x: dense(backend, x!) }), outShape);
  };

/** Select(condition, t, e) with all three of one shape (leaky relu's gradient): ONNX Where, flattened. */
export const select: NativeKernelFactory =
  ({ sessions, reference, minElementwiseSize }) =>
  (params) => {
    const { inputs, backend } = kernelArgs(params);
    const { condition, t, e } = inputs;
    // tfjs-cpu's own Select broadcasts a rank-1 condition over rows; only the plain elementwise case is native.
    if (condition?.dtype !== 'bool' || !allFloat32(t, e) || !sameShape(condition.shape, t!.shape) || !sameShape(t!.shape, e!.shape)) {
      return reference(params);
    }
    const n = sizeOf(t!.shape);
    if (n < minElementwiseSize) return reference(params);
    const build = (): GraphBuilder => {
      const g = new GraphBuilder();
      g.output(g.node('Where', [g.input('condition', ['n'], 'bool'), g.input('t', ['n']), g.input('e', ['n'])]), 'y', ['n']);
      return g;
    };
    const y = sessions.run('Select', 'flat', build, {
      condition: { values: denseBool(backend, condition).values, shape: [n] },
      t: { values: dense(backend, t!).values, shape: [n] },
      e: { values: dense(backend, e!).values, shape: [n] },
    });
    return flatTensorInfo(backend, 'Select', y, t!.shape);
  };

/** Unary tfjs kernels → the ONNX nodes computing them on `x`. */
const unaryOps: Record<string, (g: GraphBuilder, x: string, attrs: Record<string, unknown>) => string> = {
  Relu: (g, x) => g.node('Relu', [x]),
  LeakyRelu: (g, x, attrs) => g.node('LeakyRelu', [x], { alpha: float((attrs as unknown as LeakyReluAttrs).alpha) }),
  Sigmoid: (g, x) => g.node('Sigmoid', [x]),
  Tanh: (g, x) => g.node('Tanh', [x]),
  Sqrt: (g, x) => g.node('Sqrt', [x]),
  Square: (g, x) => g.node('Mul', [x, x]),
  Neg: (g, x) => g.node('Neg', [x]),
  Exp: (g, x) => g.node('Exp', [x]),
  // tfjs Step (relu's gradient): NaN stays NaN, x > 0 → 1, else alpha.
  Step: (g, x, attrs) =>
    g.node('Where', [g.node('IsNaN', [x]), x, g.node('Where', [g.node('Greater', [x, g.scalar(0)]), g.scalar(1), g.scalar((attrs as { alpha: number }).alpha)])]),
};

/** Unary kernels whose graph depends on a numeric `alpha` attribute. */
const alphaKernels = new Set(['LeakyRelu', 'Step']);
export const unaryKernelNames = Object.keys(unaryOps);

export function unaryKernel(name: string): NativeKernelFactory {
  const op = unaryOps[name];
  if (op === undefined) throw new Error(`ort-kernels: no native unary kernel ${name}`);
  return ({ sessions, reference, minElementwiseSize }) =>
    (params) => {
      const { inputs, backend, attrs } = kernelArgs<Record<string, unknown>>(params);
      const x = inputs.x as TensorInfo | undefined;
      if (!allFloat32(x) || sizeOf(x!.shape) < minElementwiseSize) return reference(params);
      if (alphaKernels.has(name) && typeof attrs.alpha !== 'number') return reference(params);
      // Elementwise: one session per op (and alpha) serves every shape, fed flattened with a symbolic length.
      const key = JSON.stringify(alphaKernels.has(name) ? attrs.alpha : null);
      const build = (): GraphBuilder => {
        const g = new GraphBuilder();
        g.output(op(g, g.input('x', ['n']), attrs), 'y', ['n']);
        return g;
      };
      const y = sessions.run(name, key, build, { x: { values: dense(backend, x!).values, shape: [sizeOf(x!.shape)] } });
      return flatTensorInfo(backend, name, y, x!.shape);
    };
}

/** tfjs AddN (summing gradients that meet, e.g. at a residual block): ONNX Sum over same-shape float32 tensors. */
export const addN: NativeKernelFactory =
  ({ sessions, reference, minElementwiseSize }) =>
  (params) => {
    const { inputs, backend } = kernelArgs(params);
    const terms = Object.values(inputs) as TensorInfo[];
    const first = terms[0];
    if (first === undefined || !allFloat32(...terms) || terms.some((t) => !sameShape(t.shape, first.shape)) || sizeOf(first.shape) < minElementwiseSize) {
      return reference(params);
    }
    // Flattened with a symbolic length: one session per number of terms serves every shape.
    const names = terms.map((_, i) => `x${i}`);
    const build = (): GraphBuilder => {
      const g = new GraphBuilder();
      g.output(g.node('Sum', names.map((name) => g.input(name, ['n']))), 'y', ['n']);
      return g;
    };
    const length = sizeOf(first.shape);
    const feeds = Object.fromEntries(terms.map((t, i) => [names[i]!, { values: dense(backend, t).values, shape: [length] }]));
    const y = sessions.run('AddN', String(terms.length), build, feeds);
    return flatTensorInfo(backend, 'AddN', y, first.shape);
  };

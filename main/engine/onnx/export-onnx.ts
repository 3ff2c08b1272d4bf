// Turns a kernel trace of a forward pass into one ONNX graph: the engine's whole-model inference graph and the studio's
// ONNX export. Weights become named initializers, constant sub-computations (eval-mode batch-norm scale and shift)
// are folded to their traced values, and 4-D activations stay NCHW between convolutions so the graph carries no
// per-op layout transposes (ONNX Runtime then fuses Conv + activation as it does for a PyTorch export).
import type * as tf from '@tensorflow/tfjs-core';
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, Conv2DBackpropInputAttrs, FusedConv2DAttrs, NamedAttrMap } from '@tensorflow/tfjs-core';
import { appendConv, appendTransposedConv, convInfo, hwioToOihw, nchwToNhwc, nhwcToNchw, onnxGeometry } from './conv-geometry.js';
import { appendActivation, isNativeActivation } from './fused-activation.js';
import { traceKernels, type KernelRecord, type KernelTrace, type TracedValue } from './kernel-trace.js';
import { GraphBuilder, float, int, ints, string } from './onnx-graph.js';

/** Layout of an exported graph's image input and output: NCHW as PyTorch exports, or tfjs' NHWC. */
export type ImageLayout = 'nchw' | 'nhwc';

export interface OnnxExportOptions {
  layout: ImageLayout;
  inputName?: string; // 'input'
  outputName?: string; // 'output'
  /** Weight variables by parameter path (namedVariables): their initializers carry those names, like a state_dict. */
  weights?: ReadonlyMap<string, tf.Variable>;
  /** Stored as the model's metadata_props (family, value range, resolution…). */
  metadata?: Record<string, string>;
}

export interface OnnxExport {
  model: Uint8Array; // serialized ModelProto
  output: tf.Tensor; // the traced forward's own output (caller disposes): the reference the export must reproduce
}

/**
 * Traces `forward(input)` once on the active backend and exports it. The graph is specialised to `input`'s shape
 * (batch included); call again for another batch size.
 */
export function exportOnnx(forward: (x: tf.Tensor) => tf.Tensor, input: tf.Tensor, options: OnnxExportOptions): OnnxExport {
  const trace = traceKernels(() => forward(input), [input]);
  try {
    return { model: graphFromTrace(trace, input, options), output: trace.output };
  } catch (err) {
    trace.output.dispose();
    throw err;
  }
}

type Layout = 'nhwc' | 'nchw';
interface GraphValue {
  name: string;
  layout: Layout; // physical order of a rank-4 value; 'nhwc' (tfjs' own) for every other rank
}
type ConstantData = Float32Array | Int32Array | Uint8Array;

const axisToNchw = [0, 2, 3, 1]; // NHWC axis a sits at NCHW axis axisToNchw[a]

/** Copies `data` of `shape` with its axes permuted (out axis i = in axis perm[i]); constants only, so a plain loop. */
function permuteData(data: ConstantData, shape: readonly number[], perm: readonly number[]): ConstantData {
  if (perm.every((p, i) => p === i)) return data;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = util.computeStrides(shape as number[]).concat([1]);
  const out = new (data.constructor as new (n: number) => ConstantData)(data.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let i = 0; i < perm.length; i++) source += index[i]! * inStrides[perm[i]!]!;
    out[o] = data[source]!;
    for (let i = perm.length - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}

const unaryOps: Record<string, string> = {
  Relu: 'Relu',
  Tanh: 'Tanh',
  Sigmoid: 'Sigmoid',
  Elu: 'Elu',
  Neg: 'Neg',
  Abs: 'Abs',
  Exp: 'Exp',
  Log: 'Log',
  Sqrt: 'Sqrt',
  Erf: 'Erf',
  Floor: 'Floor',
  Ceil: 'Ceil',
  Sin: 'Sin',
  Cos: 'Cos',
  Reciprocal: 'Reciprocal',
  Softplus: 'Softplus',
  Identity: 'Identity',
};
const binaryOps: Record<string, string> = { Add: 'Add', Sub: 'Sub', Multiply: 'Mul', RealDiv: 'Div', Maximum: 'Max', Minimum: 'Min', Pow: 'Pow' };
const reduceOps: Record<string, string> = { Mean: 'ReduceMean', Sum: 'ReduceSum', Max: 'ReduceMax', Min: 'ReduceMin', Prod: 'ReduceProd' };

/** Builds the graph of one trace. */
class TraceTranslator {
  readonly #g = new GraphBuilder();
  readonly #trace: KernelTrace;
  readonly #values = new Map<string, GraphValue>(); // dynamic values by trace key
  readonly #folded = new Map<string, ConstantData>(); // outputs of constant kernels by trace key
  readonly #weightNames = new Map<object, string>(); // variable dataId → parameter path
  readonly #initializers = new Map<string, string>(); // trace key + variant → initializer name
  readonly #transposed = new Map<string, string>(); // trace key + layout → converted value name
  readonly #namesUsed = new Set<string>();

  constructor(trace: KernelTrace, weights: ReadonlyMap<string, tf.Variable> | undefined) {
    this.#trace = trace;
    for (const [path, variable] of weights ?? []) this.#weightNames.set(variable.dataId, path);
    for (const record of trace.records) {
      record.constantOutputs?.forEach((data, i) => this.#folded.set(this.#key(record.outputs[i]!), data));
    }
  }

  get graph(): GraphBuilder {
    return this.#g;
  }

  #key(v: TracedValue | tf.Tensor): string {
    return this.#trace.ids.key(v);
  }

  define(v: TracedValue | tf.Tensor, value: GraphValue): void {
    this.#values.set(this.#key(v), value);
  }

  isDynamic(v: TracedValue): boolean {
    return this.#values.has(this.#key(v));
  }

  #constantData(v: TracedValue): ConstantData {
    const data = this.#folded.get(this.#key(v)) ?? this.#trace.literals.get(v.dataId);
    if (data === undefined) throw new Error(`ONNX export: a ${v.dtype} value of shape [${v.shape.join(', ')}] was neither computed nor constant`);
    return data;
  }

  /** The constant `v` as an initializer, its data seen as `view` (same element count; default its shape) then permuted by `perm`. */
  initializer(v: TracedValue, perm?: readonly number[], view: readonly number[] = v.shape): string {
    const variant = `${this.#key(v)}|${perm?.join(',') ?? ''}|${view.join(',')}`;
    const cached = this.#initializers.get(variant);
    if (cached !== undefined) return cached;
    const data = perm === undefined ? this.#constantData(v) : permuteData(this.#constantData(v), view, perm);
    const shape = perm === undefined ? view : perm.map((p) => view[p]!);
    // A weight's first initializer (usually its only one, e.g. an OIHW filter) carries its parameter path.
    const path = this.#weightNames.get(v.dataId);
    const init = this.#g.constant(data, shape, path !== undefined && !this.#namesUsed.has(path) ? path : undefined);
    this.#namesUsed.add(init);
    this.#initializers.set(variant, init);
    return init;
  }

  /** A dynamic value in `layout` (rank-4 values are transposed once per layout and remembered). */
  dynamic(v: TracedValue, layout: Layout): string {
    const value = this.#values.get(this.#key(v));
    if (value === undefined) throw new Error(`ONNX export: value of shape [${v.shape.join(', ')}] used before it was computed`);
    if (v.shape.length !== 4 || value.layout === layout) return value.name;
    const cacheKey = `${this.#key(v)}|${layout}`;
    let converted = this.#transposed.get(cacheKey);
    if (converted === undefined) {
      converted = this.#g.transpose(value.name, layout === 'nchw' ? nhwcToNchw : nchwToNhwc);
      this.#transposed.set(cacheKey, converted);
    }
    return converted;
  }

  /** Any input (dynamic or constant) in tfjs' own order. */
  plain(v: TracedValue): string {
    return this.isDynamic(v) ? this.dynamic(v, 'nhwc') : this.initializer(v);
  }

  /**
   * An operand of a broadcasting op computed in `layout`. In NCHW a lower-rank operand (a [C] bias) would align with
   * W under numpy broadcasting, so it is first given tfjs' rank-4 NHWC shape and then permuted like the activations.
   */
  operand(v: TracedValue, layout: Layout): string {
    if (layout === 'nhwc' || v.shape.length > 4) return this.plain(v);
    const rank4 = [...new Array<number>(4 - v.shape.length).fill(1), ...v.shape];
    const onesOnly = v.shape.every((d) => d === 1);
    if (onesOnly) return this.plain(v); // a scalar broadcasts the same in any layout
    if (!this.isDynamic(v)) return this.initializer(v, nhwcToNchw, rank4);
    if (v.shape.length === 4) return this.dynamic(v, 'nchw');
    const reshaped = this.#g.node('Reshape', [this.dynamic(v, 'nhwc'), this.#g.int64s(rank4)]);
    return this.#g.transpose(reshaped, nhwcToNchw);
  }

  /** The layout an elementwise op computes in: NCHW when a rank-4 dynamic input already is. */
  layoutOf(inputs: readonly TracedValue[]): Layout {
    const nchw = inputs.some((v) => v.shape.length === 4 && this.#values.get(this.#key(v))?.layout === 'nchw');
    return nchw ? 'nchw' : 'nhwc';
  }

  /** Registers a record's single output as `name`, in `layout` when it is rank 4 (else tfjs' order). */
  produce(record: KernelRecord, name: string, layout: Layout): void {
    const out = record.outputs[0]!;
    this.define(out, { name, layout: out.shape.length === 4 ? layout : 'nhwc' });
  }
}

function attr<T>(attrs: NamedAttrMap, name: string): T {
  return attrs[name] as T;
}

/** Emits the ONNX nodes of one dynamic kernel call. */
function translate(t: TraceTranslator, record: KernelRecord): void {
  const g = t.graph;
  const { kernel, inputs, attrs } = record;
  const input = (name: string): TracedValue => {
    const v = inputs[name];
    if (v === undefined) throw new Error(`ONNX export: ${kernel} without input '${name}'`);
    return v;
  };
  const out = record.outputs[0]!;

  if (kernel in unaryOps || kernel === 'LeakyRelu' || kernel === 'Rsqrt' || kernel === 'Square' || kernel === 'Relu6' || kernel === 'Cast') {
    const x = input('x');
    const layout = t.layoutOf([x]);
    const v = t.isDynamic(x) ? t.dynamic(x, layout) : t.initializer(x);
    let y: string;
    if (kernel === 'LeakyRelu') y = g.node('LeakyRelu', [v], { alpha: float(attr<number>(attrs, 'alpha')) });
    else if (kernel === 'Rsqrt') y = g.node('Reciprocal', [g.node('Sqrt', [v])]);
    else if (kernel === 'Square') y = g.node('Mul', [v, v]);
    else if (kernel === 'Relu6') y = g.node('Clip', [v, g.scalar(0), g.scalar(6)]);
    else if (kernel === 'Cast') {
      if (attr<string>(attrs, 'dtype') !== 'float32' || x.dtype !== 'float32') throw new Error(`ONNX export: Cast ${x.dtype} → ${String(attrs.dtype)} is not supported`);
      y = g.node('Identity', [v]);
    } else y = g.node(unaryOps[kernel]!, [v]);
    t.produce(record, y, layout);
    return;
  }

  if (kernel in binaryOps || kernel === 'SquaredDifference') {
    const [a, b] = [input('a'), input('b')];
    const layout = t.layoutOf([a, b]);
    const [x, y] = [t.operand(a, layout), t.operand(b, layout)];
    const result = kernel === 'SquaredDifference' ? ((d: string) => g.node('Mul', [d, d]))(g.node('Sub', [x, y])) : g.node(binaryOps[kernel]!, [x, y]);
    t.produce(record, result, layout);
    return;
  }

  switch (kernel) {
    case 'AddN': {
      const terms = Object.values(inputs);
      const layout = t.layoutOf(terms);
      t.produce(record, g.node('Sum', terms.map((v) => t.operand(v, layout))), layout);
      return;
    }
    case 'Conv2D':
    case 'FusedConv2D': {
      const x = input('x');
      const filter = input('filter');
      const a = attrs as unknown as FusedConv2DAttrs & Conv2DAttrs;
      if (a.dataFormat !== 'NHWC') throw new Error(`ONNX export: ${kernel} with dataFormat ${a.dataFormat}`);
      const info = convInfo(x.shape, filter.shape, a, a.dilations);
      const geometry = onnxGeometry(info);
      if (geometry === undefined) throw new Error(`ONNX export: ${kernel} geometry has no ONNX equivalent`);
      const w = t.isDynamic(filter) ? g.transpose(t.dynamic(filter, 'nhwc'), hwioToOihw) : t.initializer(filter, hwioToOihw);
      const convInputs = [t.dynamic(x, 'nchw'), w];
      const bias = inputs.bias;
      const channelBias = bias !== undefined && !t.isDynamic(bias) && bias.shape.length === 1 && bias.shape[0] === info.outChannels;
      if (channelBias) convInputs.push(t.initializer(bias));
      let y = appendConv(g, convInputs, info, geometry);
      if (bias !== undefined && !channelBias) y = g.node('Add', [y, t.operand(bias, 'nchw')]);
      if (kernel === 'FusedConv2D') {
        if (!isNativeActivation(a.activation, a.leakyreluAlpha) || a.activation === 'prelu') throw new Error(`ONNX export: fused activation ${a.activation}`);
        y = appendActivation(g, y, a.activation, a.leakyreluAlpha, undefined);
      }
      t.produce(record, y, 'nchw');
      return;
    }
    case 'Conv2DBackpropInput': {
      const dy = input('dy');
      const filter = input('filter');
      const a = attrs as unknown as Conv2DBackpropInputAttrs;
      const info = convInfo(a.inputShape, filter.shape, a, 1);
      const geometry = onnxGeometry(info);
      if (geometry === undefined) throw new Error('ONNX export: transposed conv geometry has no ONNX equivalent');
      const w = t.isDynamic(filter) ? g.transpose(t.dynamic(filter, 'nhwc'), hwioToOihw) : t.initializer(filter, hwioToOihw);
      const y = appendTransposedConv(g, t.dynamic(dy, 'nchw'), w, info, geometry);
      t.produce(record, y, 'nchw');
      return;
    }
    case 'Mean':
    case 'Sum':
    case 'Max':
    case 'Min':
    case 'Prod': {
      const x = input('x');
      const keepDims = attr<boolean>(attrs, 'keepDims');
      const axes = util.parseAxisParam(attr<number | number[]>(attrs, kernel === 'Max' || kernel === 'Min' ? 'reductionIndices' : 'axis') ?? attr(attrs, 'axis'), [...x.shape]);
      // With keepDims a rank-4 input keeps its rank and can stay NCHW (instance norm's statistics); else tfjs' order.
      const layout = x.shape.length === 4 && keepDims ? t.layoutOf([x]) : 'nhwc';
      const onnxAxes = layout === 'nchw' ? axes.map((axis) => axisToNchw[axis]!) : axes;
      const v = t.isDynamic(x) ? t.dynamic(x, layout) : t.initializer(x);
      const y =
        kernel === 'Sum'
          ? g.node('ReduceSum', [v, g.int64s(onnxAxes)], { keepdims: int(keepDims ? 1 : 0) })
          : g.node(reduceOps[kernel]!, [v], { axes: ints(onnxAxes), keepdims: int(keepDims ? 1 : 0) });
      t.produce(record, y, layout);
      return;
    }
    case 'Concat': {
      const parts = Object.values(inputs);
      const axis = util.parseAxisParam(attr<number>(attrs, 'axis'), [...out.shape])[0]!;
      const layout = out.shape.length === 4 ? t.layoutOf(parts) : 'nhwc';
      const operands = parts.map((v) => (t.isDynamic(v) ? t.dynamic(v, layout) : t.initializer(v, layout === 'nchw' ? nhwcToNchw : undefined)));
      t.produce(record, g.node('Concat', operands, { axis: int(layout === 'nchw' ? axisToNchw[axis]! : axis) }), layout);
      return;
    }
    case 'MirrorPad':
    case 'PadV2': {
      const x = input('x');
      const paddings = attr<Array<[number, number]>>(attrs, 'paddings');
      const mode = kernel === 'PadV2' ? 'constant' : attr<string>(attrs, 'mode');
      if (mode !== 'reflect' && mode !== 'constant') throw new Error(`ONNX export: ${mode} padding has no ONNX mode`);
      const layout = t.layoutOf([x]);
      const ordered = layout === 'nchw' ? nhwcToNchw.map((axis) => paddings[axis]!) : paddings;
      const pads = g.int64s([...ordered.map((p) => p[0]), ...ordered.map((p) => p[1])]);
      const padInputs = [t.dynamic(x, layout), pads];
      if (kernel === 'PadV2') padInputs.push(g.scalar(attr<number>(attrs, 'constantValue')));
      t.produce(record, g.node('Pad', padInputs, { mode: string(mode) }), layout);
      return;
    }
    case 'Reshape': {
      const x = input('x');
      if (x.shape.join() === out.shape.join()) {
        t.define(out, { name: t.dynamic(x, t.layoutOf([x])), layout: t.layoutOf([x]) });
        return;
      }
      t.produce(record, g.node('Reshape', [t.dynamic(x, 'nhwc'), g.int64s(out.shape)]), 'nhwc');
      return;
    }
    case 'Unpack': {
      // Each output is one slice along the axis, squeezed: a Slice and a Reshape per output.
      const x = input('value');
      const axis = util.parseAxisParam(attr<number>(attrs, 'axis'), [...x.shape])[0]!;
      const v = t.dynamic(x, 'nhwc');
      record.outputs.forEach((output, i) => {
        const slice = g.node('Slice', [v, g.int64s([i]), g.int64s([i + 1]), g.int64s([axis])]);
        t.define(output, { name: g.node('Reshape', [slice, g.int64s(output.shape)]), layout: 'nhwc' });
      });
      return;
    }
    case 'Tile': {
      const x = input('x');
      t.produce(record, g.node('Tile', [t.plain(x), g.int64s(attr<number[]>(attrs, 'reps'))]), 'nhwc');
      return;
    }
    case 'ClipByValue': {
      const x = input('x');
      const layout = t.layoutOf([x]);
      t.produce(record, g.node('Clip', [t.dynamic(x, layout), g.scalar(attr<number>(attrs, 'clipValueMin')), g.scalar(attr<number>(attrs, 'clipValueMax'))]), layout);
      return;
    }
    case 'Transpose': {
      t.produce(record, g.transpose(t.dynamic(input('x'), 'nhwc'), attr<number[]>(attrs, 'perm')), 'nhwc');
      return;
    }
    case 'Slice': {
      const x = input('x');
      const [begin, size] = backend_util.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, attr(attrs, 'begin'), attr(attrs, 'size')) as [number[], number[]];
      const ends = begin.map((b, i) => b + size[i]!);
      const axes = begin.map((_, i) => i);
      t.produce(record, g.node('Slice', [t.dynamic(x, 'nhwc'), g.int64s(begin), g.int64s(ends), g.int64s(axes)]), 'nhwc');
      return;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const [a, b] = [input('a'), input('b')];
      const side = (v: TracedValue, transpose: boolean): string =>
        t.isDynamic(v) ? (transpose ? g.transpose(t.dynamic(v, 'nhwc'), [0, 2, 1]) : t.dynamic(v, 'nhwc')) : t.initializer(v, transpose ? [0, 2, 1] : undefined);
      let y = g.node('MatMul', [side(a, attr(attrs, 'transposeA')), side(b, attr(attrs, 'transposeB'))]);
      if (inputs.bias !== undefined) y = g.node('Add', [y, t.plain(inputs.bias)]);
      if (kernel === '_FusedMatMul') {
        const activation = attr<string>(attrs, 'activation');
        if (!isNativeActivation(activation, attrs.leakyreluAlpha) || activation === 'prelu') throw new Error(`ONNX export: fused activation ${activation}`);
        y = appendActivation(g, y, activation, attr<number | undefined>(attrs, 'leakyreluAlpha'), undefined);
      }
      t.produce(record, y, 'nhwc');
      return;
    }
    default:
      throw new Error(`ONNX export: tfjs kernel ${kernel} has no ONNX translation yet`);
  }
}

function graphFromTrace(trace: KernelTrace, input: tf.Tensor, options: OnnxExportOptions): Uint8Array {
  const t = new TraceTranslator(trace, options.weights);
  const g = t.graph;
  const layoutShape = (shape: readonly number[]): number[] => (shape.length === 4 && options.layout === 'nchw' ? nhwcToNchw.map((a) => shape[a]!) : [...shape]);
  const inputName = options.inputName ?? 'input';
  g.input(inputName, layoutShape(input.shape));
  t.define(input, { name: inputName, layout: input.shape.length === 4 ? options.layout : 'nhwc' });
  for (const record of trace.records) {
    if (record.constantOutputs === undefined) translate(t, record);
  }
  const output = trace.output;
  if (!t.isDynamic(output)) throw new Error('ONNX export: the output does not depend on the input');
  g.output(t.dynamic(output, output.shape.length === 4 ? options.layout : 'nhwc'), options.outputName ?? 'output', layoutShape(output.shape));
  return g.encode({ graphName: 'generator', producer: 'gan-studio', ...(options.metadata === undefined ? {} : { metadata: options.metadata }) });
}

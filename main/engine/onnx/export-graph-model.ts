// Turns a kernel trace of a forward pass into a TensorFlow.js GraphModel (model.json + one weights shard), the format
// tf.loadGraphModel reads in a browser or Node. Both sides are NHWC and tfjs-converter runs each TF op as the tfjs
// kernel it was traced from, so every kernel becomes one op with its attributes as TF spells them.
import type * as tf from '@tensorflow/tfjs-core';
import { backend_util, util, type NamedAttrMap } from '@tensorflow/tfjs-core';
import { traceKernels, type KernelRecord, type KernelTrace, type TracedValue } from './kernel-trace.js';

/** The shard's file name, as the weights manifest names it: write `weightData` there, beside model.json. */
export const GRAPH_MODEL_WEIGHTS_FILE = 'group1-shard1of1.bin';

export interface GraphModelExportOptions {
  inputName?: string; // 'input'
  outputName?: string; // 'output'
  /** Weight variables by parameter path (namedVariables): their Const nodes and weights carry those names. */
  weights?: ReadonlyMap<string, tf.Variable>;
  /** Stored as model.json's userDefinedMetadata (family, value range, resolution…). */
  metadata?: Record<string, string>;
}

export interface GraphModelExport {
  modelJson: object; // model.json of a tfjs GraphModel ({ format: 'graph-model', modelTopology, weightsManifest, … })
  weightData: Uint8Array; // the single weights shard (GRAPH_MODEL_WEIGHTS_FILE)
  output: tf.Tensor; // the traced forward's own output (caller disposes): the reference the export must reproduce
}

/**
 * Traces `forward(input)` once on the active backend and exports it. The graph is specialised to `input`'s shape
 * (batch included): reshapes and conv output sizes are baked in, as in the ONNX export.
 */
export function exportGraphModel(forward: (x: tf.Tensor) => tf.Tensor, input: tf.Tensor, options: GraphModelExportOptions = {}): GraphModelExport {
  const trace = traceKernels(() => forward(input), [input]);
  try {
    return { ...graphModelFromTrace(trace, input, options), output: trace.output };
  } catch (err) {
    trace.output.dispose();
    throw err;
  }
}

// GraphDef in protobuf's JSON mapping, as tfjs-converter parses it (operation_mapper.ts): int64s as strings, strings base64.
type AttrValue = Record<string, unknown>;
interface NodeDef {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, AttrValue>;
}
type ConstantData = Float32Array | Int32Array | Uint8Array;
interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: ConstantData;
}

const tfTypes: Record<string, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' };
const tfType = (dtype: tf.DataType): AttrValue => {
  const type = tfTypes[dtype];
  if (type === undefined) throw new Error(`GraphModel export: ${dtype} tensors are not supported`);
  return { type };
};
const int = (v: number): AttrValue => ({ i: String(v) });
const ints = (v: readonly number[]): AttrValue => ({ list: { i: v.map(String) } });
const float = (v: number): AttrValue => ({ f: v });
const bool = (v: boolean): AttrValue => ({ b: v });
const str = (v: string): AttrValue => ({ s: Buffer.from(v).toString('base64') });
const strs = (v: readonly string[]): AttrValue => ({ list: { s: v.map((x) => Buffer.from(x).toString('base64')) } });
const tensorShape = (shape: readonly number[]): object => ({ dim: shape.map((size) => ({ size: String(size) })) });

/** Names TF accepts for a node ([A-Za-z0-9.][A-Za-z0-9_.\-/]*), made unique. */
class NodeNames {
  readonly #used = new Set<string>();

  claim(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.\-/]/g, '_').replace(/^[^A-Za-z0-9.]/, 'n');
    let name = clean;
    for (let n = 1; this.#used.has(name); n++) name = `${clean}_${n}`;
    this.#used.add(name);
    return name;
  }
}

/** Builds the graph of one trace: tensors by trace key as `node` or `node:i`, constants as Const nodes with weights. */
class GraphDefBuilder {
  readonly nodes: NodeDef[] = [];
  readonly weights = new Map<string, WeightEntry>(); // by Const node name
  readonly names = new NodeNames();
  readonly #trace: KernelTrace;
  readonly #values = new Map<string, string>(); // dynamic tensors by trace key
  readonly #folded = new Map<string, ConstantData>(); // outputs of constant kernels by trace key
  readonly #weightNames = new Map<object, string>(); // variable dataId → parameter path
  readonly #constants = new Map<string, string>(); // trace key, or dtype + shape + values of a parameter → Const name

  constructor(trace: KernelTrace, weights: ReadonlyMap<string, tf.Variable> | undefined) {
    this.#trace = trace;
    for (const [path, variable] of weights ?? []) this.#weightNames.set(variable.dataId, path);
    for (const record of trace.records) record.constantOutputs?.forEach((data, i) => this.#folded.set(this.#key(record.outputs[i]!), data));
  }

  #key(v: TracedValue | tf.Tensor): string {
    return this.#trace.ids.key(v);
  }

  node(op: string, input: string[], attr: Record<string, AttrValue> = {}, name = this.names.claim(op)): string {
    this.nodes.push({ name, op, input, attr });
    return name;
  }

  define(v: TracedValue | tf.Tensor, tensor: string): void {
    this.#values.set(this.#key(v), tensor);
  }

  isDynamic(v: TracedValue | tf.Tensor): boolean {
    return this.#values.has(this.#key(v));
  }

  dynamic(v: TracedValue | tf.Tensor): string {
    const tensor = this.#values.get(this.#key(v));
    if (tensor === undefined) throw new Error(`GraphModel export: value of shape [${v.shape.join(', ')}] used before it was computed`);
    return tensor;
  }

  #constant(cacheKey: string, base: string, data: ConstantData, shape: readonly number[], dtype: tf.DataType): string {
    const cached = this.#constants.get(cacheKey);
    if (cached !== undefined) return cached;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') throw new Error(`GraphModel export: ${dtype} constants are not supported`);
    const name = this.node('Const', [], { dtype: tfType(dtype), value: { tensor: { dtype: tfTypes[dtype], tensorShape: tensorShape(shape) } } }, this.names.claim(base));
    this.weights.set(name, { name, shape: [...shape], dtype, data });
    this.#constants.set(cacheKey, name);
    return name;
  }

  /** A traced constant (weight, literal or folded kernel output); a weight's Const carries its parameter path. */
  traced(v: TracedValue): string {
    const data = this.#folded.get(this.#key(v)) ?? this.#trace.literals.get(v.dataId);
    if (data === undefined) throw new Error(`GraphModel export: a ${v.dtype} value of shape [${v.shape.join(', ')}] was neither computed nor constant`);
    return this.#constant(this.#key(v), this.#weightNames.get(v.dataId) ?? 'const', data, v.shape, v.dtype);
  }

  /** Any kernel input, dynamic or constant. */
  operand(v: TracedValue): string {
    return this.isDynamic(v) ? this.dynamic(v) : this.traced(v);
  }

  /** An int32 parameter (shape, perm, axis…) as a Const input; `shape` [] makes a scalar. */
  ints(values: readonly number[], shape: readonly number[] = [values.length]): string {
    return this.#constant(`int32|${shape.join('x')}|${values.join(',')}`, 'param', Int32Array.from(values), shape, 'int32');
  }

  scalar(value: number): string {
    return this.#constant(`float32||${value}`, 'scalar', Float32Array.of(value), [], 'float32');
  }
}

const unaryOps = ['Relu', 'Relu6', 'Tanh', 'Sigmoid', 'Elu', 'Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Rsqrt', 'Square', 'Erf', 'Floor', 'Ceil', 'Sin', 'Cos', 'Reciprocal', 'Softplus'];
const binaryOps: Record<string, string> = { Add: 'AddV2', Sub: 'Sub', Multiply: 'Mul', RealDiv: 'RealDiv', Maximum: 'Maximum', Minimum: 'Minimum', Pow: 'Pow', SquaredDifference: 'SquaredDifference' };
const reductions = ['Mean', 'Sum', 'Max', 'Min', 'Prod'];
/** tfjs fused activations as TF's fused_ops spell them (tfjs-converter lower-cases them back). */
const fusedActivations: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', leakyrelu: 'LeakyRelu', sigmoid: 'Sigmoid', prelu: 'Prelu' };

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [(v as number | undefined) ?? 1, (v as number | undefined) ?? 1]);
const nhwcList = (v: unknown): AttrValue => ints([1, ...pair(v), 1]);

/** tfjs' conv `pad` ('same', 'valid', a number for every side, or NHWC pairs) as TF's padding and explicit_paddings. */
function paddingAttrs(pad: unknown, dimRoundingMode: unknown): Record<string, AttrValue> {
  if (dimRoundingMode !== undefined && dimRoundingMode !== null) throw new Error(`GraphModel export: conv with dimRoundingMode ${String(dimRoundingMode)} has no TF padding`);
  if (pad === 'same' || pad === 'valid') return { padding: str(pad.toUpperCase()) };
  const pairs = typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] : (pad as number[][]);
  return { padding: str('EXPLICIT'), explicit_paddings: ints(pairs.flat()) };
}

function convAttrs(attrs: NamedAttrMap, withDilations = true): Record<string, AttrValue> {
  return {
    T: tfType('float32'),
    strides: nhwcList(attrs.strides),
    ...paddingAttrs(attrs.pad, attrs.dimRoundingMode),
    data_format: str(String(attrs.dataFormat ?? 'NHWC')),
    ...(withDilations ? { dilations: nhwcList(attrs.dilations) } : {}),
  };
}

/** The trailing inputs and attributes of _FusedConv2D / _FusedMatMul / FusedDepthwiseConv2dNative: bias, then prelu weights. */
function fusedTail(g: GraphDefBuilder, record: KernelRecord): { args: string[]; attr: Record<string, AttrValue> } {
  const { inputs, attrs, kernel } = record;
  const activation = String(attrs.activation ?? 'linear');
  const fused = fusedActivations[activation];
  if (activation !== 'linear' && fused === undefined) throw new Error(`GraphModel export: ${kernel} with fused activation ${activation} has no TF equivalent`);
  // tfjs-converter takes _FusedMatMul's first extra argument as the bias whatever fused_ops says.
  if (kernel === '_FusedMatMul' && inputs.bias === undefined && inputs.preluActivationWeights !== undefined) throw new Error('GraphModel export: _FusedMatMul with prelu weights but no bias');
  const args = [inputs.bias, inputs.preluActivationWeights].filter((v): v is TracedValue => v !== undefined).map((v) => g.operand(v));
  // The converter reads fused_ops[0] as the bias add and fused_ops[1] as the activation.
  const ops = fused === undefined ? (inputs.bias === undefined ? [] : ['BiasAdd']) : [inputs.bias === undefined ? '' : 'BiasAdd', fused];
  const alpha: Record<string, AttrValue> = typeof attrs.leakyreluAlpha === 'number' ? { leakyrelu_alpha: float(attrs.leakyreluAlpha) } : {};
  return { args, attr: { T: tfType('float32'), num_args: int(args.length), fused_ops: strs(ops), ...alpha } };
}

/** Emits the TF node of one dynamic kernel call and names its outputs. */
function translate(g: GraphDefBuilder, record: KernelRecord): void {
  const { kernel, inputs, attrs } = record;
  const input = (name: string): TracedValue => {
    const v = inputs[name];
    if (v === undefined) throw new Error(`GraphModel export: ${kernel} without input '${name}'`);
    return v;
  };
  const out = record.outputs[0]!;
  const T = { T: tfType(out.dtype) };
  const emit = (op: string, operands: string[], attr: Record<string, AttrValue> = {}): void => g.define(out, g.node(op, operands, attr));

  if (unaryOps.includes(kernel)) return emit(kernel, [g.operand(input('x'))], T);
  if (kernel in binaryOps) return emit(binaryOps[kernel]!, [g.operand(input('a')), g.operand(input('b'))], T);
  if (reductions.includes(kernel)) {
    const x = input('x');
    const axes = util.parseAxisParam((kernel === 'Max' ? attrs.reductionIndices : attrs.axis) as number | number[], [...x.shape]);
    return emit(kernel, [g.operand(x), g.ints(axes)], { keep_dims: bool(Boolean(attrs.keepDims)), Tidx: tfType('int32'), ...T });
  }

  switch (kernel) {
    case 'Identity':
      return emit('Identity', [g.operand(input('x'))], T);
    case 'Cast':
      return emit('Cast', [g.operand(input('x'))], { SrcT: tfType(input('x').dtype), DstT: tfType(attrs.dtype as tf.DataType) });
    case 'LeakyRelu':
      return emit('LeakyRelu', [g.operand(input('x'))], { alpha: float(attrs.alpha as number), ...T });
    case 'ClipByValue':
      return emit('ClipByValue', [g.operand(input('x')), g.scalar(attrs.clipValueMin as number), g.scalar(attrs.clipValueMax as number)], T);
    case 'AddN': {
      const terms = Object.values(inputs).map((v) => g.operand(v));
      return emit('AddN', terms, { N: int(terms.length), ...T });
    }
    case 'ZerosLike':
    case 'OnesLike':
      return emit(kernel, [g.operand(input('x'))], T);
    case 'Conv2D':
      return emit('Conv2D', [g.operand(input('x')), g.operand(input('filter'))], convAttrs(attrs));
    case 'DepthwiseConv2dNative':
      return emit('DepthwiseConv2dNative', [g.operand(input('x')), g.operand(input('filter'))], convAttrs(attrs));
    case 'FusedConv2D':
    case 'FusedDepthwiseConv2D': {
      const { args, attr } = fusedTail(g, record);
      const op = kernel === 'FusedConv2D' ? '_FusedConv2D' : 'FusedDepthwiseConv2dNative';
      return emit(op, [g.operand(input('x')), g.operand(input('filter')), ...args], { ...convAttrs(attrs), ...attr });
    }
    case 'Conv2DBackpropInput':
      // TF's order: input_sizes, filter, out_backprop; tfjs-converter replays it as conv2dTranspose.
      return emit('Conv2DBackpropInput', [g.ints(attrs.inputShape as number[]), g.operand(input('filter')), g.operand(input('dy'))], convAttrs(attrs, false));
    case 'BatchMatMul':
      return emit('BatchMatMulV2', [g.operand(input('a')), g.operand(input('b'))], { adj_x: bool(Boolean(attrs.transposeA)), adj_y: bool(Boolean(attrs.transposeB)), ...T });
    case '_FusedMatMul': {
      const { args, attr } = fusedTail(g, record);
      return emit('_FusedMatMul', [g.operand(input('a')), g.operand(input('b')), ...args], { transpose_a: bool(Boolean(attrs.transposeA)), transpose_b: bool(Boolean(attrs.transposeB)), ...attr });
    }
    case 'Reshape':
      return emit('Reshape', [g.operand(input('x')), g.ints(out.shape)], { Tshape: tfType('int32'), ...T });
    case 'ExpandDims':
      return emit('ExpandDims', [g.operand(input('input')), g.ints([attrs.dim as number], [])], { Tdim: tfType('int32'), ...T });
    case 'Transpose':
      return emit('Transpose', [g.operand(input('x')), g.ints(attrs.perm as number[])], { Tperm: tfType('int32'), ...T });
    case 'Tile':
      return emit('Tile', [g.operand(input('x')), g.ints(attrs.reps as number[])], { Tmultiples: tfType('int32'), ...T });
    case 'Slice': {
      const x = input('x');
      const [begin, size] = backend_util.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, attrs.begin as number[], attrs.size as number[]) as [number[], number[]];
      return emit('Slice', [g.operand(x), g.ints(begin), g.ints(size)], { Index: tfType('int32'), ...T });
    }
    case 'Concat': {
      // Inputs are keyed '0', '1', …: Object.values keeps their numeric order.
      const parts = Object.values(inputs).map((v) => g.operand(v));
      const axis = util.parseAxisParam(attrs.axis as number, [...out.shape])[0]!;
      return emit('ConcatV2', [...parts, g.ints([axis], [])], { N: int(parts.length), Tidx: tfType('int32'), ...T });
    }
    case 'Pack': {
      const parts = Object.values(inputs).map((v) => g.operand(v));
      return emit('Pack', parts, { N: int(parts.length), axis: int(attrs.axis as number), ...T });
    }
    case 'Unpack': {
      const x = input('value');
      const axis = util.parseAxisParam(attrs.axis as number, [...x.shape])[0]!;
      const name = g.node('Unpack', [g.operand(x)], { num: int(record.outputs.length), axis: int(axis), ...T });
      record.outputs.forEach((output, i) => g.define(output, `${name}:${i}`));
      return;
    }
    case 'MirrorPad':
      return emit('MirrorPad', [g.operand(input('x')), g.ints((attrs.paddings as number[][]).flat(), [out.shape.length, 2])], { mode: str(String(attrs.mode).toUpperCase()), Tpaddings: tfType('int32'), ...T });
    case 'PadV2':
      return emit('PadV2', [g.operand(input('x')), g.ints((attrs.paddings as number[][]).flat(), [out.shape.length, 2]), g.scalar(attrs.constantValue as number)], { Tpaddings: tfType('int32'), ...T });
    default:
      throw new Error(`GraphModel export: tfjs kernel ${kernel} has no TensorFlow.js graph translation yet`);
  }
}

/** The nodes `output` depends on, in their order: the trace may hold kernels whose results nothing used. */
function reachable(nodes: readonly NodeDef[], output: string): NodeDef[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const needed = new Set<string>();
  const pending = [output];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    for (const i of byName.get(name)?.input ?? []) pending.push(i.replace(/^\^/, '').replace(/:\d+$/, ''));
  }
  return nodes.filter((n) => needed.has(n.name));
}

/** One shard holding every weight in manifest order; float32 and int32 take 4 bytes an element, bool 1. */
function packWeights(entries: readonly WeightEntry[]): { specs: Array<Omit<WeightEntry, 'data'>>; data: Uint8Array } {
  const data = new Uint8Array(entries.reduce((n, e) => n + e.data.byteLength, 0));
  let offset = 0;
  for (const e of entries) {
    data.set(new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength), offset);
    offset += e.data.byteLength;
  }
  return { specs: entries.map(({ name, shape, dtype }) => ({ name, shape, dtype })), data };
}

function graphModelFromTrace(trace: KernelTrace, input: tf.Tensor, options: GraphModelExportOptions): Omit<GraphModelExport, 'output'> {
  const g = new GraphDefBuilder(trace, options.weights);
  const [wantedInput, wantedOutput] = [options.inputName ?? 'input', options.outputName ?? 'output'];
  // Claimed first, so no other node takes them; a tool feeds and fetches the graph by these names.
  const [inputName, outputName] = [g.names.claim(wantedInput), g.names.claim(wantedOutput)];
  if (inputName !== wantedInput || outputName !== wantedOutput) {
    throw new Error(`GraphModel export: input '${wantedInput}' and output '${wantedOutput}' must be distinct TF node names ([A-Za-z0-9_.-/])`);
  }
  g.define(input, g.node('Placeholder', [], { dtype: tfType(input.dtype), shape: { shape: tensorShape(input.shape) } }, inputName));
  for (const record of trace.records) {
    if (record.constantOutputs === undefined) translate(g, record);
  }
  const output = trace.output;
  if (!g.isDynamic(output)) throw new Error('GraphModel export: the output does not depend on the input');
  g.node('Identity', [g.dynamic(output)], { T: tfType(output.dtype) }, outputName);

  const nodes = reachable(g.nodes, outputName);
  const { specs, data } = packWeights(nodes.flatMap((n) => g.weights.get(n.name) ?? []));
  const signatureTensor = (name: string, t: tf.Tensor): object => ({ name: `${name}:0`, dtype: tfTypes[t.dtype], tensorShape: tensorShape(t.shape) });
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'gan-studio',
    convertedBy: 'gan-studio kernel trace',
    modelTopology: { node: nodes, library: {}, versions: { producer: 1, minConsumer: 0 } },
    signature: { inputs: { [inputName]: signatureTensor(inputName, input) }, outputs: { [outputName]: signatureTensor(outputName, output) } },
    ...(options.metadata === undefined ? {} : { userDefinedMetadata: options.metadata }),
    weightsManifest: [{ paths: [GRAPH_MODEL_WEIGHTS_FILE], weights: specs }],
  };
  return { modelJson, weightData: data };
}

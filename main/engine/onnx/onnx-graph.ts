// Builds ONNX graphs with onnx-proto: the tiny one-op graphs behind native kernels, and whole exported generators.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX opset the kernel graphs are written against (ReduceMean/ReduceMax still take `axes` as an attribute here). */
export const opsetVersion = 17;

/** An attribute value, tagged because ONNX distinguishes int from float attributes. */
export type AttributeValue = { int: number } | { ints: readonly number[] } | { float: number } | { string: string };

export const int = (value: number): AttributeValue => ({ int: value });
export const ints = (value: readonly number[]): AttributeValue => ({ ints: value });
export const float = (value: number): AttributeValue => ({ float: value });
export const string = (value: string): AttributeValue => ({ string: value });

function attributeProto(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
}

/** The element types kernel graphs exchange with tfjs. */
export type ElementType = 'float32' | 'bool';
const elementTypes: Record<ElementType, number> = { float32: onnx.TensorProto.DataType.FLOAT, bool: onnx.TensorProto.DataType.BOOL };

/** A dimension: fixed, or named (symbolic) so one session serves every size of it. */
export type Dim = number | string;

function valueInfo(name: string, shape: readonly Dim[], elemType: number): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * Accumulates nodes of one graph. Float32 inputs are fed at run time; int64 constants (axes, slice bounds) are
 * initializers baked into the model. Value names are generated so kernels only name their inputs and output.
 */
export class GraphBuilder {
  readonly #nodes: onnxProto.onnx.INodeProto[] = [];
  readonly #inputs: onnxProto.onnx.IValueInfoProto[] = [];
  readonly #outputs: onnxProto.onnx.IValueInfoProto[] = [];
  readonly #initializers: onnxProto.onnx.ITensorProto[] = [];
  #counter = 0;

  /** Declares a graph input (float32 unless said otherwise); returns its name. */
  input(name: string, shape: readonly Dim[], type: ElementType = 'float32'): string {
    this.#inputs.push(valueInfo(name, shape, elementTypes[type]));
    return name;
  }

  /** Declares `value` as the graph output `name` of the given shape (float32 unless said otherwise). */
  output(value: string, name: string, shape: readonly Dim[], type: ElementType = 'float32'): void {
    this.#outputs.push(valueInfo(name, shape, elementTypes[type]));
    if (value !== name) this.node('Identity', [value], {}, name);
  }

  /** An int64 constant tensor (1-D), e.g. axes or pads given as inputs. */
  int64s(values: readonly number[]): string {
    const name = `c${this.#counter++}`;
    this.#initializers.push({ name, dataType: onnx.TensorProto.DataType.INT64, dims: [values.length], int64Data: [...values] });
    return name;
  }

  /** A constant tensor (weights, folded values) stored as raw little-endian bytes; `name` defaults to a generated one. */
  constant(values: Float32Array | Int32Array | Uint8Array, dims: readonly number[], name?: string): string {
    const init = name ?? `c${this.#counter++}`;
    const dataType =
      values instanceof Float32Array
        ? onnx.TensorProto.DataType.FLOAT
        : values instanceof Int32Array
          ? onnx.TensorProto.DataType.INT32
          : onnx.TensorProto.DataType.BOOL;
    // ONNX raw_data is little-endian, as every platform Node and ORT ship for.
    const rawData = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    this.#initializers.push({ name: init, dataType, dims: [...dims], rawData });
    return init;
  }

  /** A float32 scalar constant, e.g. the bounds of Clip. */
  scalar(value: number): string {
    const name = `c${this.#counter++}`;
    this.#initializers.push({ name, dataType: onnx.TensorProto.DataType.FLOAT, dims: [], floatData: [value] });
    return name;
  }

  /** Appends `opType(inputs)` and returns the name of its (single) output. An empty input name is an omitted optional. */
  node(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, outputName?: string): string {
    const out = outputName ?? `v${this.#counter++}`;
    this.#nodes.push({
      opType,
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attributes).map(([name, value]) => attributeProto(name, value)),
    });
    return out;
  }

  /** Transposes unless `perm` is the identity. */
  transpose(value: string, perm: readonly number[]): string {
    if (perm.every((p, i) => p === i)) return value;
    return this.node('Transpose', [value], { perm: ints(perm) });
  }

  /** The serialized ModelProto; `metadata` becomes the model's metadata_props (readable by any ONNX tool). */
  encode(options: { graphName?: string; producer?: string; metadata?: Record<string, string> } = {}): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: options.producer ?? 'gan-studio-ort-kernels',
      opsetImport: [{ domain: '', version: opsetVersion }],
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: options.graphName ?? 'kernel',
        node: this.#nodes,
        input: this.#inputs,
        output: this.#outputs,
        initializer: this.#initializers,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

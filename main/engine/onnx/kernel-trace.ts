// Records the tfjs kernels one call of a forward function runs (name, inputs, attributes, outputs), like torch.jit.trace:
// the recording is what main/engine/onnx/export-onnx.ts turns into an ONNX graph.
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, getKernelsForBackend, registerKernel, unregisterKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** A value as the kernels saw it. Two tensors may share a dataId (tfjs-cpu's Reshape does), so the shape is part of its identity. */
export interface TracedValue {
  dataId: object;
  shape: readonly number[];
  dtype: tf.DataType;
}

export interface KernelRecord {
  kernel: string;
  inputs: Record<string, TracedValue>; // by the kernel's input name (x, filter, bias, a, b, …)
  attrs: NamedAttrMap;
  outputs: TracedValue[];
  /** The outputs' values, read at once when every input was already known to be constant (folded at export). */
  constantOutputs?: Array<Float32Array | Int32Array | Uint8Array>;
}

/** Small stable numbers for dataIds (opaque objects), so a value's identity can be a string key. */
export class DataIds {
  readonly #ids = new WeakMap<object, number>();
  #next = 1;

  of(dataId: object): number {
    let id = this.#ids.get(dataId);
    if (id === undefined) {
      id = this.#next++;
      this.#ids.set(dataId, id);
    }
    return id;
  }

  /** Identity of a traced value: its data and its shape. */
  key(v: { dataId: object; shape: readonly number[] }): string {
    return `${this.of(v.dataId)}:${v.shape.join('x')}`;
  }
}

export interface KernelTrace {
  records: KernelRecord[];
  /** Values of constants that no kernel produced (scalars and tensors made inside the function), by dataId. */
  literals: Map<object, Float32Array | Int32Array | Uint8Array>;
  output: tf.Tensor;
  ids: DataIds;
}

const toValue = (t: TensorInfo): TracedValue => ({ dataId: t.dataId, shape: [...t.shape], dtype: t.dtype });

/**
 * Runs `fn` once with every kernel of the active backend wrapped to record its call, then restores the kernels.
 * `dynamic` are the graph inputs: a kernel whose inputs all derive from anything else (weights, literals) is constant,
 * and its outputs' values are read right away so the exporter can fold it into an initializer.
 * The caller owns the returned `output` tensor.
 */
export function traceKernels(fn: () => tf.Tensor, dynamic: readonly tf.Tensor[]): KernelTrace {
  const backendName = tf.getBackend();
  const backend = tf.backend();
  const records: KernelRecord[] = [];
  const literals = new Map<object, Float32Array | Int32Array | Uint8Array>();
  const ids = new DataIds();
  const dynamicKeys = new Set(dynamic.map((t) => ids.key(t)));
  const produced = new Set<string>();
  const read = (dataId: object): Float32Array | Int32Array | Uint8Array => backend.readSync(dataId) as Float32Array | Int32Array | Uint8Array;

  const originals: KernelConfig[] = getKernelsForBackend(backendName).map((k) => getKernel(k.kernelName, backendName)!);
  const wrap = (config: KernelConfig): KernelConfig => ({
    ...config,
    kernelFunc: (args) => {
      const inputs: Record<string, TracedValue> = {};
      let isConstant = true;
      for (const [name, info] of Object.entries(args.inputs)) {
        if (info === undefined || info === null) continue;
        const value = toValue(info as TensorInfo);
        inputs[name] = value;
        const key = ids.key(value);
        if (dynamicKeys.has(key)) isConstant = false;
        else if (!produced.has(key) && !literals.has(value.dataId)) literals.set(value.dataId, read(value.dataId));
      }
      const result = config.kernelFunc(args);
      const outputs = (Array.isArray(result) ? result : [result]).map(toValue);
      for (const out of outputs) {
        const key = ids.key(out);
        produced.add(key);
        if (!isConstant) dynamicKeys.add(key);
      }
      records.push({
        kernel: config.kernelName,
        inputs,
        attrs: { ...(args.attrs ?? {}) },
        outputs,
        ...(isConstant ? { constantOutputs: outputs.map((o) => read(o.dataId).slice()) } : {}),
      });
      return result;
    },
  });

  for (const config of originals) {
    unregisterKernel(config.kernelName, backendName);
    registerKernel(wrap(config));
  }
  try {
    const output = fn();
    return { records, literals, output, ids };
  } finally {
    for (const config of originals) {
      unregisterKernel(config.kernelName, backendName);
      registerKernel(config);
    }
  }
}

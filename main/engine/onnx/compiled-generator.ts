// A generator's forward pass compiled to one ONNX Runtime session: interactive inference (sketch preview, transfer,
// sampling) in one native call, with batch norm folded and no per-kernel layout changes, instead of a tfjs kernel
// call per layer. Exported from a trace of the tfjs forward, so both always compute the same function.
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { OrtSyncSession } from '../ort-kernels/ort-sync-session.js';
import { exportOnnx } from './export-onnx.js';

export interface CompileOptions {
  /** ORT intra-op threads (default: every core; interactive inference has the machine to itself). */
  threads?: number;
  /** Weight variables by parameter path, to name the graph's initializers. */
  weights?: ReadonlyMap<string, tf.Variable>;
}

export interface CompiledGenerator {
  /** x [B, H, W, C] (B, H, W, C as compiled) → the forward's output, as a tfjs tensor the caller disposes. */
  run(x: tf.Tensor): tf.Tensor;
  /** The exported graph (NHWC input 'input', output 'output'), e.g. to save next to the model. */
  readonly model: Uint8Array;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  dispose(): void;
}

/**
 * Traces `forward` on a random input of `inputShape` and loads the export. The weights are baked in: recompile after
 * they change (a training step), which costs one traced forward plus session creation.
 */
export function compileGenerator(forward: (x: tf.Tensor) => tf.Tensor, inputShape: readonly number[], options: CompileOptions = {}): CompiledGenerator {
  const example = tf.randomUniform([...inputShape], -1, 1, 'float32', 7);
  let exported;
  try {
    exported = exportOnnx(forward, example, { layout: 'nhwc', ...(options.weights === undefined ? {} : { weights: options.weights }) });
  } finally {
    example.dispose();
  }
  const outputShape = [...exported.output.shape];
  exported.output.dispose();
  const session = new OrtSyncSession(exported.model, { intraOpThreads: options.threads ?? availableParallelism() });
  return {
    model: exported.model,
    inputShape: [...inputShape],
    outputShape,
    run(x) {
      if (x.shape.join() !== inputShape.join()) {
        throw new Error(`compiled generator takes [${inputShape.join(', ')}], got [${x.shape.join(', ')}]`);
      }
      const y = session.run({ input: { values: x.dataSync() as Float32Array, shape: x.shape } }).output;
      if (y === undefined || !(y.values instanceof Float32Array)) throw new Error('compiled generator: no float32 output');
      return tf.tensor(y.values, [...y.shape], 'float32');
    },
    dispose: () => session.dispose(),
  };
}

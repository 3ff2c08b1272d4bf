// The one place that touches onnxruntime-node's internal native binding: a synchronous session for tfjs CPU kernels.
//
// onnxruntime-node's public InferenceSession.run is async (it only defers the native call with setImmediate), but tfjs
// CPU kernels must return synchronously. Its native binding (`onnxruntime-node/dist/binding`) loads and runs
// synchronously, so we call it directly, exactly as `dist/backend.js` of onnxruntime-node 1.30.0 does:
//   initOrt(); const s = new binding.InferenceSession();
//   s.loadModel(buffer, byteOffset, byteLength, sessionOptions);
//   s.run(feeds /* name → Tensor */, fetches /* name → null */, runOptions) → name → Tensor
// That is an internal of a pinned version: `assertBindingContract` (run at load and by
// tests/unit/engine/ort-sync-session.test.ts) fails loudly when an upgrade changes it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The onnxruntime-node version whose internal binding this module was written against (package.json pins it). */
export const pinnedOrtVersion = '1.30.0';

interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

interface BindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: ReadonlyArray<{ name: string }>;
  readonly outputMetadata: ReadonlyArray<{ name: string }>;
  run(feeds: Record<string, OrtTensorLike>, fetches: Record<string, null>, options: object): Record<string, OrtTensorLike>;
  dispose(): void;
}

interface BindingModule {
  binding: { InferenceSession: new () => BindingSession; initOrtOnce: unknown; listSupportedBackends: unknown };
  initOrt: () => void;
}

type TensorCtor = new (type: 'float32' | 'bool', data: Float32Array | Uint8Array, dims: readonly number[]) => OrtTensorLike;

/** Throws, naming what changed, when the installed onnxruntime-node is not the binding this module was written for. */
export function assertBindingContract(): void {
  const version = (require('onnxruntime-node/package.json') as { version: string }).version;
  if (version !== pinnedOrtVersion) {
    throw new Error(`ort-sync-session: onnxruntime-node ${version} is installed but ${pinnedOrtVersion} is pinned; re-check its internal binding (dist/backend.js) before changing the pin`);
  }
  const mod = require('onnxruntime-node/dist/binding') as Partial<BindingModule>;
  const ctor = mod.binding?.InferenceSession;
  if (typeof mod.initOrt !== 'function' || typeof ctor !== 'function' || typeof mod.binding?.initOrtOnce !== 'function') {
    throw new Error('ort-sync-session: onnxruntime-node/dist/binding no longer exports { binding: { InferenceSession, initOrtOnce }, initOrt }');
  }
  for (const method of ['loadModel', 'run', 'dispose'] as const) {
    if (typeof (ctor.prototype as Record<string, unknown>)[method] !== 'function') {
      throw new Error(`ort-sync-session: binding.InferenceSession.prototype.${method} is missing`);
    }
  }
}

assertBindingContract();
const bindingModule = require('onnxruntime-node/dist/binding') as BindingModule;
// The Tensor class the binding was initialised with (initOrt passes onnxruntime-common's), resolved from onnxruntime-node
// itself so both agree even if another copy of onnxruntime-common is installed elsewhere.
const OrtTensor = (createRequire(require.resolve('onnxruntime-node'))('onnxruntime-common') as { Tensor: TensorCtor }).Tensor;

export interface SyncSessionOptions {
  /** Threads ORT may use inside one op (the caller's thread included). */
  intraOpThreads: number;
}

/** A float32 tensor crossing into or out of ORT: row-major values and their shape. */
export interface DenseFloat32 {
  values: Float32Array;
  shape: readonly number[];
}

/** A bool tensor (one byte per element, 0 or 1, as both tfjs-cpu and ORT store it). */
export interface DenseBool {
  values: Uint8Array;
  shape: readonly number[];
}

/** The tensors the kernels exchange with ORT: float32, or bool for comparisons and masks. */
export type DenseTensor = DenseFloat32 | DenseBool;

/** One loaded ONNX model whose `run` returns before the call does. */
export class OrtSyncSession {
  readonly #session: BindingSession;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  #disposed = false;

  constructor(model: Uint8Array, options: SyncSessionOptions) {
    bindingModule.initOrt();
    this.#session = new bindingModule.binding.InferenceSession();
    this.#session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: options.intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Errors only: a warning per tiny graph would flood the log.
      logSeverityLevel: 3,
      // Many small sessions each own a thread pool; spinning idle pools would steal the cores the running one needs.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    this.inputNames = this.#session.inputMetadata.map((m) => m.name);
    this.outputNames = this.#session.outputMetadata.map((m) => m.name);
  }

  /** Runs the graph on float32 / bool inputs (by input name) and returns every output (by output name). */
  run(feeds: Record<string, DenseTensor>): Record<string, DenseTensor> {
    if (this.#disposed) throw new Error('ort-sync-session: run after dispose');
    const ortFeeds: Record<string, OrtTensorLike> = {};
    for (const name of this.inputNames) {
      const feed = feeds[name];
      if (feed === undefined) throw new Error(`ort-sync-session: missing input '${name}'`);
      ortFeeds[name] = new OrtTensor(feed.values instanceof Uint8Array ? 'bool' : 'float32', feed.values, feed.shape);
    }
    const fetches: Record<string, null> = {};
    for (const name of this.outputNames) fetches[name] = null;
    const results = this.#session.run(ortFeeds, fetches, {});
    const out: Record<string, DenseTensor> = {};
    for (const name of this.outputNames) {
      const t = results[name];
      if (t !== undefined && t.type === 'float32' && t.data instanceof Float32Array) out[name] = { values: t.data, shape: t.dims };
      else if (t !== undefined && t.type === 'bool' && t.data instanceof Uint8Array) out[name] = { values: t.data, shape: t.dims };
      else throw new Error(`ort-sync-session: output '${name}' is neither a float32 nor a bool tensor`);
    }
    return out;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#session.dispose();
  }
}

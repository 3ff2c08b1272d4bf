// Swaps tfjs-cpu's heaviest kernels for ONNX Runtime ones (and back); the originals stay as fallback and test reference.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { conv2D, conv2DBackpropFilter, conv2DBackpropInput, fusedConv2D } from './conv-kernels.js';
import { addN, binaryKernel, mirrorPad, reduceKernel, select, transpose, unaryKernel, unaryKernelNames } from './elementwise-kernels.js';
import { batchMatMul, fusedMatMul } from './matmul-kernels.js';
import { KernelSessions } from './kernel-sessions.js';
import { slice, splitV, tile, unpack } from './copy-kernels.js';
import type { NativeKernelFactory } from './kernel-io.js';
import type { DenseFloat32 } from './ort-sync-session.js';

export interface OrtKernelOptions {
  /** ORT intra-op threads per kernel call (default 2). */
  threads?: number;
  /** Most ORT sessions (one per op, shape and attributes) kept loaded (default DEFAULT_MAX_SESSIONS). */
  maxSessions?: number;
  /** Elementwise kernels (binary, reductions, transpose, pad, unary) leave tensors smaller than this to tfjs-cpu (default 4096). */
  minElementwiseSize?: number;
  /** Install only these kernels (default: all native kernels). */
  only?: readonly string[];
}

/**
 * A training step runs the same cycle of (op, shape) graphs every iteration, and an LRU cache smaller than that cycle
 * misses on every call. The 64 px StyleGAN2 demo's step uses 283 graphs: at the former cap of 256 it rebuilt about 200
 * sessions per iteration, which took about a third longer, and churned memory (1.2 GB resident against 0.98 GB with all
 * 283 kept).
 * Single-op sessions are small, so the cap only guards against unbounded growth (e.g. ever-new image sizes).
 */
const DEFAULT_MAX_SESSIONS = 2048;

/** tfjs kernel name → native implementation. */
const nativeKernels: Readonly<Record<string, NativeKernelFactory>> = {
  Conv2D: conv2D,
  FusedConv2D: fusedConv2D,
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Add: binaryKernel('Add'),
  Sub: binaryKernel('Sub'),
  Multiply: binaryKernel('Multiply'),
  RealDiv: binaryKernel('RealDiv'),
  SquaredDifference: binaryKernel('SquaredDifference'),
  Greater: binaryKernel('Greater'),
  Select: select,
  AddN: addN,
  Sum: reduceKernel('Sum'),
  Mean: reduceKernel('Mean'),
  Max: reduceKernel('Max'),
  Transpose: transpose,
  MirrorPad: mirrorPad,
  Slice: slice,
  Unpack: unpack,
  SplitV: splitV,
  Tile: tile,
  ...Object.fromEntries(unaryKernelNames.map((name) => [name, unaryKernel(name)])),
};

/** The native kernels that can be installed, by tfjs kernel name. */
export const nativeKernelNames: readonly string[] = Object.keys(nativeKernels);

interface Installation {
  sessions: KernelSessions;
  references: KernelConfig[];
}

// tfjs' kernel registry is process-global, so the record of what we replaced is too.
let installation: Installation | undefined;

/**
 * Replaces tfjs-cpu kernels with native ones. Idempotent: installing again first restores the references, so new
 * options take effect. Returns the names of the kernels now native.
 */
export function installOrtKernels(options: OrtKernelOptions = {}): { installed: string[] } {
  uninstallOrtKernels();
  const sessions = new KernelSessions({ threads: options.threads ?? 2, maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS });
  const references: KernelConfig[] = [];
  const minElementwiseSize = options.minElementwiseSize ?? 4096;
  const preparedFilters = new WeakMap<object, DenseFloat32>();
  const names = nativeKernelNames.filter((name) => options.only === undefined || options.only.includes(name));
  for (const name of names) {
    const reference = getKernel(name, 'cpu');
    if (reference === undefined) continue;
    references.push(reference);
    unregisterKernel(name, 'cpu');
    registerKernel({ ...reference, kernelFunc: nativeKernels[name]!({ sessions, reference: reference.kernelFunc, minElementwiseSize, preparedFilters }) });
  }
  installation = { sessions, references };
  return { installed: references.map((r) => r.kernelName) };
}

/** Restores the original tfjs-cpu kernels and frees every ORT session. */
export function uninstallOrtKernels(): void {
  if (installation === undefined) return;
  for (const reference of installation.references) {
    unregisterKernel(reference.kernelName, 'cpu');
    registerKernel(reference);
  }
  installation.sessions.dispose();
  installation = undefined;
}

/** Statistics of the installed kernels: sessions loaded, sessions built, native runs by op (tests and the bench use them). */
export function ortKernelStats(): { sessions: number; built: number; runs: Record<string, number> } {
  return {
    sessions: installation?.sessions.size ?? 0,
    built: installation?.sessions.misses ?? 0,
    runs: Object.fromEntries(installation?.sessions.runs ?? []),
  };
}

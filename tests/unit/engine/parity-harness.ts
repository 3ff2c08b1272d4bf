// Runs the same tf ops with the original tfjs-cpu kernels and with the native ones, for parity tests.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { installOrtKernels, ortKernelStats, uninstallOrtKernels, type OrtKernelOptions } from '../../../main/engine/ort-kernels/index.js';

/** A seeded PRNG (mulberry32) so failing cases reproduce. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function intBetween(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** max |a − b| / (max |b| + 1e-6): the relative error the parity tests bound (NaN must meet NaN). */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < want.length; i++) {
    if (Object.is(got[i], want[i])) continue; // also NaN vs NaN and equal infinities
    const d = Math.abs(got[i]! - want[i]!);
    maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
    if (Number.isFinite(want[i]!)) maxRef = Math.max(maxRef, Math.abs(want[i]!));
  }
  return maxDiff / (maxRef + 1e-6);
}

export interface ParityCase {
  name: string;
  /** The kernel that must have run natively for this case. */
  kernel: string;
  /** Returns the tensors to compare; inputs must be created inside (it runs once per kernel set). */
  run: () => tf.Tensor | tf.Tensor[];
}

export interface ParityResult {
  name: string;
  error: number;
  shapesMatch: boolean;
  nativeRuns: number;
}

/** Each case with the reference kernels, then with the native ones installed; errors per case. */
export function compareWithReference(cases: readonly ParityCase[], options: OrtKernelOptions = {}): ParityResult[] {
  uninstallOrtKernels();
  const evaluate = (c: ParityCase): Array<{ shape: number[]; values: Float32Array }> =>
    tf.tidy(() => [c.run()].flat()).map((t) => {
      const out = { shape: t.shape, values: t.dataSync() as Float32Array };
      t.dispose();
      return out;
    });
  const reference = cases.map(evaluate);
  installOrtKernels(options);
  try {
    return cases.map((c, i) => {
      const before = ortKernelStats().runs[c.kernel] ?? 0;
      const native = evaluate(c);
      const nativeRuns = (ortKernelStats().runs[c.kernel] ?? 0) - before;
      const want = reference[i]!;
      const shapesMatch = native.length === want.length && native.every((t, j) => t.shape.join() === want[j]!.shape.join());
      const error = Math.max(0, ...native.map((t, j) => relativeError(t.values, want[j]?.values ?? [])));
      return { name: c.name, error, shapesMatch, nativeRuns };
    });
  } finally {
    uninstallOrtKernels();
  }
}

/** Seeded uniform values in [-1, 1). */
export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** Asserts every case matched the reference (relative error ≤ 1e-4) and really ran on a native kernel. */
export function expectNativeParity(cases: readonly ParityCase[], options: OrtKernelOptions = {}): void {
  for (const r of compareWithReference(cases, options)) {
    expect.soft(r.shapesMatch, `${r.name}: shapes`).toBe(true);
    expect.soft(r.error, `${r.name}: relative error`).toBeLessThanOrEqual(1e-4);
    expect.soft(r.nativeRuns, `${r.name}: ran natively`).toBeGreaterThan(0);
  }
}

/** tfjs conv padding as the parity tests draw it. */
export type ConvPad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

/** One randomly drawn NHWC conv: input, filter, stride, dilation and padding. */
export interface ConvGeometry {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  stride: number;
  dilation: number;
  pad: ConvPad;
}

export const describeConvGeometry = (g: ConvGeometry): string =>
  `x[${g.batch},${g.height},${g.width},${g.inChannels}] f[${g.filterHeight},${g.filterWidth},${g.inChannels},${g.outChannels}] s${g.stride} d${g.dilation} pad=${JSON.stringify(g.pad)}`;

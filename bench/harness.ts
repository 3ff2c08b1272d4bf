// What every bench case shares: timing (warm-up, median), JSON-line figures with ratios, peak RSS, the PyTorch
// reference runner, raw ONNX Runtime timing and the per-kernel profile of a tfjs step.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';

/** Timed repetitions per figure (env BENCH_STEPS, default 5); heavy cases cap it. */
export const benchSteps = Number(process.env.BENCH_STEPS ?? 5);
/** Threads for our kernels, ONNX Runtime and PyTorch alike (env BENCH_THREADS, default 2). */
export const benchThreads = Number(process.env.BENCH_THREADS ?? 2);

export const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

export function emit(record: Record<string, unknown>): void {
  console.log(JSON.stringify(record));
}

/** Peak resident set of this process so far, MiB (maxRSS is in KiB). */
export const peakRssMb = (): number => round(process.resourceUsage().maxRSS / 1024);

/** Median wall time (ms) of `steps` calls of `fn` after `warmup` untimed ones (those build ORT sessions and optimizer state). */
export function timeMedian(fn: () => void, warmup: number, steps: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function timeMedianAsync(fn: () => Promise<void>, warmup: number, steps: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A yardstick's time, or why there is none. */
export type Yardstick = { name: string; ms: number } | { name: string; missing: string };

/**
 * One figure: our median against a yardstick's, ratio = ours / yardstick (below 1: we are faster).
 * `peakRssMb` is ours at the end of our timing; a missing yardstick gives a note instead of a ratio.
 */
export function emitFigure(figure: { case: string; what: string; ours_ms: number; yardstick: Yardstick; peakRssMb: number; extra?: Record<string, unknown> }): void {
  const { yardstick } = figure;
  emit({
    case: figure.case,
    what: figure.what,
    ours_ms: round(figure.ours_ms),
    yardstick: yardstick.name,
    yardstick_ms: 'ms' in yardstick ? round(yardstick.ms) : null,
    ratio: 'ms' in yardstick ? round(figure.ours_ms / yardstick.ms, 2) : null,
    peak_rss_mb: figure.peakRssMb,
    threads: benchThreads,
    ...('missing' in yardstick ? { note: yardstick.missing } : {}),
    ...figure.extra,
  });
}

export const torchMissing = 'python3-torch not installed: apt-get install python3-torch';

let torchPythonCache: string | null | undefined;

/**
 * The first Python that imports torch: BENCH_PYTHON, then Debian's /usr/bin/python3 (python3-torch), then python3 on
 * PATH (a pyenv or venv python there usually lacks torch).
 */
export function torchPython(): string | undefined {
  if (torchPythonCache === undefined) {
    const candidates = [process.env.BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => p !== undefined && p !== '');
    torchPythonCache = candidates.find((python) => spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) ?? null;
  }
  return torchPythonCache ?? undefined;
}

/** Runs bench/reference/<script> with `args` and parses its last stdout line as JSON; or says why it could not. */
export function runTorchReference<T>(script: string, args: string[]): { ok: true; result: T } | { ok: false; missing: string } {
  const python = torchPython();
  if (python === undefined) return { ok: false, missing: torchMissing };
  const path = fileURLToPath(new URL(`./reference/${script}`, import.meta.url));
  const run = spawnSync(python, [path, '--threads', String(benchThreads), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) return { ok: false, missing: `${script} failed: ${run.stderr.trim().split('\n').pop() ?? `exit ${run.status}`}` };
  return { ok: true, result: JSON.parse(run.stdout.trim().split('\n').pop()!) as T };
}

/** A temp folder for exported graphs, removed by `dispose`. */
export function tempDir(): { path: string; dispose: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'gan-bench-'));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Median ms of raw onnxruntime-node (public async API, CPU, `benchThreads` intra-op threads, full graph optimisation)
 * running `onnxPath` on a random NCHW float input of `shape`.
 */
export async function timeOrtSession(onnxPath: string, shape: number[], warmup: number, steps: number): Promise<number> {
  const session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: benchThreads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  try {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: size }, () => Math.random() * 2 - 1);
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', data, shape) };
    return await timeMedianAsync(async () => {
      const out = await session.run(feeds);
      for (const t of Object.values(out)) t.dispose();
    }, warmup, steps);
  } finally {
    await session.release();
  }
}

/** Per-kernel time of one call of `fn` under tf.profile (kernels already warm), biggest first. */
export async function profileKernels(fn: () => void): Promise<{ wallMs: number; kernelMs: number; byKernel: Array<{ kernel: string; ms: number; calls: number }> }> {
  const t0 = performance.now();
  const info = await tf.profile(fn);
  const wallMs = performance.now() - t0;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  const backend = tf.getBackend();
  // Custom-gradient and named-op scopes are listed too, around the kernels they contain: count kernels only.
  for (const k of info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined)) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs);
    entry.calls++;
    byKernel.set(k.name, entry);
  }
  const kernelMs = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
  const ranked = [...byKernel.entries()].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms);
  return { wallMs, kernelMs, byKernel: ranked };
}

/** Emits a profile as JSON lines: a summary, then the top kernels with their share of kernel time. */
export async function emitProfile(caseName: string, fn: () => void, nativeKernels: readonly string[], top = 12): Promise<void> {
  const { wallMs, kernelMs, byKernel } = await profileKernels(fn);
  const native = new Set(nativeKernels);
  emit({ case: caseName, profile: 'summary', wall_ms: round(wallMs), kernel_ms: round(kernelMs), outside_kernels_ms: round(wallMs - kernelMs), note: 'one profiled step (profiling adds overhead); outside_kernels = engine bookkeeping, JS glue and GC' });
  for (const k of byKernel.slice(0, top)) {
    emit({ case: caseName, profile: 'kernel', kernel: k.kernel, native: native.has(k.kernel), ms: round(k.ms, 1), calls: k.calls, share: round(k.ms / kernelMs, 3) });
  }
}

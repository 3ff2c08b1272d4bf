// Bench: one DCGAN-64 training step (batch 16) with tfjs-cpu's own kernels, with the native ORT kernels, and in PyTorch.
// Prints JSON lines: timings, ratios ours/torch and ours/reference, and a per-kernel profile of our step.
// Run: node --import tsx bench/engine-kernels.ts   (env: BENCH_STEPS, BENCH_REF_BATCH (0 skips the reference), BENCH_THREADS)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { installOrtKernels, ortKernelStats, uninstallOrtKernels } from '../main/engine/ort-kernels/index.js';
import { createDcgan, createTrainer, latentSize } from './dcgan64.js';
import { benchThreads, median, profileKernels, round, runTorchReference } from './harness.js';

const batch = 16;
const steps = Number(process.env.BENCH_STEPS ?? 5);
// tfjs-cpu's reference kernels take minutes per batch-16 step; time a smaller batch and scale linearly (said in the output).
const referenceBatch = Number(process.env.BENCH_REF_BATCH ?? 4);
const threads = benchThreads;

const emit = (record: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'engine-kernels', ...record }));

function inputs(n: number): { real: tf.Tensor4D; z: tf.Tensor2D } {
  return { real: tf.randomUniform([n, 64, 64, 3], -1, 1, 'float32', 1) as tf.Tensor4D, z: tf.randomNormal([n, latentSize], 0, 1, 'float32', 2) as tf.Tensor2D };
}

/** Median wall time of `count` training steps after `warmup` ones. */
function timeSteps(n: number, warmup: number, count: number): number {
  const net = createDcgan();
  const trainer = createTrainer(net);
  const { real, z } = inputs(n);
  for (let i = 0; i < warmup; i++) trainer.step(real, z);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    trainer.step(real, z);
    times.push(performance.now() - t0);
  }
  tf.dispose([real, z]);
  return median(times);
}

async function profileStep(n: number, nativeKernels: readonly string[]): Promise<void> {
  const net = createDcgan();
  const trainer = createTrainer(net);
  const { real, z } = inputs(n);
  trainer.step(real, z); // build sessions outside the profile
  const { wallMs: wall, kernelMs, byKernel } = await profileKernels(() => void trainer.step(real, z));
  const native = new Set(nativeKernels);
  emit({ case: 'profile-summary', batch: n, wall_ms: round(wall), kernel_ms: round(kernelMs), outside_kernels_ms: round(wall - kernelMs), kernels: byKernel.reduce((a, k) => a + k.calls, 0), note: 'profiled step (profiling adds overhead); outside_kernels = engine bookkeeping, JS glue and GC' });
  for (const e of byKernel.slice(0, 15)) {
    emit({ case: 'profile', kernel: e.kernel, native: native.has(e.kernel), ms: round(e.ms, 2), calls: e.calls, share: round(e.ms / kernelMs, 3) });
  }
  tf.dispose([real, z]);
}

function torchMedian(): { ms: number; version: string } | { missing: string } {
  const run = runTorchReference<{ median_ms: number; torch: string }>('dcgan.py', ['--batch', String(batch), '--steps', String(steps)]);
  return run.ok ? { ms: run.result.median_ms, version: run.result.torch } : { missing: run.missing };
}

await tf.setBackend('cpu');

const { installed } = installOrtKernels({ threads });
const oursMs = timeSteps(batch, 2, steps);
emit({ case: 'dcgan64-train-step', kernels: 'tfjs-cpu + ort-kernels', threads, batch, steps, median_ms: round(oursMs), native: installed, sessions: ortKernelStats().sessions });
await profileStep(batch, installed);
uninstallOrtKernels();

let referenceAtBatch = NaN;
if (referenceBatch > 0) {
  const referenceMs = timeSteps(referenceBatch, 0, 1);
  referenceAtBatch = (referenceMs * batch) / referenceBatch;
  emit({ case: 'dcgan64-train-step', kernels: 'tfjs-cpu reference', batch: referenceBatch, steps: 1, median_ms: round(referenceMs), scaled_to_batch: batch, scaled_ms: round(referenceAtBatch), note: `1 step at batch ${referenceBatch}, scaled linearly to ${batch}` });
} else {
  emit({ case: 'dcgan64-train-step', kernels: 'tfjs-cpu reference', skipped: 'BENCH_REF_BATCH=0' });
}

const torch = torchMedian();
if ('ms' in torch) {
  emit({ case: 'dcgan64-train-step', kernels: `pytorch ${torch.version}`, threads, batch, steps, median_ms: round(torch.ms) });
  emit({ case: 'ratios', 'ours/torch': round(oursMs / torch.ms, 2), 'ours/reference': round(oursMs / referenceAtBatch, 4), 'reference/torch': round(referenceAtBatch / torch.ms, 1) });
} else {
  emit({ case: 'pytorch', available: false, reason: torch.missing });
  emit({ case: 'ratios', 'ours/reference': round(oursMs / referenceAtBatch, 4) });
}

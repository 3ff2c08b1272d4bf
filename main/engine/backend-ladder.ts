// Chooses the compute backend: tensorflow (tfjs-node[-gpu]) → webgpu (Dawn, real GPUs only) → cpu (native kernels).
// GAN_STUDIO_BACKEND forces one; every skipped rung records why, for the status bar and `gan-studio doctor`.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendInfo } from '../api/contract.js';
import { probeAdapter, registerWebgpuBackend } from './webgpu/dawn-adapter.js';

const require = createRequire(import.meta.url);
export const backendNames = ['tensorflow', 'webgpu', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

type Attempt = { ok: true; device: string } | { ok: false; reason: string };

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}

async function tryTensorflow(): Promise<Attempt> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require.resolve(pkg);
    } catch {
      continue;
    }
    try {
      await import(pkg);
      if (await tf.setBackend('tensorflow')) return { ok: true, device: pkg.endsWith('gpu') ? 'libtensorflow (CUDA)' : 'libtensorflow (CPU)' };
    } catch (err) {
      return { ok: false, reason: `${pkg} is installed but failed to load: ${errorText(err)}` };
    }
  }
  return { ok: false, reason: 'tfjs-node / tfjs-node-gpu are not installed (optional; their install needs libtensorflow)' };
}

/**
 * A real GPU through Dawn. A software adapter (SwiftShader, llvmpipe) is slower than the native CPU kernels, so it is
 * taken only when GAN_STUDIO_BACKEND=webgpu forces it (the tests do, to keep this path exercised without a GPU).
 */
async function tryWebgpu(allowSoftware: boolean): Promise<Attempt> {
  const probe = probeAdapter();
  if (!probe.ok) return { ok: false, reason: probe.reason };
  const { adapter } = probe;
  if (adapter.software && !allowSoftware) {
    return {
      ok: false,
      reason: `only a software adapter (${adapter.name}), slower than the native CPU kernels; GAN_STUDIO_BACKEND=webgpu uses it anyway`,
    };
  }
  try {
    const registered = await registerWebgpuBackend(adapter);
    if (!(await tf.setBackend('webgpu'))) return { ok: false, reason: `the tfjs webgpu backend failed to initialise on ${adapter.name}` };
    return { ok: true, device: registered.software ? `${registered.name}, software adapter` : registered.name };
  } catch (err) {
    return { ok: false, reason: `WebGPU on ${adapter.name} failed: ${errorText(err)}` };
  }
}

async function useCpu(): Promise<Attempt> {
  await tf.setBackend('cpu');
  const native = await installNativeCpuKernels();
  return { ok: true, device: native ? `CPU, ${native}` : 'CPU (pure JavaScript kernels)' };
}

/**
 * GAN_STUDIO_CPU_THREADS caps the native kernels' threads, so two trainings on a small machine each take one core
 * instead of both fighting over all of them. Anything but a positive integer keeps the kernels' default.
 */
export function cpuThreadsOverride(value = process.env['GAN_STUDIO_CPU_THREADS']): number | undefined {
  const threads = Number(value);
  return Number.isInteger(threads) && threads > 0 ? threads : undefined;
}

/** Installs the ONNX Runtime kernels when that module is present; returns a description or null. */
async function installNativeCpuKernels(): Promise<string | null> {
  try {
    const ortKernels = (await import('./ort-kernels/index.js')) as {
      installOrtKernels(o?: { threads?: number }): { installed: string[] };
    };
    const threads = cpuThreadsOverride();
    const { installed } = ortKernels.installOrtKernels(threads === undefined ? {} : { threads });
    return `native kernels via ONNX Runtime (${installed.length} ops${threads === undefined ? '' : `, ${threads} thread${threads === 1 ? '' : 's'}`})`;
  } catch (err) {
    console.error('[engine] native CPU kernels unavailable, using pure JS:', errorText(err));
    return null;
  }
}

export async function selectBackend(forced = process.env['GAN_STUDIO_BACKEND']): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = [];
  const ladder: BackendName[] = forced && (backendNames as readonly string[]).includes(forced) ? [forced as BackendName] : [...backendNames];
  if (forced && ladder.length === backendNames.length) skipped.push({ name: forced, reason: 'unknown GAN_STUDIO_BACKEND value, ignored' });
  for (const name of ladder) {
    const attempt =
      name === 'tensorflow' ? await tryTensorflow() : name === 'webgpu' ? await tryWebgpu(forced === 'webgpu') : await useCpu();
    if (attempt.ok) return { name, device: attempt.device, skipped };
    skipped.push({ name, reason: attempt.reason });
  }
  // A forced rung that failed still leaves the studio usable on the CPU.
  const cpu = await useCpu();
  return { name: 'cpu', device: cpu.ok ? cpu.device : 'CPU', skipped };
}

// Finds the WebGPU adapter Dawn (npm `webgpu`) offers and puts tfjs' webgpu backend on it, the way the backend expects in Node.
// The first look happens in a short child process (adapter-probe-child.ts): Dawn prints its driver warnings straight
// to stderr from C++ ("Couldn't load Vulkan: libvulkan.so.1 …"), so there they become the skip reason instead of noise,
// and a driver that crashes or hangs while enumerating cannot take the engine down.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { childExecArgv, siblingEntry, type ChildEntry } from '../child-entry.js';
import { ADAPTER_OPTIONS, PROBE_RESULT_ENV, PROBE_RESULT_PREFIX } from './probe-protocol.js';

const require = createRequire(import.meta.url);

/** How long the probe may take before it counts as a hung driver (the shell's utilityProcess probe too). */
export const PROBE_TIMEOUT_MS = 20_000;

/** What Dawn says about its adapter (GPUAdapterInfo), plus our verdict on whether it is a real GPU. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (SwiftShader, llvmpipe/lavapipe, WARP): slower than the native CPU kernels. */
  software: boolean;
  /** One human-readable line for the status bar, e.g. "SwiftShader driver 5.0.0 (google swiftshader)". */
  name: string;
}

export type AdapterProbe = { ok: true; adapter: AdapterSummary } | { ok: false; reason: string };

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver|warp/i;

export function summarizeAdapter(info: AdapterInfoLike, isFallbackAdapter?: boolean): AdapterSummary {
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const device = info.device ?? '';
  const description = info.description ?? '';
  // Dawn reports the fallback flag on adapter.info (current spec); older builds had it on the adapter itself.
  const software = info.isFallbackAdapter === true || isFallbackAdapter === true || SOFTWARE_NAMES.test([vendor, architecture, device, description].join(' '));
  const detail = [vendor, architecture].filter(Boolean).join(' ');
  const head = description || device || 'unnamed GPU';
  const name = detail && !head.toLowerCase().includes(detail.toLowerCase()) ? `${head} (${detail})` : head;
  return { vendor, architecture, device, description, software, name };
}

/** The probe's entry, beside this module. */
export const probeEntryPath = (): ChildEntry => siblingEntry(import.meta.url, 'adapter-probe-child');

function webgpuInstalled(): boolean {
  try {
    require.resolve('webgpu');
    return true;
  } catch {
    return false;
  }
}

/** Dawn's stderr lines that explain a missing adapter, without its C++ source locations. */
function dawnWarnings(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at ') && !/^Warning: vkCreateInstance failed/.test(line))
    .map((line) => line.replace(/^Warning:\s*/, ''))
    .filter((line, i, all) => all.indexOf(line) === i);
}

/** How a probe process ended, as either runtime reports it. */
export interface ProbeRun {
  /** It could not be started at all. */
  error?: string;
  status: number | null;
  signal?: string | null;
  stdout: string;
  stderr: string;
}

/** Reads a finished probe process into a verdict, with Dawn's own warnings as the reason when it found nothing. */
export function probeVerdict(run: ProbeRun): AdapterProbe {
  const warnings = dawnWarnings(run.stderr);
  const because = warnings.length > 0 ? `: ${warnings.join('; ').slice(0, 300)}` : '';
  if (run.error !== undefined) return { ok: false, reason: `the WebGPU adapter probe failed (${run.error})` };
  if (run.status !== 0) {
    const how = run.signal ? `was killed by ${run.signal}` : `exited with status ${run.status}`;
    return { ok: false, reason: `the WebGPU adapter probe ${how} (a GPU driver crash?)${because}` };
  }
  const line = run.stdout.split('\n').find((l) => l.startsWith(PROBE_RESULT_PREFIX));
  if (!line) return { ok: false, reason: `the WebGPU adapter probe printed no result${because}` };
  const found = FoundAdapter.safeParse(JSON.parse(line.slice(PROBE_RESULT_PREFIX.length)));
  if (!found.success) return { ok: false, reason: 'the WebGPU adapter probe printed a result it should not' };
  if (!found.data) return { ok: false, reason: `Dawn found no WebGPU adapter (no Vulkan/Metal/D3D12 driver)${because}` };
  return { ok: true, adapter: summarizeAdapter(found.data, found.data.adapterIsFallback) };
}

const FoundAdapter = z
  .object({
    vendor: z.string().optional(),
    architecture: z.string().optional(),
    device: z.string().optional(),
    description: z.string().optional(),
    isFallbackAdapter: z.boolean().optional(),
    adapterIsFallback: z.boolean().optional(),
  })
  .nullable();

const ProbeFromParent = z.union([
  z.object({ ok: z.literal(true), adapter: z.object({ vendor: z.string(), architecture: z.string(), device: z.string(), description: z.string(), software: z.boolean(), name: z.string() }) }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);

/**
 * Asks Dawn for an adapter in a child process of the same runtime (Electron's too, via ELECTRON_RUN_AS_NODE)
 * with this process's environment (VK_ICD_FILENAMES etc.). Synchronous; about 0.3 s. When the parent already probed
 * (PROBE_RESULT_ENV: the packaged Electron app, which cannot run its binary as Node), its verdict is taken instead.
 */
export function probeAdapter(env: NodeJS.ProcessEnv = process.env): AdapterProbe {
  const fromParent = env[PROBE_RESULT_ENV];
  if (fromParent !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromParent);
    } catch {
      parsed = undefined;
    }
    const probe = ProbeFromParent.safeParse(parsed);
    return probe.success ? probe.data : { ok: false, reason: `the WebGPU adapter probe's result in ${PROBE_RESULT_ENV} is not one` };
  }
  if (!webgpuInstalled()) return { ok: false, reason: 'the npm package `webgpu` (Dawn) is not installed' };
  const entry = probeEntryPath();
  const child = spawnSync(process.execPath, [...childExecArgv(entry.fromSource), entry.path], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
  });
  return probeVerdict({ error: child.error?.message, status: child.status, signal: child.signal, stdout: child.stdout ?? '', stderr: child.stderr ?? '' });
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/**
 * Makes Dawn's GPU the process's `navigator.gpu` and its GPU* classes and constants (GPUBufferUsage, GPUMapMode,
 * GPUTextureUsage, GPUShaderStage, …) globals, as the tfjs webgpu backend reads them from globalThis.
 * Node 21+ already has a `navigator` object: we add `gpu` to it rather than replacing it.
 */
function installWebgpuGlobals(dawn: DawnModule, gpu: GPU): void {
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const existing = (globalThis as { navigator?: object }).navigator;
  if (existing && typeof existing === 'object') {
    Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true, writable: true, enumerable: true });
    if ((existing as { gpu?: unknown }).gpu === gpu) return;
  }
  Object.defineProperty(globalThis, 'navigator', { value: { ...(existing ?? {}), gpu }, configurable: true, writable: true });
}

/**
 * Loads Dawn here, takes the adapter the probe saw, and registers tfjs' 'webgpu' backend on a device of it
 * (our own factory: the package's registers itself only if navigator.gpu existed when it was first imported,
 * and asks for an adapter again). Returns the adapter; throws with one line when something is off.
 */
export async function registerWebgpuBackend(expected: AdapterSummary): Promise<AdapterSummary> {
  const dawn = (await import('webgpu')) as unknown as DawnModule;
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter(ADAPTER_OPTIONS);
  if (!adapter) throw new Error('Dawn found an adapter in the probe but not in the engine process');
  const info = adapter.info as AdapterInfoLike;
  const summary = summarizeAdapter(info, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  if (summary.name !== expected.name) throw new Error(`Dawn offered "${summary.name}" here but "${expected.name}" in the probe`);
  installWebgpuGlobals(dawn, gpu);
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    // tfjs sizes its dispatches and buffers by these: ask for everything the adapter allows, as its own factory does.
    requiredLimits: {
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: adapter.limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  // Validation errors would otherwise surface only as wrong numbers; say once which kernel broke.
  let reported = 0;
  device.addEventListener('uncapturederror', (event) => {
    if (reported++ < 5) console.error('[engine] WebGPU error:', (event as GPUUncapturedErrorEvent).error.message.split('\n')[0]);
  });
  void device.lost.then((lost) => {
    if (lost.reason !== 'destroyed') console.error(`[engine] WebGPU device lost: ${lost.message}`);
  });
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu'); // the package's own factory, or an earlier device
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, info as GPUAdapterInfo), 3);
  return summary;
}

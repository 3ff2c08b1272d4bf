// The WebGPU adapter probe: a process of its own that asks Dawn for an adapter, prints what it found on one line and
// exits. Run by the engine (Node child process) or by the Electron shell (utilityProcess) before the engine loads Dawn:
// Dawn prints its driver warnings from C++ straight to stderr, and a driver that crashes or hangs while enumerating
// then takes down only this process.
import { ADAPTER_OPTIONS, PROBE_RESULT_PREFIX } from './probe-protocol.js';

interface DawnEntry {
  create(flags: string[]): GPU;
}

const { create } = (await import('webgpu')) as unknown as DawnEntry;
const adapter = await create([]).requestAdapter(ADAPTER_OPTIONS);
const info = adapter?.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
const found = adapter && info
  ? {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter: info.isFallbackAdapter,
      adapterIsFallback: (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
    }
  : null;
process.stdout.write(`\n${PROBE_RESULT_PREFIX}${JSON.stringify(found)}\n`);
process.exit(0); // Dawn's instance keeps the event loop alive otherwise

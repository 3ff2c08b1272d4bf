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
const resultLine = `${PROBE_RESULT_PREFIX}${JSON.stringify(found)}`;
process.stdout.write(`\n${resultLine}\n`);
// In an Electron utilityProcess the result also goes as a message: it has no 'close' event, so stdout read at 'exit'
// may be cut short. The message is sent over IPC, so the process lingers a moment for it (the shell kills it on
// receipt); under Node (spawnSync) it exits at once, stdout being complete there.
const parentPort = (process as unknown as { parentPort?: { postMessage(message: unknown): void } }).parentPort;
if (parentPort) {
  parentPort.postMessage(resultLine);
  setTimeout(() => process.exit(0), 2000);
} else {
  process.exit(0); // Dawn's instance keeps the event loop alive otherwise
}

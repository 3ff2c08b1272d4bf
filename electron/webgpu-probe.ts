// The WebGPU adapter probe for the Electron shell. The engine probes by starting its own binary as Node
// (ELECTRON_RUN_AS_NODE), which a package's RunAsNode fuse turns off, so here the shell runs the same probe entry in a
// utilityProcess before it starts the engine, and hands the verdict over in the engine's environment.
import { utilityProcess } from 'electron';
import { PROBE_TIMEOUT_MS, probeEntryPath, probeVerdict, type AdapterProbe } from '../main/engine/webgpu/dawn-adapter.js';
import { PROBE_RESULT_ENV } from '../main/engine/webgpu/probe-protocol.js';

export function probeAdapterInUtilityProcess(): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    const child = utilityProcess.fork(probeEntryPath().path, [], { serviceName: 'GAN Studio GPU probe', stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, PROBE_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(
        timedOut
          ? { ok: false, reason: `the WebGPU adapter probe did not finish within ${PROBE_TIMEOUT_MS / 1000} s (a hung GPU driver?)` }
          : probeVerdict({ status: code, stdout, stderr }),
      );
    });
  });
}

/** The engine's environment entry carrying the verdict. */
export const probeEnv = (probe: AdapterProbe): Record<string, string> => ({ [PROBE_RESULT_ENV]: JSON.stringify(probe) });

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
    let settled = false;
    const settle = (probe: AdapterProbe): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(probe);
    };
    // A child stuck in a GPU driver may never exit: the verdict comes at the limit, not at an 'exit' that never comes.
    const timer = setTimeout(() => {
      child.kill();
      settle({ ok: false, reason: `the WebGPU adapter probe did not finish within ${PROBE_TIMEOUT_MS / 1000} s (a hung GPU driver?)` });
    }, PROBE_TIMEOUT_MS);
    // The child posts its result line (whole, unlike stdout read at 'exit'), then lingers briefly: it is ended here.
    child.on('message', (message: unknown) => {
      if (typeof message !== 'string') return;
      settle(probeVerdict({ status: 0, stdout: message, stderr }));
      child.kill();
    });
    child.once('exit', (code) => settle(probeVerdict({ status: code, stdout, stderr })));
  });
}

/** The engine's environment entry carrying the verdict. */
export const probeEnv = (probe: AdapterProbe): Record<string, string> => ({ [PROBE_RESULT_ENV]: JSON.stringify(probe) });

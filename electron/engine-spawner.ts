// Starts the engine, and the short-lived processes that test-run an imported ONNX file, in Electron utilityProcesses
// (the same modules as the Node forks), so native crashes stay isolated. Only this main process can start them: the
// engine's own child_process.fork would run the app's binary as Node, which the RunAsNode fuse turns off.
import { utilityProcess } from 'electron';
import { childEnv } from '../main/engine/child-entry.js';
import { createEmptyWorkingDir } from '../main/engine/empty-working-dir.js';
import type { EngineSpawner } from '../main/engine/engine-host.js';
import { engineEntryPath } from '../main/engine/engine-host.js';
import type { EngineToHost } from '../main/engine/engine-protocol.js';
import type { TrialToHost } from '../main/engine/onnx/onnx-trial.js';
import { trialEntryPath, type TrialSpawner } from '../main/engine/onnx/trial-spawner.js';

/** `extraEnv`: what the engine gets beside the shell's environment (the shell's WebGPU probe verdict). */
export const utilityProcessSpawner = (extraEnv: Record<string, string> = {}): EngineSpawner => () => {
  // The engine opens untrusted files; main/ sends it absolute paths only, so its working directory can hold nothing.
  const cwd = createEmptyWorkingDir('engine');
  const child = utilityProcess.fork(engineEntryPath().path, [], { serviceName: 'GAN Studio engine', stdio: 'inherit', cwd: cwd.path, env: childEnv(extraEnv) });
  let alive = true;
  child.once('exit', () => {
    alive = false;
    cwd.remove();
  });
  return {
    get pid() {
      return child.pid ?? null;
    },
    send: (message) => {
      if (alive) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as EngineToHost)),
    onExit: (listener) => child.once('exit', (code) => listener(`exit code ${code}`)),
    kill: () => {
      child.kill();
    },
  };
};

/** Starts an ONNX test run's process (main/engine/onnx/onnx-trial-process.ts) for EngineHost, killable at any time. */
export const utilityProcessTrialSpawner: TrialSpawner = () => {
  // The graph is untrusted: whatever it resolves against the working directory (external data) finds nothing there.
  const cwd = createEmptyWorkingDir('onnx-trial');
  const child = utilityProcess.fork(trialEntryPath().path, [], { serviceName: 'GAN Studio ONNX test', stdio: 'inherit', cwd: cwd.path, env: childEnv() });
  let alive = true;
  child.once('exit', () => {
    alive = false;
    cwd.remove();
  });
  return {
    get pid() {
      return child.pid ?? null;
    },
    send: (message) => {
      if (alive) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as TrialToHost)),
    onExit: (listener) => child.once('exit', (code) => listener(`exit code ${code}`)),
    // utilityProcess has no 'error' for a failed start: it exits, and runTrial's start limit covers a silent one.
    onError: () => {},
    kill: () => {
      if (!alive) return;
      // A run stuck in ONNX Runtime's native code is ended by SIGKILL (utilityProcess.kill() sends SIGTERM on POSIX).
      if (child.pid !== undefined && process.platform !== 'win32') {
        try {
          process.kill(child.pid, 'SIGKILL');
          return;
        } catch {
          // gone meanwhile; kill() below is a no-op then
        }
      }
      child.kill();
    },
  };
};

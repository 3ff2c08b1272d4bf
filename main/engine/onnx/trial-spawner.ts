// How the studio (main/, the engine's host) starts the short-lived process that test-runs an untrusted ONNX graph
// (onnx-trial-process.ts). The host starts it, not the engine: inside the packaged Electron app the engine is a
// utilityProcess, whose child_process.fork would start the app's binary as Node, which the RunAsNode fuse forbids. Node
// uses child_process.fork (nodeTrialSpawner); the Electron shell passes a utilityProcess spawner
// (electron/engine-spawner.ts).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv, childExecArgv } from '../child-entry.js';
import { createEmptyWorkingDir } from '../empty-working-dir.js';
import type { TrialRequest, TrialToHost } from './onnx-trial.js';

/** One running test process, as runTrial (onnx-trial.ts) drives it. */
export interface TrialProcessHandle {
  readonly pid: number | null;
  send(message: TrialRequest): void;
  onMessage(listener: (message: TrialToHost) => void): void;
  /** `description`: how it ended ("exit code 1", "killed by SIGKILL"). */
  onExit(listener: (description: string) => void): void;
  /** The process could not be started or reached (fork's 'error'); it may not report an exit after this. */
  onError(listener: (error: Error) => void): void;
  /** Ends the process at once (SIGKILL where there is one): its run may be stuck in a native call. */
  kill(): void;
}

/** Starts one test process. */
export type TrialSpawner = () => TrialProcessHandle;

/** Path of the test process's entry next to this module (.ts when running from source under tsx/vitest). */
export function trialEntryPath(): { path: string; fromSource: boolean } {
  const self = fileURLToPath(import.meta.url);
  const fromSource = self.endsWith('.ts');
  return { path: self.replace(/trial-spawner\.(ts|js)$/, `onnx-trial-process.${fromSource ? 'ts' : 'js'}`), fromSource };
}

export const nodeTrialSpawner: TrialSpawner = () => {
  const entry = trialEntryPath();
  // The graph is untrusted: whatever it resolves against the working directory (external data) finds nothing there.
  const cwd = createEmptyWorkingDir('onnx-trial');
  const child = fork(entry.path, [], {
    cwd: cwd.path,
    execArgv: childExecArgv(entry.fromSource),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: childEnv(),
  });
  child.once('exit', () => cwd.remove());
  return {
    get pid() {
      return child.pid ?? null;
    },
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as TrialToHost)),
    onExit: (listener) => child.once('exit', (code, signal) => listener(signal === null ? `exit code ${code}` : `killed by ${signal}`)),
    onError: (listener) => child.once('error', listener),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
};

// Starts the engine, and the short-lived processes that test-run an imported ONNX file, in Electron utilityProcesses
// (the same modules as the Node forks), so native crashes stay isolated. Only this main process can start them: the
// engine's own child_process.fork would run the app's binary as Node, which the RunAsNode fuse turns off.
import { utilityProcess } from 'electron';
import { childEnv, type ChildEntry, type ChildHandle } from '../main/engine/child-entry.js';
import { createEmptyWorkingDir } from '../main/engine/empty-working-dir.js';
import { engineEntryPath, type EngineSpawner } from '../main/engine/engine-host.js';
import { trialEntryPath, type TrialSpawner } from '../main/engine/onnx/trial-spawner.js';

/**
 * The utilityProcess counterpart of main/engine/child-entry.ts' forkChild: an empty working directory of its own (the
 * child opens untrusted files), childEnv() plus `extraEnv`, messages through postMessage.
 */
function utilityChild<Out, In>(entry: ChildEntry, serviceName: string, workingDirName: string, extraEnv: Record<string, string> = {}): ChildHandle<Out, In> {
  const cwd = createEmptyWorkingDir(workingDirName);
  const child = utilityProcess.fork(entry.path, [], { serviceName, stdio: 'inherit', cwd: cwd.path, env: childEnv(extraEnv) });
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
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as In)),
    onExit: (listener) => child.once('exit', (code) => listener(`exit code ${code}`)),
    // utilityProcess has no 'error' for a failed start: it exits, and the callers' start limits cover a silent one.
    onError: () => {},
    kill: function kill() {
      if (!alive) return;
      // Not spawned yet (no pid): kill() now would do nothing and leave an idle process, so it is ended once it starts.
      if (child.pid === undefined) {
        child.once('spawn', () => kill());
        return;
      }
      // A child stuck in native code (an ONNX Runtime run) is ended by SIGKILL; utilityProcess.kill() sends SIGTERM on POSIX.
      if (process.platform !== 'win32') {
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
}

/** `extraEnv`: what the engine gets beside the shell's environment (the shell's WebGPU probe verdict). */
export const utilityProcessSpawner = (extraEnv: Record<string, string> = {}): EngineSpawner => () =>
  utilityChild(engineEntryPath(), 'GAN Studio engine', 'engine', extraEnv);

/** Starts an ONNX test run's process (main/engine/onnx/onnx-trial-process.ts) for EngineHost, killable at any time. */
export const utilityProcessTrialSpawner: TrialSpawner = () => utilityChild(trialEntryPath(), 'GAN Studio ONNX test', 'onnx-trial');

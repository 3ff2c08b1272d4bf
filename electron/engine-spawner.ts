// Starts the engine in an Electron utilityProcess (same module as the Node fork), so native crashes stay isolated.
import { utilityProcess } from 'electron';
import { childEnv } from '../main/engine/child-entry.js';
import { createEmptyWorkingDir } from '../main/engine/empty-working-dir.js';
import type { EngineSpawner } from '../main/engine/engine-host.js';
import { engineEntryPath } from '../main/engine/engine-host.js';
import type { EngineToHost } from '../main/engine/engine-protocol.js';

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

// Starts the engine in an Electron utilityProcess (same module as the Node fork), so native crashes stay isolated.
import { app, utilityProcess } from 'electron';
import type { EngineSpawner } from '../main/engine/engine-host.js';
import { engineEntryPath } from '../main/engine/engine-host.js';
import type { EngineToHost } from '../main/engine/engine-protocol.js';

export const utilityProcessSpawner: EngineSpawner = () => {
  // A package's RunAsNode fuse is off (electron-builder.yml): tell the engine it cannot start this binary as Node.
  const env = app.isPackaged ? { ...process.env, GAN_STUDIO_NO_RUN_AS_NODE: '1' } : process.env;
  const child = utilityProcess.fork(engineEntryPath().path, [], { serviceName: 'GAN Studio engine', stdio: 'inherit', env });
  let alive = true;
  child.once('exit', () => {
    alive = false;
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

// The engine process's link to its parent: Node's fork IPC, or Electron's utilityProcess parentPort.
import type { EngineToHost, HostToEngine } from './engine-protocol.js';

export interface EngineChannel {
  send(message: EngineToHost): void;
  onMessage(listener: (message: HostToEngine) => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function parentChannel(): EngineChannel {
  // Electron's utilityProcess exposes process.parentPort; Node's fork exposes process.send.
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as HostToEngine)),
    };
  }
  if (!process.send) throw new Error('The engine process must be started by GAN Studio (no IPC channel to a parent).');
  return {
    send: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as HostToEngine)),
  };
}

// Preload (sandboxed; esbuild bundles it to dist/electron/preload.cjs): exposes window.studio with exactly the contract's methods and events.
import { contextBridge, ipcRenderer } from 'electron';
import { eventNames, methodNames, type StudioBridge } from '../main/api/contract.js';

const methods = new Set<string>(methodNames);
const events = new Set<string>(eventNames);

const bridge: StudioBridge = {
  invoke(method, params) {
    if (!methods.has(method)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method ${String(method)}` } });
    return ipcRenderer.invoke(method, params);
  },
  on(event, listener) {
    if (!events.has(event)) throw new Error(`Unknown event ${String(event)}`);
    const handler = (_e: Electron.IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
  assetUrl: (assetId, variant) => `studio://asset/${assetId}/${variant}`,
};

contextBridge.exposeInMainWorld('studio', bridge);

// Preload (sandboxed; esbuild bundles it to dist/electron/preload.cjs): exposes window.studio with exactly the contract's methods and events.
import { contextBridge, ipcRenderer } from 'electron';
import type { StudioBridge } from '../main/api/contract.js';

// Filled in at bundle time from the contract (scripts/bundle-preload.js), so the sandboxed preload carries the
// channel names without bundling zod and the schemas.
declare const __CONTRACT_METHODS__: string[];
declare const __CONTRACT_EVENTS__: string[];
const methods = new Set<string>(__CONTRACT_METHODS__);
const events = new Set<string>(__CONTRACT_EVENTS__);

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

// Electron transport: one ipcMain.handle per contract method, events forwarded to our window only,
// and every call checked to come from our own top frame.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { methodNames } from '../main/api/contract.js';
import type { Outcome } from '../main/api/errors.js';
import type { Studio } from '../main/studio.js';
import { STUDIO_SCHEME } from './studio-protocol.js';

function fromOurFrame(event: IpcMainInvokeEvent, window: BrowserWindow): boolean {
  const frame = event.senderFrame;
  return (
    event.sender === window.webContents &&
    frame !== null &&
    frame.parent === null &&
    new URL(frame.url).protocol === `${STUDIO_SCHEME}:`
  );
}

export function bindIpc(studio: Studio, window: BrowserWindow): () => void {
  for (const method of methodNames) {
    ipcMain.handle(method, async (event, params: unknown): Promise<Outcome<unknown>> => {
      if (!fromOurFrame(event, window)) {
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an unknown frame was refused.' } };
      }
      return studio.dispatch(method, params);
    });
  }
  const unsubscribe = studio.events.onAny((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(event, payload);
  });
  return () => {
    unsubscribe();
    for (const method of methodNames) ipcMain.removeHandler(method);
  };
}

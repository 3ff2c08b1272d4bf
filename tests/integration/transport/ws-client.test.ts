// The renderer's client (lib/studio.ts over lib/ws-bridge.ts) on the real browser-window server: answers and refusals
// both come back as values, a refusal with the code the studio gave it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer } from '../../../main/transport/ws/server.js';
import { openStudio, type Studio as BackEnd } from '../../../main/studio.js';
import { Studio } from '../../../renderer/src/lib/studio.js';
import { WebSocketBridge, type SocketLike } from '../../../renderer/src/lib/ws-bridge.js';
import { tempDir } from '../../support/temp-home.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let backEnd: BackEnd;
let server: BrowserServer;
let bridge: WebSocketBridge;
let studio: Studio;

beforeAll(async () => {
  home = await tempDir();
  const rendererDir = path.join(home.dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  backEnd = await openStudio({ home: path.join(home.dir, 'library'), startEngine: false });
  server = await startBrowserServer(backEnd, { rendererDir });
  const host = `127.0.0.1:${server.port}`;
  // The page's own origin, as a browser sends it (the server refuses a socket from any other).
  const openSocket = (url: string) => new WebSocket(url, { headers: { Origin: `http://${host}` } }) as unknown as SocketLike;
  bridge = new WebSocketBridge({ token: server.token, host, openSocket });
  studio = new Studio(bridge, 'websocket', bridge);
});
afterAll(async () => {
  bridge.dispose();
  await server.close();
  await backEnd.close();
  await home.remove();
});

describe('the renderer client over the real WebSocket transport', () => {
  it('answers a call that works with { ok: true, value }', async () => {
    const created = await studio.call('projects.create', { name: 'Over the wire' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Over the wire', assetCount: 0 } });
  });

  it('answers a refused call with { ok: false, error: { code, message } }, never a throw', async () => {
    const taken = await studio.call('projects.create', { name: 'Over the wire' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS', message: expect.stringContaining('Over the wire') } });
    const invalid = await studio.call('projects.create', { name: '' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/^Invalid parameters for projects\.create: name/) } });
    const missing = await studio.call('jobs.cancel', { jobId: 424242 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Job 424242 does not exist.' } });
  });
});

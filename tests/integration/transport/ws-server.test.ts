// The browser-window transport: token, origin and host checks, payload cap, malformed calls, the pixel route.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer } from '../../../main/transport/ws/server.js';
import { openStudio, type Studio } from '../../../main/studio.js';
import { noiseImage } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let studio: Studio;
let server: BrowserServer;
let origin: string;

beforeAll(async () => {
  home = await tempDir();
  const rendererDir = path.join(home.dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  studio = await openStudio({ home: path.join(home.dir, 'library'), startEngine: false });
  server = await startBrowserServer(studio, { rendererDir });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await studio.close();
  await home.remove();
});

function connect(query: string, headers: Record<string, string> = { Origin: origin }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; id: number; result: never };
      if (message.type === 'result' && (message.id === id || message.id === null)) {
        ws.off('message', onMessage);
        resolve(message.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(typeof payload === 'string' ? payload : JSON.stringify({ ...(payload as object), id }));
  });
}

describe('browser-window server', () => {
  it('refuses a missing or wrong token, a foreign Origin and a foreign Host', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 401');
    await expect(connect('?token=wrong')).rejects.toThrow('HTTP 401');
    await expect(connect(`?token=${server.token}`, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(`?token=${server.token}`, { Origin: origin, Host: `evil.example:${server.port}` })).rejects.toThrow('HTTP 403');
  });

  it('runs contract calls and returns errors as values', async () => {
    const ws = await connect(`?token=${server.token}`);
    const created = await call(ws, { type: 'call', method: 'projects.create', params: { name: 'Over the wire' } });
    expect(created).toMatchObject({ ok: true, value: { name: 'Over the wire', assetCount: 0 } });
    expect(await call(ws, { type: 'call', method: 'projects.create', params: { name: 42 } })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await call(ws, { type: 'call', method: 'fs.readAnything', params: {} })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await call(ws, '{not json')).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await call(ws, { type: 'call', method: '__proto__', params: {} })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    ws.close();
  });

  it('answers every hostile frame with an error value and stays alive (a null frame used to kill the studio)', async () => {
    const ws = await connect(`?token=${server.token}`);
    const answers: Array<{ id: unknown; result: { ok: boolean; error?: { code: string; message: string } } }> = [];
    ws.on('message', (data) => answers.push(JSON.parse(data.toString()) as never));
    const frames: Array<string | Buffer> = [
      'null',
      '42',
      '"call"',
      '[1,2]',
      'true',
      '{not json',
      '',
      JSON.stringify({ type: 'call', method: 'projects.list', params: {} }), // no id
      JSON.stringify({ type: 'call', id: 'seven', method: 'projects.list', params: {} }), // wrong id type
      JSON.stringify({ type: 'call', id: 1.5, method: 'projects.list', params: {} }),
      JSON.stringify({ type: 'call', id: 2 ** 60, method: 'projects.list', params: {} }),
      JSON.stringify({ type: 'call', id: null, method: 'projects.list', params: {} }),
      Buffer.from([0xff, 0x00, 0x01]), // binary
      JSON.stringify({ type: 'call', id: 101, method: 'no.such', params: {} }),
      JSON.stringify({ type: 'call', id: 102, method: 42, params: {} }),
      JSON.stringify({ type: 'cast', id: 103, method: 'projects.list', params: {} }),
      JSON.stringify({ type: 'call', id: 104, method: 'projects.create', params: 'Cats' }),
      JSON.stringify({ type: 'call', id: 105, method: 'projects.create', params: [1] }),
      JSON.stringify({ type: 'call', id: -106, method: 'assets.list', params: { projectId: -1 } }),
      JSON.stringify({ type: 'call', id: 107, method: 'x'.repeat(1_000_000), params: {} }), // large, under the cap
      '{"type":"call","id":108,"method":"projects.create","params":{"__proto__":{"polluted":true},"name":"P"}}',
    ];
    for (const frame of frames) ws.send(frame);
    await vi.waitFor(() => expect(answers).toHaveLength(frames.length), { timeout: 10_000 });
    for (const answer of answers) {
      expect(answer.result.ok).toBe(false);
      expect(answer.result.error!.message).toMatch(/\.$/); // a sentence, never an exception's dump
    }
    const byId = new Map(answers.map((a) => [a.id, a.result.error!.code]));
    expect(answers.filter((a) => a.id === null)).toHaveLength(13);
    expect(Object.fromEntries([101, 102, 103, 104, 105, -106, 107, 108].map((id) => [id, byId.get(id)]))).toEqual({
      101: 'UNKNOWN_METHOD', 102: 'INVALID_PARAMS', 103: 'INVALID_PARAMS', 104: 'INVALID_PARAMS', 105: 'INVALID_PARAMS', [-106]: 'INVALID_PARAMS', 107: 'UNKNOWN_METHOD', 108: 'INVALID_PARAMS',
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // Still serving, on the same socket.
    expect(await call(ws, { type: 'call', method: 'studio.info', params: {} })).toMatchObject({ ok: true });
    ws.close();
  });

  it('closes the socket on an oversized payload and keeps serving others', async () => {
    const ws = await connect(`?token=${server.token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(101 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const other = await connect(`?token=${server.token}`);
    expect(await call(other, { type: 'call', method: 'projects.list', params: {} })).toMatchObject({ ok: true });
    other.close();
  });

  it('serves asset pixels only with the token, and never files outside the renderer', async () => {
    const project = studio.library.createProject('Pixels');
    const bytes = await noiseImage(40, 30, 'png', 7);
    const result = await studio.dispatch('assets.upload', { projectId: project.id, files: [{ name: 'a.png', dataBase64: bytes.toString('base64') }] });
    expect(result.ok).toBe(true);
    const assetId = (result as { value: { imported: { id: number }[] } }).value.imported[0]!.id;
    const base = `http://127.0.0.1:${server.port}`;

    const full = await fetch(`${base}/asset/${assetId}/full?token=${server.token}`);
    expect(full.status).toBe(200);
    expect(Buffer.from(await full.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(`${base}/asset/${assetId}/thumb?token=${server.token}`)).headers.get('content-type')).toBe('image/webp');
    expect((await fetch(`${base}/asset/${assetId}/full`)).status).toBe(401);
    expect((await fetch(`${base}/asset/999999/full?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${base}/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetch(`${base}/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });

  it("sends the page a CSP that lets it open a WebSocket to this server's origin only", async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    const connectSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src'));
    expect(connectSrc).toBe(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/:\*/); // no wildcard port
  });
});

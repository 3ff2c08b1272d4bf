// Browser-window transport: serves the built renderer and a token-protected WebSocket on 127.0.0.1 only,
// plus the asset pixel route. Same dispatch as Electron IPC; nothing here knows about handlers.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AssetVariant } from '../../api/contract.js';
import { toErrorShape, type ErrorCode } from '../../api/errors.js';
import type { Studio } from '../../studio.js';
import { browserWindowCsp } from '../content-security-policy.js';
import { MAX_WS_PAYLOAD_BYTES, type ClientMessage, type ServerMessage } from './protocol.js';
import { contentTypeOf } from './content-types.js';

export interface BrowserServer {
  readonly url: string; // page URL including the token
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export interface BrowserServerOptions {
  rendererDir: string; // built renderer (dist/renderer)
  port?: number; // 0 = any free port
  token?: string;
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const refusal = (id: number | null, code: ErrorCode, message: string): ServerMessage => ({ type: 'result', id, result: { ok: false, error: { code, message } } });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A frame as a call, or the error frame that answers it. Anything may arrive (binary, `null`, an array, a string id),
 * so nothing is assumed before it is checked; an id is echoed only when it is a safe integer, else `id: null`.
 */
export function parseCall(data: WebSocket.RawData, isBinary: boolean): { ok: true; call: ClientMessage } | { ok: false; refusal: ServerMessage } {
  if (isBinary) return { ok: false, refusal: refusal(null, 'INVALID_PARAMS', 'Binary frames are not part of the protocol: send each call as one JSON text frame.') };
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { ok: false, refusal: refusal(null, 'INVALID_PARAMS', 'Malformed message: expected one JSON object per frame.') };
  }
  if (!isRecord(message)) return { ok: false, refusal: refusal(null, 'INVALID_PARAMS', 'Malformed message: expected a JSON object with type, id, method and params.') };
  const id = typeof message['id'] === 'number' && Number.isSafeInteger(message['id']) ? message['id'] : null;
  if (id === null) return { ok: false, refusal: refusal(null, 'INVALID_PARAMS', 'Malformed call: its id must be an integer.') };
  if (message['type'] !== 'call') return { ok: false, refusal: refusal(id, 'INVALID_PARAMS', 'Malformed call: its type must be "call".') };
  if (typeof message['method'] !== 'string') return { ok: false, refusal: refusal(id, 'INVALID_PARAMS', 'Malformed call: its method must be a string.') };
  return { ok: true, call: { type: 'call', id, method: message['method'], params: message['params'] } };
}

export async function startBrowserServer(studio: Studio, options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let port = 0;
  // Only our own origin may talk to us: blocks other web pages and DNS-rebinding through a foreign Host name.
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = http.createServer((req, res) => {
    void handleHttp(req, res).catch((err) => {
      console.error('[ws-server] request failed:', err);
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) return void res.writeHead(403).end('Forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const assetMatch = /^\/asset\/(\d+)\/([a-z]+)$/.exec(url.pathname);
    if (assetMatch) {
      if (!sameToken(url.searchParams.get('token'), token)) return void res.writeHead(401).end('Missing or wrong token');
      const variant = AssetVariant.safeParse(assetMatch[2]);
      if (!variant.success) return void res.writeHead(404).end();
      let file: string;
      try {
        file = studio.library.assetFilePath(Number(assetMatch[1]), variant.data);
      } catch (err) {
        const { code, message } = toErrorShape(err);
        return void res.writeHead(code === 'NOT_FOUND' ? 404 : 400).end(message);
      }
      // Files are content-addressed, so a URL's bytes never change.
      return sendFile(res, file, 'private, max-age=31536000, immutable');
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(rendererDir + path.sep)) return void res.writeHead(403).end();
    return sendFile(res, file, relative === 'index.html' ? 'no-store' : 'no-cache', req.headers.host!);
  }

  async function sendFile(res: http.ServerResponse, file: string, cacheControl: string, host?: string): Promise<void> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return void res.writeHead(404).end('Not found');
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': info.size,
      'Cache-Control': cacheControl,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // The renderer's pages: a WebSocket to this server's own origin only (host was checked against allowedHosts).
      ...(host ? { 'Content-Security-Policy': browserWindowCsp(host) } : {}),
    });
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(403, 'Forbidden');
    if (!allowedOrigins().has(req.headers.origin ?? '')) return refuse(403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  wss.on('connection', (ws) => {
    // Oversized or malformed frames close this socket (ws sends 1009/1002); the server itself carries on.
    ws.on('error', (err) => console.warn(`[ws-server] connection closed: ${err.message}`));
    ws.on('message', (data, isBinary) => {
      // A frame must never become an unhandled rejection: in browser-window mode that ends the whole studio.
      onMessage(ws, data, isBinary).catch((err: unknown) => {
        console.error('[ws-server] a frame could not be answered:', err);
        send(ws, refusal(null, 'INTERNAL', 'The studio could not answer this message.'));
      });
    });
  });

  async function onMessage(ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): Promise<void> {
    const parsed = parseCall(data, isBinary);
    if (!parsed.ok) return send(ws, parsed.refusal);
    const result = await studio.dispatch(parsed.call.method, parsed.call.params);
    send(ws, { type: 'result', id: parsed.call.id, result });
  }

  const unsubscribe = studio.events.onAny((event, payload) => {
    const text = JSON.stringify({ type: 'event', event, payload } satisfies ServerMessage);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

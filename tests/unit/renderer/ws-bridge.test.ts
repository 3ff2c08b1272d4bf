// The browser-mode client: answers matched to calls by id, events fanned out, lost links reported and re-made.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketBridge, type ConnectionState, type SocketLike } from '../../../renderer/src/lib/ws-bridge.js';

class FakeSocket implements SocketLike {
  sent: { type: string; id: number; method: string; params: unknown }[] = [];
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
    this.onclose?.({} as CloseEvent);
  }
  open(): void {
    this.onopen?.({} as Event);
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
  /** The server or the network drops the link. */
  drop(): void {
    this.onclose?.({} as CloseEvent);
  }
}

let sockets: FakeSocket[];
let states: ConnectionState[];
let bridge: WebSocketBridge;
const latest = () => sockets[sockets.length - 1]!;

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  states = [];
  bridge = new WebSocketBridge({
    token: 'a b/c',
    host: '127.0.0.1:4321',
    callWaitMs: 1000,
    backoffMs: [100, 200],
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
  });
  bridge.onStateChange((state) => states.push(state));
});
afterEach(() => {
  bridge.dispose();
  vi.useRealTimers();
});

describe('WebSocketBridge', () => {
  it('connects to the page origin with the token, and builds asset URLs with it', () => {
    expect(latest().url).toBe('ws://127.0.0.1:4321/ws?token=a%20b%2Fc');
    expect(bridge.assetUrl(7, 'thumb')).toBe('/asset/7/thumb?token=a%20b%2Fc');
  });

  it('holds calls made before the socket opens, then matches answers to calls by id', async () => {
    const list = bridge.invoke('projects.list', {});
    const create = bridge.invoke('projects.create', { name: 'Cats' });
    await vi.advanceTimersByTimeAsync(10);
    expect(latest().sent).toEqual([]);

    latest().open();
    await vi.advanceTimersByTimeAsync(0);
    const [first, second] = latest().sent;
    expect(first).toMatchObject({ type: 'call', method: 'projects.list', params: {} });
    expect(second).toMatchObject({ type: 'call', method: 'projects.create', params: { name: 'Cats' } });
    expect(first!.id).not.toBe(second!.id);

    // Answered out of order.
    latest().receive({ type: 'result', id: second!.id, result: { ok: false, error: { code: 'ALREADY_EXISTS', message: 'taken' } } });
    latest().receive({ type: 'result', id: first!.id, result: { ok: true, value: [] } });
    expect(await list).toEqual({ ok: true, value: [] });
    expect(await create).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS', message: 'taken' } });
  });

  it('fans events out to every listener of that event, even when one of them throws', () => {
    latest().open();
    const got: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    bridge.on('engine.state', () => {
      throw new Error('broken listener');
    });
    const off = bridge.on('engine.state', (info) => got.push(info.state));
    bridge.on('job.progress', () => got.push('wrong event'));
    const info = { state: 'ready', pid: 1, restarts: 0, backend: null };
    latest().receive({ type: 'event', event: 'engine.state', payload: info });
    off();
    latest().receive({ type: 'event', event: 'engine.state', payload: info });
    expect(got).toEqual(['ready']);
  });

  it('answers calls in flight with a lost-connection error when the link drops, then reconnects with backoff', async () => {
    latest().open();
    const pending = bridge.invoke('studio.info', {});
    await vi.advanceTimersByTimeAsync(0);
    latest().drop();
    const outcome = await pending;
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('ENGINE_ERROR');
    expect(!outcome.ok && outcome.error.message).toMatch(/Lost connection to the studio/);

    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2);
    latest().drop(); // the studio is still away: the next attempt waits longer
    await vi.advanceTimersByTimeAsync(150);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(50);
    expect(sockets).toHaveLength(3);

    // A call made while away goes out on the new socket once it opens.
    const later = bridge.invoke('projects.list', {});
    latest().open();
    await vi.advanceTimersByTimeAsync(0);
    const call = latest().sent[0]!;
    latest().receive({ type: 'result', id: call.id, result: { ok: true, value: [] } });
    expect(await later).toEqual({ ok: true, value: [] });
    expect(states).toEqual(['open', 'closed', 'open']);
  });

  it('gives up on a call after waiting callWaitMs for a connection', async () => {
    const call = bridge.invoke('projects.list', {});
    await vi.advanceTimersByTimeAsync(1000);
    const outcome = await call;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'ENGINE_ERROR' } });
    expect(!outcome.ok && outcome.error.message).toMatch(/Lost connection to the studio/);
    expect(latest().sent).toEqual([]);
  });

  it('ignores malformed frames and answers to unknown ids', async () => {
    latest().open();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    latest().onmessage?.({ data: 'not json' } as MessageEvent);
    latest().receive({ type: 'result', id: 999, result: { ok: true, value: 1 } });
    const call = bridge.invoke('projects.list', {});
    await vi.advanceTimersByTimeAsync(0);
    latest().receive({ type: 'result', id: latest().sent[0]!.id, result: { ok: true, value: [] } });
    expect(await call).toEqual({ ok: true, value: [] });
  });

  it('logs an error frame with id null (a message the studio could not read) and leaves calls in flight waiting', async () => {
    latest().open();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    warn.mockClear(); // an earlier test's spy may still hold its calls
    const call = bridge.invoke('projects.list', {});
    await vi.advanceTimersByTimeAsync(0);
    latest().receive({ type: 'result', id: null, result: { ok: false, error: { code: 'INVALID_PARAMS', message: 'Malformed call: its id must be an integer.' } } });
    latest().receive(null);
    expect(warn.mock.calls.map((args) => String(args[0]))).toEqual([
      '[studio] the studio refused a message it could not match to a call: INVALID_PARAMS Malformed call: its id must be an integer.',
      '[studio] ignored a malformed message from the studio',
    ]);
    latest().receive({ type: 'result', id: latest().sent[0]!.id, result: { ok: true, value: [] } });
    expect(await call).toEqual({ ok: true, value: [] });
  });
});

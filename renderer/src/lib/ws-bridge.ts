// StudioBridge over the loopback WebSocket (browser-window mode): request ids, event fan-out, reconnect with backoff.
import type { AssetVariant, EventName, EventOf, StudioBridge } from '../../../main/api/contract';

type Outcome = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } };
type ServerMessage = { type: 'result'; id: number; result: Outcome } | { type: 'event'; event: string; payload: unknown };
export type ConnectionState = 'connecting' | 'open' | 'closed';

const CALL_WAIT_MS = 15_000;
const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

export class WebSocketBridge implements StudioBridge {
  #token: string;
  #socket: WebSocket | null = null;
  #nextId = 1;
  #pending = new Map<number, (outcome: Outcome) => void>();
  #listeners = new Map<string, Set<(payload: unknown) => void>>();
  #waitingForOpen: (() => void)[] = [];
  #attempt = 0;
  state: ConnectionState = 'connecting';
  onStateChange: (state: ConnectionState) => void = () => undefined;

  constructor(token: string) {
    this.#token = token;
    this.#connect();
  }

  invoke(method: string, params: unknown): Promise<never> {
    return this.#whenOpen().then((open) => {
      if (!open) return lost('The studio is not reachable. Is it still running?');
      const id = this.#nextId++;
      return new Promise<Outcome>((resolve) => {
        this.#pending.set(id, resolve);
        this.#socket!.send(JSON.stringify({ type: 'call', id, method, params }));
      });
    }) as Promise<never>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set);
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  assetUrl(assetId: number, variant: AssetVariant): string {
    return `/asset/${assetId}/${variant}?token=${encodeURIComponent(this.#token)}`;
  }

  #setState(state: ConnectionState): void {
    this.state = state;
    this.onStateChange(state);
  }

  #connect(): void {
    const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${protocol}://${location.host}/ws?token=${encodeURIComponent(this.#token)}`);
    this.#socket = socket;
    this.#setState('connecting');
    socket.onopen = () => {
      this.#attempt = 0;
      this.#setState('open');
      for (const resolve of this.#waitingForOpen.splice(0)) resolve();
    };
    socket.onmessage = (event) => this.#onMessage(String(event.data));
    socket.onclose = () => {
      this.#setState('closed');
      // Calls in flight will never be answered by this socket.
      for (const resolve of this.#pending.values()) resolve(lostOutcome('Lost the connection to the studio while waiting for an answer.'));
      this.#pending.clear();
      const delay = BACKOFF_MS[Math.min(this.#attempt++, BACKOFF_MS.length - 1)]!;
      setTimeout(() => this.#connect(), delay);
    };
  }

  #onMessage(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const resolve = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      resolve?.(message.result);
    } else if (message.type === 'event') {
      for (const listener of this.#listeners.get(message.event) ?? []) listener(message.payload);
    }
  }

  #whenOpen(): Promise<boolean> {
    if (this.#socket?.readyState === WebSocket.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), CALL_WAIT_MS);
      this.#waitingForOpen.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

function lostOutcome(message: string): Outcome {
  return { ok: false, error: { code: 'ENGINE_ERROR', message } };
}

function lost(message: string): Outcome {
  return lostOutcome(message);
}

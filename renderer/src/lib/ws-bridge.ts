// StudioBridge over the loopback WebSocket (browser-window mode): request ids, event fan-out, reconnect with backoff.
// Relative imports carry `.js` so the Node unit tests can type-check this file too (Bundler resolution accepts it).
import type {
  AssetVariant,
  EventName,
  EventOf,
  MethodName,
  ParamsIn,
  ResultOf,
  StudioBridge,
} from '../../../main/api/contract.js';
import type { Outcome } from '../../../main/api/errors.js';

// Wire format of main/transport/ws/protocol.ts, repeated here because the renderer imports nothing of main/ but main/api.
type WireOutcome = Outcome<unknown>;
type ClientMessage = { type: 'call'; id: number; method: string; params: unknown };
type ServerMessage = { type: 'result'; id: number | null; result: WireOutcome } | { type: 'event'; event: string; payload: unknown };

/** `connecting`: first attempt; `open`: calls go through; `closed`: lost, a reconnect is scheduled. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The part of the DOM WebSocket this bridge uses, so tests can hand in a fake one. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
}

export interface WebSocketBridgeOptions {
  token: string;
  /** host:port of the page, i.e. of the studio's loopback server. */
  host: string;
  secure?: boolean;
  openSocket?: (url: string) => SocketLike;
  /** How long a call made while disconnected waits for the link to come back. */
  callWaitMs?: number;
  /** Delays between reconnect attempts; the last one repeats. */
  backoffMs?: readonly number[];
}

const DEFAULT_CALL_WAIT_MS = 15_000;
const DEFAULT_BACKOFF_MS = [250, 500, 1000, 2000, 5000] as const;

export class WebSocketBridge implements StudioBridge {
  readonly #token: string;
  readonly #url: string;
  readonly #openSocket: (url: string) => SocketLike;
  readonly #callWaitMs: number;
  readonly #backoffMs: readonly number[];
  #socket: SocketLike | null = null;
  #nextId = 1;
  #pending = new Map<number, { method: string; resolve: (outcome: WireOutcome) => void }>();
  #listeners = new Map<string, Set<(payload: unknown) => void>>();
  #waitingForOpen = new Set<(open: boolean) => void>();
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  #state: ConnectionState = 'connecting';
  #stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(options: WebSocketBridgeOptions) {
    this.#token = options.token;
    this.#url = `${options.secure ? 'wss' : 'ws'}://${options.host}/ws?token=${encodeURIComponent(options.token)}`;
    this.#openSocket = options.openSocket ?? ((url) => new WebSocket(url));
    this.#callWaitMs = options.callWaitMs ?? DEFAULT_CALL_WAIT_MS;
    this.#backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Calls `listener` on every change of the link (not now: read `state` for the current one). */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  async invoke<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Outcome<ResultOf<M>>> {
    if (!(await this.#whenOpen())) {
      return lost(`Lost connection to the studio: no answer for ${Math.round(this.#callWaitMs / 1000)} s. Is it still running?`) as Outcome<ResultOf<M>>;
    }
    const socket = this.#socket;
    if (!socket || this.#state !== 'open') return lost('Lost connection to the studio before the call could be sent.') as Outcome<ResultOf<M>>;
    const id = this.#nextId++;
    const message: ClientMessage = { type: 'call', id, method, params };
    const outcome = await new Promise<WireOutcome>((resolve) => {
      this.#pending.set(id, { method, resolve });
      try {
        socket.send(JSON.stringify(message));
      } catch (err) {
        this.#pending.delete(id);
        resolve(lost(`Lost connection to the studio: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
    // The server validated and produced this value from the same contract; the wire cannot carry the static type.
    return outcome as Outcome<ResultOf<M>>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  assetUrl(assetId: number, variant: AssetVariant): string {
    return `/asset/${assetId}/${variant}?token=${encodeURIComponent(this.#token)}`;
  }

  /** Closes the socket for good: no reconnect; waiting and pending calls resolve as lost. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#reconnectTimer);
    this.#socket?.close();
    this.#failPending('The studio connection was closed.');
    for (const wake of [...this.#waitingForOpen]) wake(false);
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #connect(): void {
    if (this.#disposed) return;
    let socket: SocketLike;
    try {
      socket = this.#openSocket(this.#url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#setState('open');
      for (const wake of [...this.#waitingForOpen]) wake(true);
    };
    socket.onmessage = (event) => this.#onMessage(String(event.data));
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // Calls in flight will never be answered by this socket; resending is unsafe (not every call is idempotent).
      this.#failPending();
      if (this.#disposed) return;
      this.#setState('closed');
      this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    const delay = this.#backoffMs[Math.min(this.#attempt++, this.#backoffMs.length - 1)] ?? 1000;
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  #failPending(reason?: string): void {
    for (const { method, resolve } of this.#pending.values()) {
      resolve(lost(reason ?? `Lost connection to the studio while waiting for the answer to ${method}.`));
    }
    this.#pending.clear();
  }

  #onMessage(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      console.warn('[studio] ignored a malformed message from the studio');
      return;
    }
    if (typeof message !== 'object' || message === null) {
      console.warn('[studio] ignored a malformed message from the studio');
      return;
    }
    if (message.type === 'result') {
      if (message.id === null) {
        // The studio could not read the id of something it was sent: no call of ours to answer, so only say so.
        const error = message.result.ok ? null : message.result.error;
        console.warn(`[studio] the studio refused a message it could not match to a call: ${error?.code ?? 'OK'} ${error?.message ?? ''}`);
        return;
      }
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      pending?.resolve(message.result);
    } else if (message.type === 'event') {
      for (const listener of [...(this.#listeners.get(message.event) ?? [])]) {
        // One broken listener must not starve the others of the event.
        try {
          listener(message.payload);
        } catch (err) {
          console.error(`[studio] listener of ${message.event} failed`, err);
        }
      }
    }
  }

  /** Resolves true once the socket is open, false after `callWaitMs` without a connection. */
  #whenOpen(): Promise<boolean> {
    if (this.#state === 'open' && this.#socket) return Promise.resolve(true);
    if (this.#disposed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (open: boolean) => {
        clearTimeout(timer);
        this.#waitingForOpen.delete(wake);
        resolve(open);
      };
      const timer = setTimeout(() => {
        this.#waitingForOpen.delete(wake);
        resolve(false);
      }, this.#callWaitMs);
      this.#waitingForOpen.add(wake);
    });
  }
}

function lost(message: string): WireOutcome & { ok: false } {
  return { ok: false, error: { code: 'ENGINE_ERROR', message } };
}

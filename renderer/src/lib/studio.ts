// The contract client: the one way components reach the back end. Picks Electron's preload bridge when present,
// else the loopback WebSocket; nothing else in the renderer knows which.
import type {
  AssetVariant,
  EventName,
  EventOf,
  MethodName,
  ParamsIn,
  ResultOf,
  StudioBridge,
} from '../../../main/api/contract.js';
import { WebSocketBridge, type ConnectionState } from './ws-bridge.js';

export type { ConnectionState };
export type Transport = 'electron' | 'websocket';

/** A `{ ok: false }` answer, thrown so callers can use try/catch; `code` is one of main/api/errors.ts's codes. */
export class StudioCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'StudioCallError';
  }
}

/** Where the link state comes from: the WebSocket reports it; the Electron bridge is always open. */
interface ConnectionSource {
  readonly state: ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
}

const alwaysOpen: ConnectionSource = { state: 'open', onStateChange: () => () => undefined };

export class Studio {
  readonly #bridge: StudioBridge;
  readonly #connection: ConnectionSource;
  readonly transport: Transport;

  constructor(bridge: StudioBridge, transport: Transport, connection: ConnectionSource = alwaysOpen) {
    this.#bridge = bridge;
    this.transport = transport;
    this.#connection = connection;
  }

  /** `window.studio` from the Electron preload when present, else the WebSocket of the page's own origin. */
  static connect(): Studio {
    const fromPreload = (globalThis as { studio?: StudioBridge }).studio;
    if (fromPreload) return new Studio(fromPreload, 'electron');
    const ws = new WebSocketBridge({
      token: new URLSearchParams(location.search).get('token') ?? '',
      host: location.host,
      secure: location.protocol === 'https:',
    });
    return new Studio(ws, 'websocket', ws);
  }

  get connection(): ConnectionState {
    return this.#connection.state;
  }

  /** Calls `listener` now and on every change of the link to the back end. */
  onConnection(listener: (state: ConnectionState) => void): () => void {
    const off = this.#connection.onStateChange(listener);
    listener(this.#connection.state);
    return off;
  }

  async call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<ResultOf<M>> {
    const outcome = await this.#bridge.invoke(method, params).catch((err: unknown) => {
      // Bridges answer with values; a throw means the bridge itself broke (e.g. an IPC channel missing).
      throw new StudioCallError('INTERNAL', `${method} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (!outcome.ok) throw new StudioCallError(outcome.error.code, outcome.error.message, outcome.error.details);
    return outcome.value;
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    return this.#bridge.on(event, listener);
  }

  assetUrl(assetId: number, variant: AssetVariant): string {
    return this.#bridge.assetUrl(assetId, variant);
  }
}

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
import type { ErrorCode, Outcome, StudioErrorShape } from '../../../main/api/errors.js';
import { WebSocketBridge, type ConnectionState } from './ws-bridge.js';

export type { ConnectionState, ErrorCode, Outcome, StudioErrorShape };
export type Transport = 'electron' | 'websocket';

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

  /**
   * Calls a contract method. Errors come back as values with their code (main/api/errors.ts), never thrown: a view
   * acts on the code where it matters (NOT_FOUND: refresh; CANCELLED: nothing to say) and shows the message otherwise.
   */
  async call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Outcome<ResultOf<M>>> {
    try {
      return await this.#bridge.invoke(method, params);
    } catch (err) {
      // Bridges answer with values; a throw means the bridge itself broke (e.g. an IPC channel missing).
      return failure('INTERNAL', `${method} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    return this.#bridge.on(event, listener);
  }

  assetUrl(assetId: number, variant: AssetVariant): string {
    return this.#bridge.assetUrl(assetId, variant);
  }
}

/** An error as a value, for answers the renderer gives itself ("pick a model first") in the same shape as the studio's. */
export function failure(code: ErrorCode, message: string): { ok: false; error: StudioErrorShape } {
  return { ok: false, error: { code, message } };
}

/** The answer of an action that has no value to give back once it worked. */
export const DONE: Outcome<void> = { ok: true, value: undefined };

// The contract client: the one way components reach the back end. Picks Electron's preload bridge when present,
// else the loopback WebSocket; nothing else in the renderer knows which.
import type { AssetVariant, EventName, EventOf, MethodName, ParamsIn, ResultOf, StudioBridge } from '../../../main/api/contract';
import { WebSocketBridge, type ConnectionState } from './ws-bridge';

export type { ConnectionState };

export class StudioCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StudioCallError';
  }
}

export class Studio {
  readonly #bridge: StudioBridge;
  readonly transport: 'electron' | 'websocket';
  #connection: ConnectionState = 'open';
  #connectionListeners = new Set<(state: ConnectionState) => void>();

  constructor() {
    const fromPreload = (window as unknown as { studio?: StudioBridge }).studio;
    if (fromPreload) {
      this.#bridge = fromPreload;
      this.transport = 'electron';
    } else {
      const token = new URLSearchParams(location.search).get('token') ?? '';
      const ws = new WebSocketBridge(token);
      ws.onStateChange = (state) => {
        this.#connection = state;
        for (const listener of this.#connectionListeners) listener(state);
      };
      this.#connection = ws.state;
      this.#bridge = ws;
      this.transport = 'websocket';
    }
  }

  /** Calls `listener` now and on every change of the link to the back end. */
  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.#connectionListeners.add(listener);
    listener(this.#connection);
    return () => this.#connectionListeners.delete(listener);
  }

  async call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<ResultOf<M>> {
    const outcome = await this.#bridge.invoke(method, params);
    if (!outcome.ok) throw new StudioCallError(outcome.error.code, outcome.error.message);
    return outcome.value;
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    return this.#bridge.on(event, listener);
  }

  assetUrl(assetId: number, variant: AssetVariant): string {
    return this.#bridge.assetUrl(assetId, variant);
  }
}

// Wire format of the browser-window transport (one JSON message per WebSocket frame).
// Page:   http://127.0.0.1:<port>/?token=<token>
// Socket: ws://127.0.0.1:<port>/ws?token=<token>
// Pixels: http://127.0.0.1:<port>/asset/<assetId>/<full|thumb>?token=<token>
import type { Outcome } from '../../api/errors.js';

export type ClientMessage = { type: 'call'; id: number; method: string; params: unknown };

// `id: null` answers a frame whose id could not be read (not JSON, not an object, no integer id): the client has no
// call to match it to, so it only logs it (renderer/src/lib/ws-bridge.ts), but the sender still learns what was wrong.
export type ServerMessage =
  | { type: 'result'; id: number | null; result: Outcome<unknown> }
  | { type: 'event'; event: string; payload: unknown };

/** Largest WebSocket message accepted; bigger frames close the socket with 1009. */
export const MAX_WS_PAYLOAD_BYTES = 100 * 1024 * 1024;

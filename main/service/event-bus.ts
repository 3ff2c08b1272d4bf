// Typed fan-out of contract events from main/ to every connected transport (Electron windows, WebSockets, CLI).
import type { EventName, EventOf } from '../api/contract.js';

export type AnyEventListener = (event: EventName, payload: unknown) => void;

export class EventBus {
  #listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        // A broken transport must not stop the others from hearing the event.
        console.error(`[events] listener failed on ${event}:`, err);
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: AnyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    return this.onAny((name, payload) => {
      if (name === event) listener(payload as EventOf<E>);
    });
  }
}

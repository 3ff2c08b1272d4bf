// Waits for a studio event that satisfies a predicate, with a timeout that names what was awaited.
import type { EventName, EventOf } from '../../main/api/contract.js';
import type { EventBus } from '../../main/service/event-bus.js';

export function nextEvent<E extends EventName>(
  events: EventBus,
  event: E,
  predicate: (payload: EventOf<E>) => boolean,
  timeoutMs = 60_000,
): Promise<EventOf<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`));
    }, timeoutMs);
    const off = events.on(event, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

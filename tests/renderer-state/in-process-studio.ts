// The renderer's `Studio` client on a real back end in this process: the contract's dispatch and event bus themselves,
// without a transport in between (the transports have their own tests), so a rune class runs as it does in the page.
import { Studio, type Outcome } from '../../renderer/src/lib/studio.js';
import type { Studio as BackEnd } from '../../main/studio.js';

export function inProcessStudio(backEnd: BackEnd): Studio {
  return new Studio(
    {
      invoke: (method, params) => backEnd.dispatch(method, params) as never,
      on: (event, listener) => backEnd.events.on(event, listener),
      assetUrl: (assetId, variant) => `asset:${assetId}/${variant}`,
    },
    'electron',
  );
}

/** The value of a call the test expects to work; a refusal fails the test with the studio's message. */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

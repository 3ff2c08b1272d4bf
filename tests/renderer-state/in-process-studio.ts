// The renderer's `Studio` client on a real back end in this process: the contract's dispatch and event bus themselves,
// without a transport in between (the transports have their own tests), so a rune class runs as it does in the page.
import { Studio } from '../../renderer/src/lib/studio.js';
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

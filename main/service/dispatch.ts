// The single entry both transports and the CLI call: validate a raw call against the contract, run its handler,
// and turn every outcome into an Outcome value (thrown errors never cross the boundary).
import { methods, type MethodName, type ParamsOf, type ResultOf } from '../api/contract.js';
import { StudioError, toErrorShape, type Outcome } from '../api/errors.js';

export type Handlers = { [M in MethodName]: (params: ParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M> };

export type Dispatch = (method: string, rawParams: unknown) => Promise<Outcome<unknown>>;

function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

export function createDispatch(handlers: Handlers): Dispatch {
  return async (method, rawParams) => {
    try {
      if (!isMethodName(method)) throw new StudioError('UNKNOWN_METHOD', `Unknown method "${String(method).slice(0, 80)}".`);
      const parsed = methods[method].params.safeParse(rawParams ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`);
        // Ends as a sentence whatever zod's last message looks like (the UI shows it as is).
        throw new StudioError('INVALID_PARAMS', `Invalid parameters for ${method}: ${issues.join('; ').replace(/[.:;\s]*$/, '')}.`, { issues });
      }
      const handler = handlers[method] as (p: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (err) {
      if (!(err instanceof StudioError)) console.error(`[api] ${method} failed:`, err);
      return { ok: false, error: toErrorShape(err) };
    }
  };
}

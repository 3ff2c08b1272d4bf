// Calls a contract method from the CLI through the same dispatch as the UI, turning error values into exits.
import type { MethodName, ParamsIn, ResultOf } from '../api/contract.js';
import type { Studio } from '../studio.js';

export class CliError extends Error {}

export async function call<M extends MethodName>(studio: Studio, method: M, params: ParamsIn<M>): Promise<ResultOf<M>> {
  const result = await studio.dispatch(method, params);
  if (!result.ok) throw new CliError(`${result.error.message} [${result.error.code}]`);
  return result.value as ResultOf<M>;
}

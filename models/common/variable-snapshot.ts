// Host copies of a run's variables and their checked restore: the weights half of a training snapshot, for every family.
import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor } from './host-tensor.js';

/** path → a host copy of each variable (a snapshot outlives the run's variables). */
export function copyVariables(variables: ReadonlyMap<string, tf.Variable>): Map<string, HostTensor> {
  const weights = new Map<string, HostTensor>();
  for (const [path, variable] of variables) weights.set(path, { shape: [...variable.shape], data: (variable.dataSync() as Float32Array).slice() });
  return weights;
}

/**
 * Assigns `weights` to `variables` by path. Everything is checked before anything is assigned: every path on both
 * sides and every shape, so a snapshot of another architecture leaves the run as it was. `family` names the run in errors.
 */
export function restoreVariables(family: string, variables: ReadonlyMap<string, tf.Variable>, weights: ReadonlyMap<string, HostTensor>): void {
  for (const path of weights.keys()) if (!variables.has(path)) throw new Error(`${family}: the snapshot has a tensor "${path}" this network lacks`);
  for (const [path, variable] of variables) {
    const saved = weights.get(path);
    if (saved === undefined) throw new Error(`${family}: the snapshot lacks "${path}"`);
    if (saved.shape.join(',') !== variable.shape.join(',')) {
      throw new Error(`${family}: "${path}" is [${saved.shape.join(', ')}] in the snapshot, [${variable.shape.join(', ')}] in this network`);
    }
  }
  for (const [path, variable] of variables) {
    const saved = weights.get(path)!;
    tf.tidy(() => variable.assign(tf.tensor(saved.data, saved.shape, 'float32')));
  }
}

/** `run` put where `snapshot` was; if the snapshot does not fit, the run is disposed and the error passed on. */
export async function restoredRun<S, R extends { restore(snapshot: S): Promise<void>; dispose(): void }>(run: R, snapshot: S): Promise<R> {
  try {
    await run.restore(snapshot);
  } catch (err) {
    run.dispose();
    throw err;
  }
  return run;
}

/**
 * Refuses a snapshot whose config differs from the run's in anything but the init seed (the weights are replaced;
 * every other field shapes the networks or the schedule).
 */
export function checkSameConfig<C extends object>(family: string, config: C, snapshotConfig: C): void {
  const differing = (Object.keys(config) as Array<keyof C>).filter((key) => key !== 'seed' && config[key] !== snapshotConfig[key]);
  if (differing.length > 0) throw new Error(`${family}: the snapshot's config differs in ${differing.map(String).join(', ')}`);
}

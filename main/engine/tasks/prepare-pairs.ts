// Engine task: builds a paired dataset from folders on disk (main/data/prepare-pairs.ts) with progress and cancel.
import { preparePairs } from '../../data/prepare-pairs.js';
import type { EngineParams, EngineResult } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';

export async function preparePairsTask(params: EngineParams<'dataset.preparePairs'>, ctx: EngineTaskContext<never>): Promise<EngineResult<'dataset.preparePairs'>> {
  const { source, ...options } = params;
  const manifest = await preparePairs(source, options, {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.onProgress({ stage: 'Preparing pairs', step: done, total }),
  });
  const count = (split: 'train' | 'test'): number => manifest.pairs.filter((p) => p.split === split).length;
  return { train: count('train'), test: count('test'), skipped: manifest.skipped };
}

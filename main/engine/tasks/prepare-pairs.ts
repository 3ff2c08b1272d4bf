// Engine task: builds a paired dataset from folders on disk (main/data/prepare-pairs.ts) with progress and cancel.
import { z } from 'zod';
import { preparePairs, PairSource } from '../../data/prepare-pairs.js';
import type { EngineTaskContext } from './index.js';

export const PreparePairsParams = z.object({
  source: PairSource,
  outDir: z.string(),
  storedSize: z.number().int().positive(),
  heldOutFraction: z.number().min(0).lt(1),
  seed: z.union([z.number(), z.string()]),
});

export async function preparePairsTask(raw: unknown, ctx: EngineTaskContext): Promise<{ train: number; test: number; skipped: Array<{ file: string; reason: string }> }> {
  const { source, ...options } = PreparePairsParams.parse(raw);
  const manifest = await preparePairs(source, options, {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.onProgress({ stage: 'Preparing pairs', step: done, total }),
  });
  const count = (split: 'train' | 'test'): number => manifest.pairs.filter((p) => p.split === split).length;
  return { train: count('train'), test: count('test'), skipped: manifest.skipped };
}

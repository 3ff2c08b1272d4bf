// Train vs eval behaviour of a forward pass, as PyTorch's module.train()/eval(): batch statistics and dropout.

export interface ForwardMode {
  /** true: batch norm uses (and tracks) batch statistics and dropout is on; false: running statistics, no dropout. */
  training: boolean;
  /** Outside training, batch norm normalises with the statistics of the batch itself (tracking nothing). */
  batchStatistics?: boolean;
  /**
   * Seeds for the forward's random ops (dropout masks), one per op in call order. A training run passes its own
   * checkpointed stream here so a resumed run draws the same masks; absent, each mask is unseeded (random).
   */
  randomSeed?: () => number;
}

export const trainMode: ForwardMode = { training: true };
export const evalMode: ForwardMode = { training: false };

/** Training mode whose dropout masks are drawn from `seeds` (e.g. `() => stream.seed()` of a SeededRandom). */
export function seededTrainMode(seeds: () => number): ForwardMode {
  return { training: true, randomSeed: seeds };
}

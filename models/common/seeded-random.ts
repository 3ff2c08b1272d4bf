// A seeded random stream whose whole state can be saved in a checkpoint and restored, so a resumed training run
// draws exactly the numbers the uninterrupted run would have drawn (data order, jitter crops, flips, dropout seeds).
import seedrandom from 'seedrandom';

/** The stream's saved state: plain JSON, stored in checkpoints. */
export interface RandomState {
  alea: seedrandom.State.Alea; // seedrandom's Alea state: { c, s0, s1, s2 }
}

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A fresh 32-bit seed for an op that takes one (tf.dropout, a child stream). */
  seed(): number;
  /** Fisher–Yates permutation of 0..n-1. */
  permutation(n: number): number[];
  state(): RandomState;
}

/** Alea (Baagøe), seedrandom's fast generator with exportable state; tfjs uses the same library for its own seeds. */
export function seededRandom(seed: number | string | RandomState): SeededRandom {
  const alea =
    typeof seed === 'object' ? seedrandom.alea('', { state: seed.alea }) : seedrandom.alea(String(seed), { state: true });
  const next = (): number => alea();
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    seed: () => alea.int32() >>> 0,
    permutation(n) {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return order;
    },
    state: () => ({ alea: alea.state() }),
  };
}

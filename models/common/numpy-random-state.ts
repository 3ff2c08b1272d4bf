// numpy's legacy RandomState(seed).randn, bit for bit: StyleGAN seeds name the same latent z here as in the reference
// tools (stylegan2-ada-pytorch generate.py: z = np.random.RandomState(seed).randn(1, z_dim)).
//
// Written out because no npm package reproduces numpy's legacy stream: it is MT19937 seeded with init_genrand, 53-bit
// doubles from two 32-bit draws, and the polar Box–Muller method that caches its second value (numpy
// random/src/legacy/legacy-distributions.c legacy_gauss; mt19937.c mt19937_seed, mt19937_gen).

const N = 624;
const M = 397;

export class NumpyRandomState {
  readonly #mt = new Uint32Array(N);
  #index = N;
  #cachedGauss: number | null = null;

  /** RandomState(seed) for an integer seed in [0, 2³² − 1], as numpy seeds it (init_genrand). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`numpy seeds are integers in [0, 2^32 - 1], got ${seed}`);
    const mt = this.#mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const previous = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, previous) + i) >>> 0;
    }
  }

  /** The next 32-bit output of MT19937. */
  uint32(): number {
    const mt = this.#mt;
    if (this.#index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
        mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.#index = 0;
    }
    let y = mt[this.#index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits (random_sample). */
  double(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal draw (legacy_gauss: polar Box–Muller, the second value of each pair cached). */
  gauss(): number {
    if (this.#cachedGauss !== null) {
      const cached = this.#cachedGauss;
      this.#cachedGauss = null;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.double() - 1;
      x2 = 2 * this.double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.#cachedGauss = f * x1;
    return f * x2;
  }

  /** randn(n): n standard normal draws, as float64. */
  randn(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.gauss();
    return out;
  }
}

/** The latent z of a StyleGAN seed: RandomState(seed).randn(1, zDim), as float32 [zDim]. */
export function seedLatent(seed: number, zDim: number): Float32Array {
  return Float32Array.from(new NumpyRandomState(seed).randn(zDim));
}

// Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs" §2.3): the unbiased estimate of the
// squared MMD between real and generated image features under the cubic polynomial kernel k(x, y) = (x·y/d + 1)³,
// averaged over random subsets. Unlike FID it is unbiased, so it means the same at the small sample sizes a CPU
// affords. Lower is better; 0 for identical distributions (the estimate may dip slightly below 0).
import { seededRandom } from '../../../models/common/seeded-random.js';

export interface KidOptions {
  subsets?: number; // 100, as the reference implementations
  subsetSize?: number; // 1000, capped at the smaller of the two sets
  seed?: number;
}

const kernel = (x: Float32Array, y: Float32Array): number => {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
  return (dot / x.length + 1) ** 3;
};

/** KID of two feature sets (each a list of equal-length vectors): its mean over subsets and their standard deviation. */
export function kernelInceptionDistance(real: readonly Float32Array[], fake: readonly Float32Array[], options: KidOptions = {}): { kid: number; std: number } {
  const m = Math.min(options.subsetSize ?? 1000, real.length, fake.length);
  if (m < 2) throw new RangeError('KID needs at least 2 real and 2 generated images.');
  const random = seededRandom(options.seed ?? 0);
  const estimates: number[] = [];
  for (let s = 0; s < (options.subsets ?? 100); s++) {
    const x = random.permutation(real.length).slice(0, m).map((i) => real[i]!);
    const y = random.permutation(fake.length).slice(0, m).map((i) => fake[i]!);
    let kxx = 0;
    let kyy = 0;
    let kxy = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i !== j) {
          kxx += kernel(x[i]!, x[j]!);
          kyy += kernel(y[i]!, y[j]!);
        }
        kxy += kernel(x[i]!, y[j]!);
      }
    }
    estimates.push((kxx + kyy) / (m * (m - 1)) - (2 * kxy) / (m * m));
  }
  const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
  const std = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / estimates.length);
  return { kid: mean, std };
}

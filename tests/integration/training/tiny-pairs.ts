// A tiny in-memory paired dataset and augmenter for training tests: deterministic pixels, a crop-and-flip like pix2pix's.
import type { PairAugmenter, PairedDataset, RgbPair } from '../../../models/common/datasets.js';
import { seededRandom } from '../../../models/common/seeded-random.js';

/**
 * `count` pairs stored at `size` px: A is a random blocky colour image, B its colour-inverted, vertically shifted copy,
 * so G has something learnable. Same arguments, same bytes, in any process.
 */
export function tinyPairs(count: number, size: number, seed = 1): PairedDataset & { reads: number[] } {
  const random = seededRandom(`tiny-pairs/${seed}`);
  const pairs: RgbPair[] = [];
  for (let n = 0; n < count; n++) {
    const a = new Uint8Array(size * size * 3);
    const block = 4;
    for (let by = 0; by < size; by += block) {
      for (let bx = 0; bx < size; bx += block) {
        const colour = [random.int(256), random.int(256), random.int(256)];
        for (let y = by; y < Math.min(by + block, size); y++) for (let x = bx; x < Math.min(bx + block, size); x++) for (let c = 0; c < 3; c++) a[(y * size + x) * 3 + c] = colour[c]!;
      }
    }
    const b = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size * 3; x++) b[y * size * 3 + x] = 255 - a[((y + 2) % size) * size * 3 + x]!;
    pairs.push({ a, b, size });
  }
  const reads: number[] = [];
  return {
    size,
    length: count,
    reads,
    read(index) {
      reads.push(index);
      return pairs[index]!;
    },
  };
}

/** The same random window of A and B, mirrored together half the time (pix2pix's crop and flip), drawn from `random`. */
export const tinyAugment: PairAugmenter = (pair, cropSize, random) => {
  const left = random.int(pair.size - cropSize + 1);
  const top = random.int(pair.size - cropSize + 1);
  const flip = random.next() < 0.5;
  const cut = (pixels: Uint8Array): Uint8Array => {
    const out = new Uint8Array(cropSize * cropSize * 3);
    for (let y = 0; y < cropSize; y++) {
      for (let x = 0; x < cropSize; x++) {
        const from = ((top + y) * pair.size + left + (flip ? cropSize - 1 - x : x)) * 3;
        out.set(pixels.subarray(from, from + 3), (y * cropSize + x) * 3);
      }
    }
    return out;
  };
  return { a: cut(pair.a), b: cut(pair.b), size: cropSize };
};

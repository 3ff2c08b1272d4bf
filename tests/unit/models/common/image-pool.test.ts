// The image pool (junyanz util/image_pool.py): it fills first, then swaps with probability ½ for a uniformly picked
// slot, draws only from the stream it is given, and continues exactly from its saved contents.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImagePool } from '../../../../models/common/image-pool.js';
import { seededRandom } from '../../../../models/common/seeded-random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A batch of 1×1 RGB images whose three values all equal the image's id, so what comes back names where it came from. */
const batchOf = (ids: number[]): tf.Tensor4D => tf.tensor4d(ids.flatMap((id) => [id, id, id]), [ids.length, 1, 1, 3]);
const idsOf = (images: tf.Tensor4D): number[] => {
  const values = images.dataSync();
  return Array.from({ length: images.shape[0] }, (_, i) => values[3 * i]!);
};
/** Queries `ids` one batch at a time and returns the ids D would see, freeing every tensor. */
const query = (pool: ImagePool, ids: number[], random = seededRandom('unused')): number[] =>
  tf.tidy(() => idsOf(pool.query(batchOf(ids), random)));

describe('ImagePool', () => {
  it('stores and passes through every image until it is full, drawing nothing from the stream', () => {
    const pool = new ImagePool(4);
    const random = seededRandom('fill');
    const untouched = seededRandom('fill').state();
    expect(query(pool, [10, 11, 12], random)).toEqual([10, 11, 12]);
    expect(pool.size).toBe(3);
    expect(random.state()).toEqual(untouched);
    // The 4th image of this batch fills the last slot; the 5th is the first to meet the swap rule.
    const fresh = seededRandom('fill');
    const expectedFifth = fresh.next() > 0.5 ? [10, 11, 12, 13][fresh.int(4)] : 14;
    expect(query(pool, [13, 14], random)).toEqual([13, expectedFifth]);
    expect(pool.size).toBe(4);
    expect(pool.contents().map((image) => image.data[0])).toEqual(expectedFifth === 14 ? [10, 11, 12, 13] : [10, 11, 12, 13].map((id) => (id === expectedFifth ? 14 : id)));
  });

  it('once full, shows an older image half the time, picked uniformly, and keeps the new one in its place', () => {
    const capacity = 50;
    const pool = new ImagePool(capacity);
    const random = seededRandom('swap-statistics');
    query(pool, Array.from({ length: capacity }, (_, i) => i));
    const queries = 4000;
    // The reference's rule replayed beside the pool: p = uniform(0, 1); if p > 0.5, slot = randint(0, 49).
    const replay = seededRandom('swap-statistics');
    const mirror = Array.from({ length: capacity }, (_, i) => i);
    let older = 0;
    const slotCounts = new Array<number>(capacity).fill(0);
    for (let t = 0; t < queries; t++) {
      const id = 1000 + t;
      const [shown] = query(pool, [id], random);
      let expected = id;
      if (replay.next() > 0.5) {
        const slot = replay.int(capacity);
        slotCounts[slot]!++;
        expected = mirror[slot]!;
        mirror[slot] = id;
      }
      expect(shown).toBe(expected);
      if (shown !== id) older++;
    }
    // Binomial(4000, ½): ±4σ is ±126.
    expect(Math.abs(older - queries / 2)).toBeLessThan(126);
    // Each slot about older/50 times (≈ 40): χ² with 49 degrees of freedom stays far below 100.
    const mean = older / capacity;
    expect(slotCounts.reduce((chi2, n) => chi2 + (n - mean) ** 2 / mean, 0)).toBeLessThan(100);
    // Every original image has long been swapped out (each survives a query with probability 1 − 1/100).
    expect(pool.contents().map((image) => image.data[0]).filter((id) => id! < capacity)).toEqual([]);
    expect(pool.contents().map((image) => image.data[0])).toEqual(mirror);
  });

  it('continues exactly from its saved contents and the stream\'s state, and leaks no tensors', () => {
    const pool = new ImagePool(3);
    const random = seededRandom('resume');
    query(pool, [1, 2, 3, 4, 5], random);
    const saved = { images: pool.contents(), random: random.state() };
    const restored = new ImagePool(3, saved.images);
    const restoredRandom = seededRandom(saved.random);
    const before = tf.memory().numTensors;
    const next = [6, 7, 8, 9, 10, 11, 12, 13];
    expect(query(restored, next, restoredRandom)).toEqual(query(pool, next, random));
    expect(restored.contents()).toEqual(pool.contents());
    expect(tf.memory().numTensors).toBe(before);
    // A saved image is a copy: changing it does not reach the pool.
    saved.images[0]!.data.fill(-1);
    expect(restored.contents()[0]!.data[0]).not.toBe(-1);
  });

  it('with capacity 0 passes the fakes through untouched, and refuses images of another shape', () => {
    const fakes = batchOf([7]);
    expect(new ImagePool(0).query(fakes, seededRandom('none'))).toBe(fakes);
    fakes.dispose();
    const pool = new ImagePool(1);
    query(pool, [1]);
    expect(() => tf.tidy(() => pool.query(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, seededRandom(3)))).toThrow(/holds \[1, 1, 3\] images, was given \[2, 2, 3\]/);
    expect(() => new ImagePool(1, pool.contents().concat(pool.contents()))).toThrow(/do not fit/);
  });
});

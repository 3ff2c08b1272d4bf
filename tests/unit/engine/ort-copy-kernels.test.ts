// The JS copy kernels (Slice, Unpack, SplitV, Tile) agree with tfjs-cpu's on random shapes, cuts and dtypes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, ortKernelStats, uninstallOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { sliceValues } from '../../../main/engine/ort-kernels/copy-kernels.js';
import { expectNativeParity, intBetween, randomTensor, seededRandom, type ParityCase } from './parity-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const randomShape = (random: () => number): number[] => Array.from({ length: intBetween(random, 1, 5) }, () => intBetween(random, 1, 5));

describe('JS copy kernels match tfjs-cpu', () => {
  it('Slice of any begin and size, including whole axes, single elements and -1 sizes', () => {
    const random = seededRandom(41);
    const cases: ParityCase[] = Array.from({ length: 60 }, (_, i) => {
      const shape = randomShape(random);
      const begin = shape.map((d) => intBetween(random, 0, d - 1));
      const size = shape.map((d, axis) => (random() < 0.2 ? -1 : intBetween(random, 1, d - begin[axis]!)));
      return { name: `Slice [${shape}] begin=${begin} size=${size}`, kernel: 'Slice', run: () => tf.slice(randomTensor(shape, i), begin, size) };
    });
    expectNativeParity(cases);
  });

  it('Unpack along every axis and SplitV into equal and unequal parts', () => {
    const random = seededRandom(42);
    const cases: ParityCase[] = [];
    for (let i = 0; i < 30; i++) {
      const shape = randomShape(random);
      const axis = intBetween(random, 0, shape.length - 1);
      cases.push({ name: `Unpack [${shape}] axis ${axis}`, kernel: 'Unpack', run: () => tf.unstack(randomTensor(shape, i), axis) });
      const first = intBetween(random, 0, shape[axis]!);
      const sizes = random() < 0.3 ? [first, -1] : [first, shape[axis]! - first];
      cases.push({ name: `SplitV [${shape}] axis ${axis} sizes ${sizes}`, kernel: 'SplitV', run: () => tf.split(randomTensor(shape, i), sizes, axis) });
    }
    expectNativeParity(cases);
  });

  it('Tile with any repetitions, including 1s and a rank-1 tensor', () => {
    const random = seededRandom(43);
    const cases: ParityCase[] = Array.from({ length: 30 }, (_, i) => {
      const shape = randomShape(random);
      const reps = shape.map(() => intBetween(random, 1, 3));
      return { name: `Tile [${shape}] reps ${reps}`, kernel: 'Tile', run: () => tf.tile(randomTensor(shape, i), reps) };
    });
    expectNativeParity(cases);
  });

  it('keeps int32 and bool values and their dtypes', () => {
    const values = Int32Array.from({ length: 24 }, (_, i) => i);
    expect([...sliceValues(values, [2, 3, 4], [1, 1, 2], [1, 2, 2])]).toEqual([18, 19, 22, 23]);
    const bools = Uint8Array.from({ length: 6 }, (_, i) => i % 2);
    expect(sliceValues(bools, [2, 3], [0, 1], [2, 1])).toEqual(Uint8Array.from([1, 0]));
    installOrtKernels();
    try {
      const parts = tf.unstack(tf.tensor3d([...values], [2, 3, 4], 'int32'), 2);
      expect(ortKernelStats().runs['Unpack']).toBe(1);
      expect(parts.map((p) => p.dtype)).toEqual(['int32', 'int32', 'int32', 'int32']);
      expect([...parts[3]!.dataSync()]).toEqual([3, 7, 11, 15, 19, 23]);
    } finally {
      uninstallOrtKernels();
    }
  });
});

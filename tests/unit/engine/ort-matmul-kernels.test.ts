// Native BatchMatMul / _FusedMatMul agree with the original tfjs-cpu kernels, forward and through their gradients.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { beforeAll, describe, it } from 'vitest';
import { intBetween, pick, randomTensor, seededRandom, type ParityCase, expectNativeParity } from './parity-harness.js';

interface MatMulCase {
  aShape: number[];
  bShape: number[];
  transposeA: boolean;
  transposeB: boolean;
  outShape: number[];
}

/** Random operands of rank 2–4; batch dims equal or one side a single batch (what tfjs supports). */
function randomMatMul(random: () => number, allowBroadcast = true): MatMulCase {
  const [m, k, n] = [intBetween(random, 1, 9), intBetween(random, 1, 9), intBetween(random, 1, 9)];
  const transposeA = random() < 0.5;
  const transposeB = random() < 0.5;
  const batch = pick(random, [[], [intBetween(random, 1, 4)], [2, intBetween(random, 1, 3)]]);
  const broadcast = batch.length > 0 && allowBroadcast ? pick(random, ['none', 'a', 'b'] as const) : 'none';
  const outerA = broadcast === 'a' ? batch.map(() => 1) : batch;
  const outerB = broadcast === 'b' ? batch.map(() => 1) : batch;
  return {
    aShape: [...outerA, ...(transposeA ? [k, m] : [m, k])],
    bShape: [...outerB, ...(transposeB ? [n, k] : [k, n])],
    transposeA,
    transposeB,
    outShape: [...batch, m, n],
  };
}

const describeCase = (c: MatMulCase): string => `a[${c.aShape}]${c.transposeA ? 'ᵀ' : ''} b[${c.bShape}]${c.transposeB ? 'ᵀ' : ''}`;

const expectParity = (cases: ParityCase[]) => expectNativeParity(cases);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('native matmul kernels match tfjs-cpu', () => {
  it('BatchMatMul over ranks, transposes and batch broadcasting', () => {
    const random = seededRandom(11);
    expectParity(
      Array.from({ length: 40 }, (_, i) => {
        const c = randomMatMul(random);
        return {
          name: `matMul ${describeCase(c)}`,
          kernel: 'BatchMatMul',
          run: () => tf.matMul(randomTensor(c.aShape, i * 10), randomTensor(c.bShape, i * 10 + 1), c.transposeA, c.transposeB),
        };
      }),
    );
  });

  it('_FusedMatMul with bias shapes and each activation', () => {
    const random = seededRandom(12);
    const activations = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'] as const;
    expectParity(
      Array.from({ length: 28 }, (_, i) => {
        const c = randomMatMul(random);
        const [m, n] = c.outShape.slice(-2) as [number, number];
        const activation = activations[i % activations.length]!;
        const biasShape = pick(random, [null, [n], [1, n], [m, n], [1]]);
        return {
          name: `fused ${activation} bias=${JSON.stringify(biasShape)} ${describeCase(c)}`,
          kernel: '_FusedMatMul',
          run: () =>
            tf.fused.matMul({
              a: randomTensor(c.aShape, i * 10),
              b: randomTensor(c.bShape, i * 10 + 1),
              transposeA: c.transposeA,
              transposeB: c.transposeB,
              bias: biasShape === null ? undefined : randomTensor(biasShape, i * 10 + 2),
              activation,
              leakyreluAlpha: 0.1,
              preluActivationWeights: activation === 'prelu' ? randomTensor([n], i * 10 + 3) : undefined,
            }),
        };
      }),
    );
  });

  it('gradients of matMul and fused matMul (dense layers) run natively', () => {
    const random = seededRandom(13);
    expectParity(
      Array.from({ length: 12 }, (_, i) => {
        // tfjs' own BatchMatMul gradient does not reduce broadcast batches, so none here.
        const c = randomMatMul(random, false);
        const fused = i % 2 === 1;
        return {
          name: `grad ${fused ? 'fused relu ' : ''}${describeCase(c)}`,
          kernel: 'BatchMatMul',
          run: () => {
            const a = randomTensor(c.aShape, i * 10);
            const b = randomTensor(c.bShape, i * 10 + 1);
            const upstream = randomTensor(c.outShape, i * 10 + 2);
            const f = (x: tf.Tensor, y: tf.Tensor): tf.Scalar =>
              tf.sum(
                tf.mul(
                  fused
                    ? tf.fused.matMul({ a: x, b: y, transposeA: c.transposeA, transposeB: c.transposeB, activation: 'relu' })
                    : tf.matMul(x, y, c.transposeA, c.transposeB),
                  upstream,
                ),
              );
            return tf.grads(f)([a, b]);
          },
        };
      }),
    );
  });
});

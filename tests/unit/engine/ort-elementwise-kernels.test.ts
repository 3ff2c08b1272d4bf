// Native broadcasting binary ops, reductions, Transpose, MirrorPad and unary ops agree with tfjs-cpu.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, ortKernelStats, uninstallOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { compareWithReference, intBetween, pick, randomTensor, seededRandom, type ParityCase, expectNativeParity } from './parity-harness.js';

/** Elementwise kernels skip small tensors by default; 0 makes every case below run natively. */
const everySize = { minElementwiseSize: 0 };

const expectParity = (cases: ParityCase[], options = everySize) => expectNativeParity(cases, options);

function randomShape(random: () => number): number[] {
  return Array.from({ length: intBetween(random, 1, 4) }, () => intBetween(random, 1, 6));
}

/** `shape` with some dims set to 1 and some leading dims dropped: a shape numpy-broadcastable into it. */
function broadcastPartner(random: () => number, shape: number[]): number[] {
  const kept = shape.slice(intBetween(random, 0, shape.length - 1));
  return kept.map((d) => (random() < 0.4 ? 1 : d));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('native elementwise kernels match tfjs-cpu', () => {
  it('Add, Sub, Multiply, RealDiv, SquaredDifference with and without broadcasting', () => {
    const random = seededRandom(21);
    const ops = [
      ['Add', tf.add],
      ['Sub', tf.sub],
      ['Multiply', tf.mul],
      ['RealDiv', tf.div],
      ['SquaredDifference', tf.squaredDifference],
    ] as const;
    const cases: ParityCase[] = Array.from({ length: 40 }, (_, i) => {
      const [kernel, op] = ops[i % ops.length]!;
      const shape = randomShape(random);
      const other = pick(random, [shape, broadcastPartner(random, shape), [1]]);
      const [aShape, bShape] = random() < 0.5 ? [shape, other] : [other, shape];
      return {
        name: `${kernel} [${aShape}] [${bShape}]`,
        kernel,
        // Divisors kept away from 0 so the relative error is meaningful.
        run: () => op(randomTensor(aShape, i * 10), kernel === 'RealDiv' ? tf.add(tf.abs(randomTensor(bShape, i * 10 + 1)), 0.5) : randomTensor(bShape, i * 10 + 1)),
      };
    });
    expectParity(cases);
  });

  it('Sum, Mean and Max over any axes, with and without keepDims', () => {
    const random = seededRandom(22);
    const ops = [
      ['Sum', tf.sum],
      ['Mean', tf.mean],
      ['Max', tf.max],
    ] as const;
    const cases: ParityCase[] = Array.from({ length: 30 }, (_, i) => {
      const [kernel, op] = ops[i % ops.length]!;
      const shape = randomShape(random);
      const axes = shape.map((_, d) => d).filter(() => random() < 0.5);
      const axis = axes.length === 0 ? undefined : random() < 0.3 ? axes.map((a) => a - shape.length) : axes;
      const keepDims = random() < 0.5;
      return { name: `${kernel} [${shape}] axis=${JSON.stringify(axis)} keepDims=${keepDims}`, kernel, run: () => op(randomTensor(shape, i * 10), axis, keepDims) };
    });
    expectParity(cases);
  });

  it('Transpose, MirrorPad (reflect) and unary ops', () => {
    const random = seededRandom(23);
    const cases: ParityCase[] = [];
    for (let i = 0; i < 10; i++) {
      const shape = [intBetween(random, 2, 5), ...randomShape(random)];
      // A non-identity permutation (tfjs skips the kernel for the identity): rotate by 1..rank-1.
      const shift = intBetween(random, 1, shape.length - 1);
      const perm = shape.map((_, d) => (d + shift) % shape.length);
      cases.push({ name: `Transpose [${shape}] perm=${perm}`, kernel: 'Transpose', run: () => tf.transpose(randomTensor(shape, i * 10), perm) });
      const paddings = shape.map((d) => [intBetween(random, 0, d - 1), intBetween(random, 0, d - 1)] as [number, number]);
      cases.push({ name: `MirrorPad [${shape}] ${JSON.stringify(paddings)}`, kernel: 'MirrorPad', run: () => tf.mirrorPad(randomTensor(shape, i * 10 + 1), paddings, 'reflect') });
    }
    const unary: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
      ['Relu', tf.relu],
      ['LeakyRelu', (x: tf.Tensor) => tf.leakyRelu(x, 0.2)],
      ['Sigmoid', tf.sigmoid],
      ['Tanh', tf.tanh],
      ['Sqrt', (x: tf.Tensor) => tf.sqrt(tf.abs(x))],
      ['Square', tf.square],
      ['Neg', tf.neg],
      ['Exp', tf.exp],
    ];
    unary.forEach(([kernel, op], i) => {
      const shape = randomShape(random);
      cases.push({ name: `${kernel} [${shape}]`, kernel, run: () => op(randomTensor(shape, 100 + i)) });
    });
    expectParity(cases);
  });

  it('Greater (bool out), Select (bool in) and Step: the leaky relu and relu gradients', () => {
    const random = seededRandom(24);
    const cases: ParityCase[] = [];
    for (let i = 0; i < 6; i++) {
      const shape = randomShape(random);
      const other = pick(random, [shape, [], broadcastPartner(random, shape)]);
      cases.push({ name: `Greater [${shape}] [${other}]`, kernel: 'Greater', run: () => tf.cast(tf.greater(randomTensor(shape, i), randomTensor(other, i + 50)), 'float32') });
      cases.push({ name: `Select [${shape}]`, kernel: 'Select', run: () => tf.where(tf.greater(randomTensor(shape, i), 0), randomTensor(shape, i + 1), randomTensor(shape, i + 2)) });
      cases.push({ name: `Step [${shape}]`, kernel: 'Step', run: () => tf.step(tf.div(randomTensor(shape, i), tf.abs(randomTensor(shape, i + 3))), 0.3) });
    }
    cases.push({ name: 'Step keeps NaN', kernel: 'Step', run: () => tf.step(tf.tensor([NaN, -1, 0, 2]), 0.1) });
    cases.push({
      name: 'leaky relu + relu gradients',
      kernel: 'Select',
      run: () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.add(tf.leakyRelu(a, 0.2), tf.relu(b))))([randomTensor([3, 5, 7], 7), randomTensor([3, 5, 7], 8)]),
    });
    expectParity(cases);
  });

  it('AddN of 2 to 5 same-shape terms', () => {
    const random = seededRandom(25);
    const cases: ParityCase[] = Array.from({ length: 6 }, (_, i) => {
      const shape = randomShape(random);
      const count = 2 + (i % 4);
      return { name: `AddN ${count}× [${shape}]`, kernel: 'AddN', run: () => tf.addN(Array.from({ length: count }, (_, k) => randomTensor(shape, 200 + i * 10 + k))) };
    });
    expectParity(cases);
  });

  it('batch norm and an Adam step on a conv layer, end to end with the default size threshold', () => {
    const cases: ParityCase[] = [
      {
        name: 'batch norm forward + backward',
        kernel: 'Multiply',
        run: () => {
          const x = randomTensor([4, 16, 16, 32], 1);
          const gamma = randomTensor([32], 2);
          // A random upstream gradient: Σ(bn(x)²) would make dx pure cancellation noise in any float32 engine.
          const upstream = randomTensor([4, 16, 16, 32], 3);
          return tf.grads((a: tf.Tensor, g: tf.Tensor) => {
            const { mean, variance } = tf.moments(a, [0, 1, 2]);
            return tf.sum(tf.mul(tf.mul(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), upstream));
          })([x, gamma]);
        },
      },
      {
        name: 'two Adam steps on a conv filter',
        kernel: 'RealDiv',
        run: () => {
          const w = tf.variable(randomTensor([3, 3, 32, 64], 4));
          const target = randomTensor([3, 3, 32, 64], 5);
          const adam = tf.train.adam(0.01);
          for (let step = 0; step < 2; step++) adam.minimize(() => tf.sum(tf.mul(w, target)), false, [w]);
          const result = w.clone();
          adam.dispose();
          w.dispose();
          return result;
        },
      },
    ];
    expectParity(cases, { minElementwiseSize: 4096 });
  });
});

describe('native elementwise kernels fall back where they must', () => {
  it('int32 operands, symmetric MirrorPad and empty reduction axes give the reference result without native runs', () => {
    const results = compareWithReference(
      [
        { name: 'int32 add', kernel: 'Add', run: () => tf.cast(tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([4], [1], 'int32')), 'float32') },
        { name: 'symmetric pad', kernel: 'MirrorPad', run: () => tf.mirrorPad(randomTensor([3, 4], 1), [[1, 2], [2, 1]], 'symmetric') },
        { name: 'sum over no axes', kernel: 'Sum', run: () => tf.sum(randomTensor([3, 4], 1), []) },
      ],
      everySize,
    );
    for (const r of results) {
      expect(r.shapesMatch, r.name).toBe(true);
      expect(r.error, r.name).toBe(0);
      expect(r.nativeRuns, r.name).toBe(0);
    }
  });

  it('small tensors stay on tfjs-cpu under the default threshold', () => {
    installOrtKernels();
    try {
      tf.tidy(() => tf.add(tf.ones([10]), tf.ones([10])));
      expect(ortKernelStats().runs.Add ?? 0).toBe(0);
      tf.tidy(() => tf.add(tf.ones([64, 64]), tf.ones([64, 64])));
      expect(ortKernelStats().runs.Add ?? 0).toBe(1);
    } finally {
      uninstallOrtKernels();
    }
  });
});

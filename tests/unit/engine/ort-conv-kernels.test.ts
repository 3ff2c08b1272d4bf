// Native Conv2D / FusedConv2D / Conv2DBackpropInput / Conv2DBackpropFilter agree with the original tfjs-cpu kernels.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { compareWithReference, describeConvGeometry, expectNativeParity, intBetween, pick, randomTensor, seededRandom, type ConvGeometry, type ConvPad, type ParityCase } from './parity-harness.js';

/** A random conv whose output is at least 1×1; dilation > 1 only with stride 1 (tfjs' rule). */
function randomGeometry(random: () => number, allowDilation: boolean): ConvGeometry {
  const stride = pick(random, [1, 2]);
  const dilation = allowDilation && stride === 1 ? pick(random, [1, 2]) : 1;
  const filterHeight = intBetween(random, 1, 4);
  const filterWidth = intBetween(random, 1, 4);
  const pad: ConvPad = pick<() => ConvPad>(random, [
    () => 'same',
    () => 'valid',
    () => intBetween(random, 0, 2),
    () => [[0, 0], [intBetween(random, 0, 2), intBetween(random, 0, 2)], [intBetween(random, 0, 2), intBetween(random, 0, 2)], [0, 0]],
  ])();
  const minHeight = (filterHeight - 1) * dilation + 1;
  const minWidth = (filterWidth - 1) * dilation + 1;
  return {
    batch: intBetween(random, 1, 4),
    height: minHeight + intBetween(random, 0, 7),
    width: minWidth + intBetween(random, 0, 7),
    inChannels: intBetween(random, 1, 6),
    outChannels: intBetween(random, 1, 6),
    filterHeight,
    filterWidth,
    stride,
    dilation,
    pad,
  };
}

const inputs = (g: ConvGeometry, seed: number): [tf.Tensor4D, tf.Tensor4D] => [
  randomTensor([g.batch, g.height, g.width, g.inChannels], seed) as tf.Tensor4D,
  randomTensor([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], seed + 1) as tf.Tensor4D,
];

const expectParity = (cases: ParityCase[]) => expectNativeParity(cases);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('native conv kernels match tfjs-cpu', () => {
  it('Conv2D over random shapes, strides, dilations and paddings', () => {
    const random = seededRandom(1);
    const cases: ParityCase[] = Array.from({ length: 40 }, (_, i) => {
      const g = randomGeometry(random, true);
      return { name: `conv2d ${describeConvGeometry(g)}`, kernel: 'Conv2D', run: () => tf.conv2d(...inputs(g, i * 10), g.stride, g.pad, 'NHWC', g.dilation) };
    });
    expectParity(cases);
  });

  it('FusedConv2D with bias shapes and each activation', () => {
    const random = seededRandom(2);
    const activations = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'] as const;
    const cases: ParityCase[] = Array.from({ length: 28 }, (_, i) => {
      const g = randomGeometry(random, true);
      const activation = activations[i % activations.length]!;
      const biasShape = pick(random, [null, [g.outChannels], [1, 1, 1, g.outChannels], [1]]);
      const preluShape = pick(random, [[g.outChannels], [1, 1, g.outChannels]]);
      return {
        name: `fused ${activation} bias=${JSON.stringify(biasShape)} ${describeConvGeometry(g)}`,
        kernel: 'FusedConv2D',
        run: () => {
          const [x, filter] = inputs(g, i * 10);
          return tf.fused.conv2d({
            x,
            filter,
            strides: g.stride,
            pad: g.pad,
            dilations: g.dilation,
            bias: biasShape === null ? undefined : randomTensor(biasShape, i * 10 + 2),
            activation,
            leakyreluAlpha: 0.2,
            preluActivationWeights: activation === 'prelu' ? randomTensor(preluShape, i * 10 + 3) : undefined,
          });
        },
      };
    });
    expectParity(cases);
  });

  it('Conv2DBackpropInput and Conv2DBackpropFilter as the gradients of conv2d', () => {
    const random = seededRandom(3);
    const cases: ParityCase[] = [];
    for (let i = 0; i < 30; i++) {
      const g = randomGeometry(random, false);
      const grads = (): tf.Tensor[] => {
        const [x, filter] = inputs(g, i * 10);
        const upstream = randomTensor(tf.conv2d(x, filter, g.stride, g.pad).shape, i * 10 + 5);
        return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, g.stride, g.pad), upstream)))([x, filter]);
      };
      cases.push({ name: `grad dx ${describeConvGeometry(g)}`, kernel: 'Conv2DBackpropInput', run: grads });
      cases.push({ name: `grad dw ${describeConvGeometry(g)}`, kernel: 'Conv2DBackpropFilter', run: grads });
    }
    expectParity(cases);
  });

  it('Conv2DBackpropFilter of wide inputs (the im2col route) over strides and paddings', () => {
    const random = seededRandom(6);
    const cases: ParityCase[] = Array.from({ length: 12 }, (_, i) => {
      const g = { ...randomGeometry(random, false), inChannels: intBetween(random, 16, 40), dilation: 1 };
      return {
        name: `grad dw wide ${describeConvGeometry(g)}`,
        kernel: 'Conv2DBackpropFilter',
        run: () => {
          const [x, filter] = inputs(g, i * 10);
          const upstream = randomTensor(tf.conv2d(x, filter, g.stride, g.pad).shape, i * 10 + 5);
          return tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, b as tf.Tensor4D, g.stride, g.pad), upstream)))(filter);
        },
      };
    });
    expectParity(cases);
  });

  it('Conv2DBackpropInput through conv2dTranspose, including odd output sizes', () => {
    const random = seededRandom(4);
    const cases: ParityCase[] = Array.from({ length: 20 }, (_, i) => {
      const g = randomGeometry(random, false);
      const [oh, ow] = tf.tidy(() => tf.conv2d(...inputs(g, 0), g.stride, g.pad).shape.slice(1, 3));
      return {
        name: `conv2dTranspose ${describeConvGeometry(g)}`,
        kernel: 'Conv2DBackpropInput',
        run: () =>
          tf.conv2dTranspose(
            randomTensor([g.batch, oh!, ow!, g.outChannels], i * 10) as tf.Tensor4D,
            randomTensor([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], i * 10 + 1) as tf.Tensor4D,
            [g.batch, g.height, g.width, g.inChannels],
            g.stride,
            g.pad,
          ),
      };
    });
    expectParity(cases);
  });

  it('gradients through FusedConv2D (bias + relu / leakyrelu)', () => {
    const random = seededRandom(5);
    const cases: ParityCase[] = Array.from({ length: 8 }, (_, i) => {
      const g = randomGeometry(random, false);
      const activation = i % 2 === 0 ? 'relu' : 'linear';
      return {
        name: `fused grad ${activation} ${describeConvGeometry(g)}`,
        kernel: 'Conv2DBackpropFilter',
        run: () => {
          const [x, filter] = inputs(g, i * 10);
          const bias = randomTensor([g.outChannels], i * 10 + 2);
          return tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
            tf.sum(tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: g.stride, pad: g.pad, bias: c, activation })),
          )([x, filter, bias]);
        },
      };
    });
    expectParity(cases);
  });
});

describe('native conv kernels fall back to tfjs-cpu where ONNX differs', () => {
  it('NCHW runs the reference kernel and gives its result', () => {
    const results = compareWithReference([
      { name: 'NCHW', kernel: 'Conv2D', run: () => tf.conv2d(randomTensor([2, 3, 7, 7], 1) as tf.Tensor4D, randomTensor([3, 3, 3, 4], 2) as tf.Tensor4D, 1, 'same', 'NCHW') },
    ]);
    for (const r of results) {
      expect(r.shapesMatch, r.name).toBe(true);
      expect(r.error, r.name).toBe(0);
      expect(r.nativeRuns, r.name).toBe(0);
    }
  });
});

describe('native conv kernels follow tfjs geometry quirks', () => {
  it("dimRoundingMode 'ceil' and numeric pads with non-square filters (tfjs sizes both axes by the filter height)", () => {
    const x = (): tf.Tensor4D => randomTensor([2, 9, 8, 3], 1) as tf.Tensor4D;
    expectParity([
      { name: 'ceil', kernel: 'Conv2D', run: () => tf.conv2d(x(), randomTensor([3, 3, 3, 2], 2) as tf.Tensor4D, 2, 0, 'NHWC', 1, 'ceil') },
      { name: 'round', kernel: 'Conv2D', run: () => tf.conv2d(x(), randomTensor([2, 2, 3, 2], 2) as tf.Tensor4D, 2, 1, 'NHWC', 1, 'round') },
      { name: 'tall filter', kernel: 'Conv2D', run: () => tf.conv2d(x(), randomTensor([4, 1, 3, 2], 2) as tf.Tensor4D, 1, 1) },
      { name: 'wide filter', kernel: 'Conv2D', run: () => tf.conv2d(x(), randomTensor([1, 4, 3, 2], 2) as tf.Tensor4D, 2, 1) },
    ]);
  });
});

describe('native conv kernels reuse transposed filters safely', () => {
  it('a variable filter updated between convs gives the updated result (the cache follows tfjs dataIds)', () => {
    const results = compareWithReference([
      {
        name: 'conv, assign, conv, conv2dTranspose',
        kernel: 'Conv2D',
        run: () => {
          const x = randomTensor([2, 8, 8, 3], 1) as tf.Tensor4D;
          const w = tf.variable(randomTensor([3, 3, 3, 4], 2));
          const before = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
          w.assign(tf.mul(w, -2));
          const after = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
          const transposed = tf.conv2dTranspose(after, w as tf.Tensor4D, [2, 8, 8, 3], 1, 'same');
          w.dispose();
          return [before, after, transposed];
        },
      },
    ]);
    expect(results[0]!.shapesMatch).toBe(true);
    expect(results[0]!.error).toBeLessThanOrEqual(1e-4);
    expect(results[0]!.nativeRuns).toBe(2);
  });
});

describe('native conv kernels manage tfjs memory', () => {
  it('a conv forward and backward pass leaks no tensors', () => {
    installOrtKernels();
    try {
      const x = randomTensor([2, 8, 8, 3], 1) as tf.Tensor4D;
      const w = randomTensor([3, 3, 3, 4], 2) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]);
        tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: tf.ones([4]), activation: 'relu' });
      });
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w]);
    } finally {
      uninstallOrtKernels();
    }
  });
});

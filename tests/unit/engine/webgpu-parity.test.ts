// The webgpu backend (Dawn on Chromium's SwiftShader Vulkan driver, so no GPU is needed) computes what tfjs-cpu computes:
// convolutions and their gradients, transposed convs, matMul, elementwise ops, reductions and a few Adam steps of a small net.
// tfjs backends are process-global: this file runs in its own vitest worker process (the default), like every file.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { swiftShaderVulkanHere } from '../../../scripts/ensure-vulkan.js';
import { selectBackend } from '../../../main/engine/backend-ladder.js';
import { describeConvGeometry, intBetween, pick, relativeError, seededRandom, type ConvGeometry, type ConvPad } from './parity-harness.js';

// Dawn's Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its instance, i.e. after this line.
const vulkan = swiftShaderVulkanHere();
const unavailable = vulkan.env ? null : vulkan.reason;
if (vulkan.env) Object.assign(process.env, vulkan.env);

const TOLERANCE = 1e-3; // relative: SwiftShader's float math (fma, exp, reduction order) differs from JavaScript's

/** Seeded uniform values in [-1, 1), created in JS so both backends get the very same inputs. */
function values(shape: number[], seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
}
const input = (shape: number[], seed: number): tf.Tensor => tf.tensor(values(shape, seed), shape);

interface Case {
  name: string;
  run: () => tf.Tensor | tf.Tensor[];
}

interface Outcome {
  shapes: string[];
  values: Float32Array[];
  /** Every result lived in a GPU buffer: the webgpu kernels ran, not a CPU forward. */
  onGpu: boolean;
}

async function evaluate(c: Case, backendName: 'cpu' | 'webgpu'): Promise<Outcome> {
  await tf.setBackend(backendName);
  const outputs = tf.tidy(() => [c.run()].flat());
  const onGpu = backendName === 'webgpu' && outputs.every((t) => (tf.backend() as WebGPUBackend).tensorMap.get(t.dataId).resource != null);
  const read = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
  const shapes = outputs.map((t) => t.shape.join('x'));
  tf.dispose(outputs);
  return { shapes, values: read, onGpu };
}

/** Runs each case on tfjs-cpu (the reference) and on webgpu; soft-asserts shapes, values and that the GPU ran it. */
async function expectGpuParity(cases: readonly Case[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const c of cases) {
    const want = await evaluate(c, 'cpu');
    const got = await evaluate(c, 'webgpu');
    expect.soft(got.shapes, `${c.name}: shapes`).toEqual(want.shapes);
    const error = Math.max(0, ...got.values.map((v, i) => relativeError(v, want.values[i] ?? [])));
    expect.soft(error, `${c.name}: relative error`).toBeLessThanOrEqual(TOLERANCE);
    expect.soft(got.onGpu, `${c.name}: ran on the GPU`).toBe(true);
    outcomes.push(got);
  }
  return outcomes;
}

/**
 * A random small conv whose output is at least 1×1 as tfjs computes it; dilation > 1 only with stride 1 (tfjs' rule).
 * tfjs sizes both output axes of a numeric pad by the filter height, so some draws give an empty output: those are
 * redrawn (on webgpu an empty dy makes conv2dTranspose bind a zero-size buffer and return uninitialised memory).
 */
function randomGeometry(random: () => number, allowDilation: boolean): ConvGeometry {
  for (;;) {
    const g = drawGeometry(random, allowDilation);
    const outputSize = tf.tidy(() => tf.conv2d(tf.zeros([1, g.height, g.width, 1]) as tf.Tensor4D, tf.zeros([g.filterHeight, g.filterWidth, 1, 1]) as tf.Tensor4D, g.stride, g.pad, 'NHWC', g.dilation).size);
    if (outputSize > 0) return g;
  }
}

function drawGeometry(random: () => number, allowDilation: boolean): ConvGeometry {
  const stride = pick(random, [1, 2]);
  const dilation = allowDilation && stride === 1 ? pick(random, [1, 2]) : 1;
  const filterHeight = intBetween(random, 1, 4);
  const filterWidth = intBetween(random, 1, 4);
  const pad = pick<ConvPad>(random, ['same', 'valid', 0, 1, 2]);
  return {
    batch: intBetween(random, 1, 3),
    height: (filterHeight - 1) * dilation + 1 + intBetween(random, 0, 6),
    width: (filterWidth - 1) * dilation + 1 + intBetween(random, 0, 6),
    inChannels: intBetween(random, 1, 5),
    outChannels: intBetween(random, 1, 5),
    filterHeight,
    filterWidth,
    stride,
    dilation,
    pad,
  };
}

const convInputs = (g: ConvGeometry, seed: number): [tf.Tensor4D, tf.Tensor4D] => [
  input([g.batch, g.height, g.width, g.inChannels], seed) as tf.Tensor4D,
  input([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], seed + 1) as tf.Tensor4D,
];

describe.skipIf(unavailable !== null)(`webgpu backend on SwiftShader matches tfjs-cpu${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    const backend = await selectBackend('webgpu');
    // A forced rung that fails falls back to the CPU: fail here with the ladder's reason rather than compare cpu with cpu.
    expect(backend, JSON.stringify(backend.skipped)).toMatchObject({ name: 'webgpu', device: expect.stringMatching(/swiftshader/i) });
    // Small inputs would otherwise run on tfjs' CPU kernels inside the webgpu backend (a speed shortcut).
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  }, 30_000);

  afterAll(() => {
    if (tf.findBackend('webgpu')) tf.removeBackend('webgpu'); // releases the device, so the worker can exit
  });

  it('conv2d over random shapes, strides, dilations and paddings', async () => {
    const random = seededRandom(11);
    await expectGpuParity(
      Array.from({ length: 16 }, (_, i) => {
        const g = randomGeometry(random, true);
        return { name: `conv2d ${describeConvGeometry(g)}`, run: () => tf.conv2d(...convInputs(g, i * 10), g.stride, g.pad, 'NHWC', g.dilation) };
      }),
    );
  });

  it('fused conv2d with bias and leakyrelu / relu', async () => {
    const random = seededRandom(12);
    await expectGpuParity(
      Array.from({ length: 6 }, (_, i) => {
        const g = randomGeometry(random, false);
        const activation = i % 2 === 0 ? 'leakyrelu' : 'relu';
        return {
          name: `fused ${activation} ${describeConvGeometry(g)}`,
          run: () => {
            const [x, filter] = convInputs(g, i * 10);
            return tf.fused.conv2d({ x, filter, strides: g.stride, pad: g.pad, bias: input([g.outChannels], i * 10 + 2), activation, leakyreluAlpha: 0.2 });
          },
        };
      }),
    );
  });

  it('conv2d gradients dx and dW', async () => {
    const random = seededRandom(13);
    await expectGpuParity(
      Array.from({ length: 10 }, (_, i) => {
        const g = randomGeometry(random, false);
        return {
          name: `conv2d grads ${describeConvGeometry(g)}`,
          run: () => {
            const [x, filter] = convInputs(g, i * 10);
            const upstream = input(tf.conv2d(x, filter, g.stride, g.pad).shape, i * 10 + 5);
            const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, g.stride, g.pad), upstream));
            return tf.grads(loss)([x, filter]);
          },
        };
      }),
    );
  });

  it('conv2dTranspose, including odd output sizes', async () => {
    const random = seededRandom(14);
    await expectGpuParity(
      Array.from({ length: 8 }, (_, i) => {
        const g = randomGeometry(random, false);
        const [oh, ow] = tf.tidy(() => tf.conv2d(...convInputs(g, 0), g.stride, g.pad).shape.slice(1, 3));
        return {
          name: `conv2dTranspose ${describeConvGeometry(g)}`,
          run: () =>
            tf.conv2dTranspose(
              input([g.batch, oh!, ow!, g.outChannels], i * 10) as tf.Tensor4D,
              input([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], i * 10 + 1) as tf.Tensor4D,
              [g.batch, g.height, g.width, g.inChannels],
              g.stride,
              g.pad,
            ),
        };
      }),
    );
  });

  it('matMul, batched and transposed', async () => {
    const shapes: Array<[number[], number[], boolean, boolean]> = [
      [[7, 5], [5, 3], false, false],
      [[1, 64], [64, 33], false, false],
      [[5, 7], [5, 3], true, false],
      [[7, 5], [3, 5], false, true],
      [[2, 9, 4], [2, 4, 6], false, false],
      [[3, 4, 9], [3, 6, 4], true, true],
    ];
    await expectGpuParity(
      shapes.map(([a, b, ta, tb], i) => ({
        name: `matMul ${a}×${b} ta=${ta} tb=${tb}`,
        run: () => tf.matMul(input(a, i * 10), input(b, i * 10 + 1), ta, tb),
      })),
    );
  });

  it('elementwise ops with broadcasting, and reductions', async () => {
    const x = () => input([2, 5, 6, 3], 1);
    const y = () => input([6, 3], 2);
    await expectGpuParity([
      { name: 'add (broadcast)', run: () => tf.add(x(), y()) },
      { name: 'sub (broadcast)', run: () => tf.sub(x(), y()) },
      { name: 'mul (broadcast)', run: () => tf.mul(x(), y()) },
      { name: 'div by 1.5 + |y|', run: () => tf.div(x(), tf.add(tf.abs(y()), 1.5)) },
      { name: 'leakyRelu', run: () => tf.leakyRelu(x(), 0.2) },
      { name: 'sigmoid', run: () => tf.sigmoid(tf.mul(x(), 4)) },
      { name: 'tanh', run: () => tf.tanh(tf.mul(x(), 3)) },
      { name: 'exp', run: () => tf.exp(x()) },
      { name: 'rsqrt(1 + x²)', run: () => tf.rsqrt(tf.add(tf.square(x()), 1)) },
      { name: 'sum over H, W', run: () => tf.sum(x(), [1, 2]) },
      { name: 'mean over all', run: () => tf.mean(x()) },
      { name: 'max over C', run: () => tf.max(x(), -1) },
      { name: 'softmax', run: () => tf.softmax(tf.mul(x(), 3)) },
      { name: 'moments (instance norm statistics)', run: () => Object.values(tf.moments(x(), [1, 2], true)) },
    ]);
  });

  it('three Adam steps of a small conv generator give the same losses and weight updates', async () => {
    // A down-and-up conv net on [2, 8, 8, 3] regressing a fixed target, as a GAN generator's step would.
    const train = (): tf.Tensor[] => {
      const w1 = tf.variable(tf.mul(input([3, 3, 3, 8], 21), 0.5), true, 'w1');
      const b1 = tf.variable(tf.zeros([8]), true, 'b1');
      const w2 = tf.variable(tf.mul(input([4, 4, 3, 8], 22), 0.5), true, 'w2');
      const x = input([2, 8, 8, 3], 23) as tf.Tensor4D;
      const target = input([2, 8, 8, 3], 24);
      const initial = [w1, b1, w2].map((v) => v.clone());
      const optimizer = tf.train.adam(2e-3, 0.0, 0.99, 1e-8); // StyleGAN2's betas
      const losses: tf.Tensor[] = [];
      for (let step = 0; step < 3; step++) {
        const loss = optimizer.minimize(
          () => {
            const h = tf.leakyRelu(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 2, 'same'), b1), 0.2) as tf.Tensor4D;
            const y = tf.tanh(tf.conv2dTranspose(h, w2 as tf.Tensor4D, [2, 8, 8, 3], 2, 'same'));
            return tf.mean(tf.square(tf.sub(y, target)));
          },
          true,
          [w1, b1, w2],
        );
        losses.push(loss!);
      }
      // The updates, not the weights: those are dominated by their initial values and would hide a wrong step.
      const updates = [w1, b1, w2].map((v, i) => tf.sub(v, initial[i]!));
      optimizer.dispose();
      tf.dispose([w1, b1, w2]);
      return [...losses, ...updates];
    };
    const [gpu] = await expectGpuParity([{ name: 'adam steps', run: train }]);
    const [first, , third] = gpu!.values.map((v) => v[0]!);
    expect(third, 'the loss goes down on the GPU').toBeLessThan(first!);
  });
});

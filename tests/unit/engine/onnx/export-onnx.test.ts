// Whole-model ONNX export from a kernel trace: the exported graph, run by ONNX Runtime, computes what the tfjs forward
// computes (pix2pix U-Net, CycleGAN ResNet, StyleGAN2 synthesis, a dense + reshape generator), in both image layouts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGenerator } from '../../../../main/engine/onnx/compiled-generator.js';
import { exportOnnx, type ImageLayout } from '../../../../main/engine/onnx/export-onnx.js';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { OrtSyncSession } from '../../../../main/engine/ort-kernels/ort-sync-session.js';
import { evalMode } from '../../../../models/common/mode.js';
import { disposeParams, namedVariables } from '../../../../models/common/param-tree.js';
import { cycleganConfig } from '../../../../models/cyclegan/config.js';
import { createCyclegan, resnetGenerator } from '../../../../models/cyclegan/networks.js';
import { pix2pixConfig } from '../../../../models/pix2pix/config.js';
import { createPix2pix, unetGenerator } from '../../../../models/pix2pix/networks.js';
import { styleGAN2Config } from '../../../../models/stylegan/config.js';
import { createGenerator, numWs, synthesis } from '../../../../models/stylegan/networks.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

/** Runs an exported graph on `x` (given in tfjs' NHWC) and returns its output in NHWC. */
function runExport(model: Uint8Array, x: tf.Tensor, layout: ImageLayout): tf.Tensor {
  const session = new OrtSyncSession(model, { intraOpThreads: 1 });
  try {
    return tf.tidy(() => {
      const feed = layout === 'nchw' && x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x;
      const y = session.run({ input: { values: feed.dataSync() as Float32Array, shape: feed.shape } }).output!;
      const out = tf.tensor(y.values as Float32Array, [...y.shape]);
      return layout === 'nchw' && out.rank === 4 ? tf.transpose(out, [0, 2, 3, 1]) : out;
    });
  } finally {
    session.dispose();
  }
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

function initializerNames(model: Uint8Array): string[] {
  return (onnxProto.onnx.ModelProto.decode(model).graph?.initializer ?? []).map((t) => t.name ?? '');
}

describe('ONNX export of a traced forward', () => {
  it.each<ImageLayout>(['nchw', 'nhwc'])('pix2pix U-Net (batch norm folded) matches tfjs within 1e-5, layout %s', (layout) => {
    const { generator } = createPix2pix(pix2pixConfig(32, { seed: 3, ngf: 8, ndf: 8 }));
    // Non-trivial running statistics, so a wrongly folded batch norm would show.
    for (const [path, v] of namedVariables(generator)) if (path.endsWith('runningVar')) v.assign(tf.randomUniform(v.shape, 0.5, 2, 'float32', 4));
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 5);
    const { model, output } = exportOnnx((t) => unetGenerator(generator, t as tf.Tensor4D, evalMode), x, { layout, weights: namedVariables(generator) });
    const y = runExport(model, x, layout);
    expect(y.shape).toEqual([2, 32, 32, 3]);
    expect(maxAbsDiff(y, output)).toBeLessThan(1e-5);
    // Weights keep their parameter paths, like a PyTorch state_dict.
    expect(initializerNames(model)).toContain('levels.0.down.conv.filter');
    tf.dispose([x, y, output]);
    disposeParams(generator);
  });

  it('CycleGAN ResNet (reflect padding, instance norm) matches tfjs within 1e-4 and leaks no tensors', () => {
    const { gA, gB, dA, dB } = createCyclegan(cycleganConfig({ seed: 6, imageSize: 32, ngf: 8, ndf: 8, nBlocks: 2 }));
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    const { model, output } = exportOnnx((t) => resnetGenerator(gA, t as tf.Tensor4D, evalMode), x, { layout: 'nchw' });
    const y = runExport(model, x, 'nchw');
    expect(maxAbsDiff(y, output)).toBeLessThan(1e-4);
    tf.dispose([y, output]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    [gA, gB, dA, dB].forEach(disposeParams);
  });

  it.each<ImageLayout>(['nchw', 'nhwc'])('StyleGAN2 synthesis w+ → image (per-layer w unstacked, modulated convs, FIR up, clamp) matches tfjs within 1e-4, layout %s', (layout) => {
    const g = createGenerator(styleGAN2Config(32, { zDim: 32, wDim: 32, mappingLayers: 2, channelBase: 256, channelMax: 16, seed: 12 }));
    for (const [path, v] of namedVariables(g)) if (path.endsWith('noise.strength')) v.assign(tf.scalar(0.4));
    const ws = tf.randomNormal([2, numWs(32), 32], 0, 1, 'float32', 13);
    const { model, output } = exportOnnx((t) => synthesis(g.synthesis, t as tf.Tensor3D, evalMode, { noiseMode: 'const' }), ws, { layout, weights: namedVariables(g.synthesis) });
    const y = runExport(model, ws, layout);
    expect(y.shape).toEqual([2, 32, 32, 3]);
    expect(maxAbsDiff(y, output)).toBeLessThan(1e-4);
    tf.dispose([ws, y, output]);
    disposeParams(g);
  });

  it('a dense → reshape → transposed-conv generator (MatMul, non-4-D values) exports too', () => {
    const dense = tf.variable(tf.randomNormal([16, 4 * 4 * 8], 0, 0.1, 'float32', 8));
    const bias = tf.variable(tf.randomNormal([4 * 4 * 8], 0, 0.1, 'float32', 9));
    const up = tf.variable(tf.randomNormal([4, 4, 3, 8], 0, 0.1, 'float32', 10));
    const forward = (z: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        const h = tf.reshape(tf.relu(tf.add(tf.matMul(z as tf.Tensor2D, dense), bias)), [-1, 4, 4, 8]) as tf.Tensor4D;
        return tf.tanh(tf.conv2dTranspose(h, up as tf.Tensor4D, [z.shape[0]!, 8, 8, 3], 2, 'same'));
      });
    const z = tf.randomNormal([3, 16], 0, 1, 'float32', 11);
    const { model, output } = exportOnnx(forward, z, { layout: 'nchw' });
    const y = runExport(model, z, 'nchw');
    expect(y.shape).toEqual([3, 8, 8, 3]);
    expect(maxAbsDiff(y, output)).toBeLessThan(1e-5);
    tf.dispose([z, y, output, dense, bias, up]);
  });

  it('refuses a kernel it cannot translate, by name, and restores every kernel it wrapped', () => {
    const before = tf.getKernel('Conv2D', 'cpu')!.kernelFunc;
    const x = tf.ones([1, 4]);
    expect(() => exportOnnx((t) => tf.cumsum(t, 1), x, { layout: 'nchw' })).toThrow(/kernel Cumsum has no ONNX translation/);
    expect(tf.getKernel('Conv2D', 'cpu')!.kernelFunc).toBe(before);
    x.dispose();
  });

  it('refuses a forward whose output does not depend on its input', () => {
    const w = tf.ones([2, 2]);
    const x = tf.ones([2, 2]);
    expect(() => exportOnnx(() => tf.add(w, 1), x, { layout: 'nhwc' })).toThrow(/does not depend on the input/);
    tf.dispose([w, x]);
  });
});

describe('compiled generator', () => {
  it('gives the tfjs forward output in one ORT call and refuses another input shape', () => {
    const { generator } = createPix2pix(pix2pixConfig(32, { seed: 12, ngf: 8, ndf: 8 }));
    const forward = (t: tf.Tensor): tf.Tensor => unetGenerator(generator, t as tf.Tensor4D, evalMode);
    const compiled = compileGenerator(forward, [1, 32, 32, 3], { threads: 1 });
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 13);
    const [ours, reference] = [compiled.run(x), forward(x)];
    expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-5);
    const wrong = tf.zeros([1, 64, 64, 3]);
    expect(() => compiled.run(wrong)).toThrow(/takes \[1, 32, 32, 3\], got \[1, 64, 64, 3\]/);
    tf.dispose([x, ours, reference, wrong]);
    compiled.dispose();
    disposeParams(generator);
  });
});

// TensorFlow.js GraphModel export from a kernel trace: model.json and its shard, loaded by tfjs-converter's
// loadGraphModel on the same backend, compute what the studio's forward computes (pix2pix U-Net, CycleGAN ResNet,
// StyleGAN2 mapping and synthesis), on the traced input and on another one.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportGraphModel, GRAPH_MODEL_WEIGHTS_FILE, type GraphModelExport, type GraphModelExportOptions } from '../../../../main/engine/onnx/export-graph-model.js';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { evalMode, type ForwardMode } from '../../../../models/common/mode.js';
import { disposeParams, namedVariables } from '../../../../models/common/param-tree.js';
import { upfirdn2d } from '../../../../models/common/upfirdn.js';
import { cycleganConfig } from '../../../../models/cyclegan/config.js';
import { createCyclegan, cycleganInferenceMode, resnetGenerator } from '../../../../models/cyclegan/networks.js';
import { pix2pixConfig } from '../../../../models/pix2pix/config.js';
import { createPix2pix, pix2pixInferenceMode, unetGenerator } from '../../../../models/pix2pix/networks.js';
import { styleGAN2Config } from '../../../../models/stylegan/config.js';
import { createGenerator, mapping, numWs, synthesis } from '../../../../models/stylegan/networks.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

/** Loads an export as a tool reading model.json and the shard from disk would: through JSON text and the manifest. */
async function loadExport({ modelJson, weightData }: GraphModelExport): Promise<GraphModel> {
  const json = JSON.parse(JSON.stringify(modelJson)) as tf.io.ModelJSON;
  const shard = weightData.slice().buffer;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    expect(manifest[0]!.paths).toEqual([GRAPH_MODEL_WEIGHTS_FILE]);
    return [tf.io.getWeightSpecs(manifest), shard];
  });
  return loadGraphModel(tf.io.fromMemory(artifacts));
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

interface RoundTrip {
  exported: GraphModelExport;
  model: GraphModel;
  traced: number; // max |GraphModel − studio| on the traced input
  other: number; // the same on a second input the trace never saw
}

/** Exports `forward` traced on `input`, loads it back, and compares both inputs' outputs with the studio's own. */
async function roundTrip(forward: (x: tf.Tensor) => tf.Tensor, input: tf.Tensor, second: tf.Tensor, options: GraphModelExportOptions = {}): Promise<RoundTrip> {
  const exported = exportGraphModel(forward, input, options);
  const model = await loadExport(exported);
  const [ours, theirs] = [model.execute(input) as tf.Tensor, model.execute(second) as tf.Tensor];
  const reference = forward(second);
  expect(ours.shape).toEqual(exported.output.shape);
  const result = { exported, model, traced: maxAbsDiff(ours, exported.output), other: maxAbsDiff(theirs, reference) };
  tf.dispose([ours, theirs, reference]);
  return result;
}

function release({ exported, model }: RoundTrip): void {
  exported.output.dispose();
  model.dispose();
}

const topologyOf = (exported: GraphModelExport): { node: Array<{ name: string; op: string }> } => (exported.modelJson as { modelTopology: { node: Array<{ name: string; op: string }> } }).modelTopology;

describe('TensorFlow.js GraphModel export of a traced forward', () => {
  it.each<[string, ForwardMode]>([
    ['inference (per-image statistics)', pix2pixInferenceMode],
    ['eval (running statistics folded)', evalMode],
  ])('pix2pix U-Net, %s, runs in tfjs-converter within 1e-4 of the studio', async (_, mode) => {
    const { generator, discriminator } = createPix2pix(pix2pixConfig(32, { seed: 3, ngf: 8, ndf: 8 }));
    // Filters scaled as tests/support/tiny-models.ts does, so activations keep their size through the U-Net instead of
    // fading to a flat output any export would match; non-trivial running statistics, so a wrong fold would show.
    for (const [path, v] of namedVariables(generator)) {
      if (path.endsWith('filter')) v.assign(tf.mul(v, 5));
      if (path.endsWith('runningVar')) v.assign(tf.randomUniform(v.shape, 0.5, 2, 'float32', 4));
    }
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 5);
    const y = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 6);
    const metadata = { family: 'pix2pix', value_range: '[-1, 1]' };
    const trip = await roundTrip((t) => unetGenerator(generator, t as tf.Tensor4D, mode), x, y, { weights: namedVariables(generator), metadata });
    expect(trip.traced).toBeLessThan(1e-4);
    expect(trip.other).toBeLessThan(1e-4);
    expect(trip.model.metadata).toEqual(metadata);
    // Weights keep their parameter paths, in the graph and in the manifest.
    expect(topologyOf(trip.exported).node).toContainEqual(expect.objectContaining({ name: 'levels.0.down.conv.filter', op: 'Const' }));
    expect(topologyOf(trip.exported).node.filter((n) => n.op === 'Placeholder').map((n) => n.name)).toEqual(['input']);
    release(trip);
    tf.dispose([x, y]);
    [generator, discriminator].forEach(disposeParams);
  });

  it('CycleGAN ResNet (reflect padding, instance norm, transposed convs) runs within 1e-4 and leaks no tensors', async () => {
    const { gA, gB, dA, dB } = createCyclegan(cycleganConfig({ seed: 6, imageSize: 32, ngf: 8, ndf: 8, nBlocks: 2 }));
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 7);
    const y = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 8);
    const before = tf.memory().numTensors;
    const trip = await roundTrip((t) => resnetGenerator(gA, t as tf.Tensor4D, cycleganInferenceMode), x, y, { weights: namedVariables(gA) });
    expect(trip.traced).toBeLessThan(1e-4);
    expect(trip.other).toBeLessThan(1e-4);
    expect(topologyOf(trip.exported).node.map((n) => n.op)).toEqual(expect.arrayContaining(['MirrorPad', '_FusedConv2D', 'Conv2DBackpropInput', 'Mean']));
    release(trip);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    [gA, gB, dA, dB].forEach(disposeParams);
  });

  describe('StyleGAN2', () => {
    const config = styleGAN2Config(32, { zDim: 32, wDim: 32, mappingLayers: 2, channelBase: 256, channelMax: 16, seed: 12 });
    const inference = { training: false };

    it('mapping z → ws (2nd-moment norm, equalized FCs, broadcast) runs within 1e-4, named z → ws', async () => {
      const g = createGenerator(config);
      const z = tf.randomNormal([1, config.zDim], 0, 1, 'float32', 13);
      const z2 = tf.randomNormal([1, config.zDim], 0, 1, 'float32', 14);
      const trip = await roundTrip((t) => mapping(g.mapping, t as tf.Tensor2D, inference), z, z2, { inputName: 'z', outputName: 'ws', weights: namedVariables(g.mapping) });
      expect(trip.traced).toBeLessThan(1e-4);
      expect(trip.other).toBeLessThan(1e-4);
      expect(trip.model.inputNodes).toEqual(['z']);
      expect(trip.model.outputNodes).toEqual(['ws']);
      release(trip);
      tf.dispose([z, z2]);
      disposeParams(g);
    });

    it('synthesis ws → image (unstacked ws, modulated convs, FIR up, const noise) runs within 1e-4', async () => {
      const g = createGenerator(config);
      for (const [path, v] of namedVariables(g)) if (path.endsWith('noise.strength')) v.assign(tf.scalar(0.4));
      const ws = tf.randomNormal([1, numWs(32), config.wDim], 0, 1, 'float32', 15);
      const ws2 = tf.randomNormal([1, numWs(32), config.wDim], 0, 1, 'float32', 16);
      const draw = (t: tf.Tensor): tf.Tensor => synthesis(g.synthesis, t as tf.Tensor3D, inference, { noiseMode: 'const' });
      const trip = await roundTrip(draw, ws, ws2, { inputName: 'ws', outputName: 'image', weights: namedVariables(g.synthesis) });
      expect(trip.exported.output.shape).toEqual([1, 32, 32, 3]);
      expect(trip.traced).toBeLessThan(1e-4);
      expect(trip.other).toBeLessThan(1e-4);
      expect(topologyOf(trip.exported).node.map((n) => n.op)).toEqual(expect.arrayContaining(['Unpack', 'BatchMatMulV2', '_FusedMatMul', 'Conv2D', 'Conv2DBackpropInput']));
      release(trip);
      tf.dispose([ws, ws2]);
      disposeParams(g);
    });
  });

  it('also translates what 32 px generators do not trace: FIR by convs (StyleGAN2 above 64 px), clamps, pads, slices, stacks, fused relu', async () => {
    const filter = tf.variable(tf.randomNormal([3, 3, 4, 4], 0, 0.3, 'float32', 17));
    const bias = tf.variable(tf.randomNormal([4], 0, 0.3, 'float32', 18));
    const forward = (x: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        const up = upfirdn2d(x as tf.Tensor4D, [1, 3, 3, 1], { up: 2, padding: [2, 1], gain: 4, method: 'conv' }); // [1, 8, 8, 4]
        const conv = tf.fused.conv2d({ x: up, filter: filter as tf.Tensor4D, strides: 1, pad: 'same', bias, activation: 'relu' });
        const padded = tf.pad(tf.clipByValue(conv, -0.5, 0.5), [[0, 0], [1, 1], [1, 1], [0, 0]], 0.25);
        const cropped = tf.slice(padded, [0, 1, 2, 0], [-1, 8, 8, -1]);
        const stacked = tf.stack([cropped, tf.squaredDifference(cropped, up), tf.maximum(up, 0.1)], 1); // [1, 3, 8, 8, 4]
        const mixed = tf.concat([tf.transpose(stacked, [0, 2, 3, 1, 4]), tf.ones([1, 8, 8, 1, 4])], 3);
        return tf.sum(tf.div(mixed, tf.addN([tf.onesLike(mixed), tf.abs(mixed), tf.square(mixed)])), 3); // [1, 8, 8, 4]
      });
    const x = tf.randomUniform([1, 4, 4, 4], -1, 1, 'float32', 19);
    const x2 = tf.randomUniform([1, 4, 4, 4], -1, 1, 'float32', 20);
    const trip = await roundTrip(forward, x, x2);
    expect(trip.traced).toBeLessThan(1e-5);
    expect(trip.other).toBeLessThan(1e-5);
    expect(topologyOf(trip.exported).node.map((n) => n.op)).toEqual(
      expect.arrayContaining(['ClipByValue', 'PadV2', 'Slice', 'Pack', 'ConcatV2', 'Transpose', 'SquaredDifference', 'Maximum', 'AddN', 'OnesLike', '_FusedConv2D']),
    );
    release(trip);
    tf.dispose([x, x2, filter, bias]);
  });

  it('refuses a kernel it cannot translate, by name, and restores every kernel it wrapped', () => {
    const before = tf.getKernel('Conv2D', 'cpu')!.kernelFunc;
    const x = tf.ones([1, 4]);
    expect(() => exportGraphModel((t) => tf.cumsum(t, 1), x)).toThrow(/tfjs kernel Cumsum has no TensorFlow\.js graph translation/);
    expect(tf.getKernel('Conv2D', 'cpu')!.kernelFunc).toBe(before);
    x.dispose();
  });

  it('refuses a forward whose output does not depend on its input', () => {
    const w = tf.ones([2, 2]);
    const x = tf.ones([2, 2]);
    expect(() => exportGraphModel(() => tf.add(w, 1), x)).toThrow(/does not depend on the input/);
    tf.dispose([w, x]);
  });
});

// Native Conv2D, FusedConv2D and the two Conv2D gradients: ONNX Conv / ConvTranspose with tfjs' NHWC/HWIO layouts
// transposed inside the graph and tfjs' padding taken verbatim from backend_util.computeConv2DInfo.
import type { backend_util } from '@tensorflow/tfjs-core';
import type {
  Conv2DAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  FusedConv2DAttrs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { appendActivation, isLayoutFree, isNativeActivation, type NativeActivation } from '../onnx/fused-activation.js';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { allFloat32, broadcastsInto, dense, float32Output, kernelArgs, sameShape, tensorInfo, type NativeKernelContext, type NativeKernelFactory } from './kernel-io.js';
import { GraphBuilder, int, ints } from '../onnx/onnx-graph.js';
import { appendConv, appendTransposedConv, convInfo, cropSpatial, hwioToOihw, nchwToNhwc, nhwcToNchw, oihwShape, onnxGeometry, type OnnxConvGeometry } from '../onnx/conv-geometry.js';
import type { DenseFloat32 } from './ort-sync-session.js';

/**
 * The filter in ONNX's OIHW layout, transposed natively once per filter tensor and remembered by its tfjs dataId
 * (tfjs data is immutable; an optimizer step makes a new dataId). A GAN step uses each weight in several convs —
 * forward passes, the input gradient — and an 8 MB weight transpose costs as much as a small conv.
 */
function oihwFilter(context: NativeKernelContext, backend: MathBackendCPU, filter: TensorInfo): DenseFloat32 {
  const cached = context.preparedFilters.get(filter.dataId);
  if (cached !== undefined) return cached;
  const build = (): GraphBuilder => {
    const g = new GraphBuilder();
    g.output(g.transpose(g.input('w', filter.shape), hwioToOihw), 'y', oihwShape(filter.shape));
    return g;
  };
  const prepared = float32Output('FilterToOIHW', context.sessions.run('FilterToOIHW', JSON.stringify(filter.shape), build, { w: dense(backend, filter) }));
  context.preparedFilters.set(filter.dataId, prepared);
  return prepared;
}

interface ForwardConvSpec {
  info: backend_util.Conv2DInfo;
  geometry: OnnxConvGeometry;
  /** 'channel': a [Cout] bias fed to Conv's B; 'broadcast': added to the NHWC result with numpy broadcasting. */
  bias: { kind: 'none' } | { kind: 'channel' } | { kind: 'broadcast'; shape: readonly number[] };
  activation: NativeActivation;
  leakyreluAlpha: number | undefined;
  preluShape: readonly number[] | undefined;
}

function buildForwardConv(spec: ForwardConvSpec): GraphBuilder {
  const { info, geometry } = spec;
  const g = new GraphBuilder();
  const x = g.input('x', info.inShape);
  const w = g.input('w', oihwShape(info.filterShape));
  const b = spec.bias.kind === 'none' ? undefined : g.input('b', spec.bias.kind === 'channel' ? [info.outChannels] : spec.bias.shape);
  const alpha = spec.preluShape === undefined ? undefined : g.input('alpha', spec.preluShape);
  const convInputs = [g.transpose(x, nhwcToNchw), w];
  if (spec.bias.kind === 'channel' && b !== undefined) convInputs.push(b);
  let y = appendConv(g, convInputs, info, geometry);
  // Activation before the layout change when possible: ORT fuses Conv + activation into one kernel.
  const earlyActivation = spec.bias.kind !== 'broadcast' && isLayoutFree(spec.activation);
  if (earlyActivation) y = appendActivation(g, y, spec.activation, spec.leakyreluAlpha, alpha);
  y = g.transpose(y, nchwToNhwc);
  if (spec.bias.kind === 'broadcast' && b !== undefined) y = g.node('Add', [y, b]);
  if (!earlyActivation) y = appendActivation(g, y, spec.activation, spec.leakyreluAlpha, alpha);
  g.output(y, 'y', info.outShape);
  return g;
}

/** What identifies a conv graph besides the op's own extras. */
function geometryKey(info: backend_util.Conv2DInfo, geometry: OnnxConvGeometry): unknown[] {
  return [info.inShape, info.filterShape, info.outShape, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, geometry.pads];
}

export const conv2D: NativeKernelFactory =
  (context) =>
  (params) => {
    const { sessions, reference } = context;
    const { inputs, backend, attrs } = kernelArgs<Conv2DAttrs>(params);
    const { x, filter } = inputs;
    if (!allFloat32(x, filter) || attrs.dataFormat !== 'NHWC') return reference(params);
    const info = convInfo(x!.shape, filter!.shape, attrs, attrs.dilations);
    const geometry = onnxGeometry(info);
    if (geometry === undefined) return reference(params);
    const spec: ForwardConvSpec = { info, geometry, bias: { kind: 'none' }, activation: 'linear', leakyreluAlpha: undefined, preluShape: undefined };
    const key = JSON.stringify(geometryKey(info, geometry));
    const y = sessions.run('Conv2D', key, () => buildForwardConv(spec), { x: dense(backend, x!), w: oihwFilter(context, backend, filter!) });
    return tensorInfo(backend, 'Conv2D', y, info.outShape);
  };

export const fusedConv2D: NativeKernelFactory =
  (context) =>
  (params) => {
    const { sessions, reference } = context;
    const { inputs, backend, attrs } = kernelArgs<FusedConv2DAttrs>(params);
    const { x, filter, bias, preluActivationWeights: prelu } = inputs as Record<string, TensorInfo | undefined>;
    const { activation, leakyreluAlpha } = attrs;
    if (!allFloat32(x, filter) || attrs.dataFormat !== 'NHWC' || !isNativeActivation(activation, leakyreluAlpha)) return reference(params);
    if ((bias !== undefined && !allFloat32(bias)) || (activation === 'prelu') !== (prelu !== undefined) || (prelu !== undefined && !allFloat32(prelu))) {
      return reference(params);
    }
    const info = convInfo(x!.shape, filter!.shape, attrs, attrs.dilations);
    const geometry = onnxGeometry(info);
    if (geometry === undefined) return reference(params);
    if (bias !== undefined && !broadcastsInto(bias.shape, info.outShape)) return reference(params);
    if (prelu !== undefined && !broadcastsInto(prelu.shape, info.outShape)) return reference(params);
    const spec: ForwardConvSpec = {
      info,
      geometry,
      bias:
        bias === undefined
          ? { kind: 'none' }
          : sameShape(bias.shape, [info.outChannels])
            ? { kind: 'channel' }
            : { kind: 'broadcast', shape: bias.shape },
      activation,
      leakyreluAlpha,
      preluShape: prelu?.shape,
    };
    const key = JSON.stringify([...geometryKey(info, geometry), bias?.shape ?? null, activation, leakyreluAlpha ?? null, prelu?.shape ?? null]);
    const feeds: Record<string, DenseFloat32> = { x: dense(backend, x!), w: oihwFilter(context, backend, filter!) };
    if (bias !== undefined) feeds.b = dense(backend, bias);
    if (prelu !== undefined) feeds.alpha = dense(backend, prelu);
    const y = sessions.run('FusedConv2D', key, () => buildForwardConv(spec), feeds);
    return tensorInfo(backend, 'FusedConv2D', y, info.outShape);
  };

/** dx = ConvTranspose(dy, W) with the forward pads (conv-geometry.ts appendTransposedConv): the forward input's shape. */
export const conv2DBackpropInput: NativeKernelFactory =
  (context) =>
  (params) => {
    const { sessions, reference } = context;
    const { inputs, backend, attrs } = kernelArgs<Conv2DBackpropInputAttrs>(params);
    const { dy, filter } = inputs;
    if (!allFloat32(dy, filter) || attrs.dataFormat !== 'NHWC') return reference(params);
    const info = convInfo(attrs.inputShape, filter!.shape, attrs, 1);
    const geometry = onnxGeometry(info);
    if (geometry === undefined || !sameShape(dy!.shape, info.outShape)) return reference(params);
    const key = JSON.stringify(geometryKey(info, geometry));
    const build = (): GraphBuilder => {
      const g = new GraphBuilder();
      const dyN = g.transpose(g.input('dy', info.outShape), nhwcToNchw); // [N, Cout, oh, ow]
      const dxN = appendTransposedConv(g, dyN, g.input('w', oihwShape(info.filterShape)), info, geometry);
      g.output(g.transpose(dxN, nchwToNhwc), 'y', info.inShape);
      return g;
    };
    const y = sessions.run('Conv2DBackpropInput', key, build, { dy: dense(backend, dy!), w: oihwFilter(context, backend, filter!) });
    return tensorInfo(backend, 'Conv2DBackpropInput', y, info.inShape);
  };

/**
 * Inputs with at least this many channels take the im2col route for dW; narrower ones (an RGB stem) the conv route.
 * Measured on 2 cores: a 3×3 conv of 256 channels at 32² 42 → 25 ms, 64 → 128 channels stride 2 at 128² 38 → 15 ms,
 * but a 7×7 stem over 3 channels 12 → 25 ms, where the patch matrix is too thin for a good GEMM.
 */
const im2colMinChannels = 16;

/**
 * dW[i, j, ci, co] = Σ_{n, y, x} xpad[n, y·s + i, x·s + j, ci] · dy[n, y, x, co].
 *
 * Wide inputs: as one GEMM, patchesᵀ · dy, where the patch matrix [N·oh·ow, fh·fw·Cin] is fh·fw strided Slices of
 * the padded x concatenated on channels (HWIO order), so the product is dW already in HWIO.
 * Narrow inputs: a Conv whose batch is Cin (x as [Cin, N, H, W]) and whose kernel is dy as [Cout, N, oh, ow], dilated
 * by the forward stride, same pads; its output [Cin, Cout, ≥fh, ≥fw] is sliced to the filter size and transposed.
 */
export const conv2DBackpropFilter: NativeKernelFactory =
  ({ sessions, reference }) =>
  (params) => {
    const { inputs, backend, attrs } = kernelArgs<Conv2DBackpropFilterAttrs>(params);
    const { x, dy } = inputs;
    if (!allFloat32(x, dy) || attrs.dataFormat !== 'NHWC') return reference(params);
    const info = convInfo(x!.shape, attrs.filterShape, attrs, 1);
    const geometry = onnxGeometry(info);
    // A cropped geometry needs nothing special here: dy's size already limits the windows summed over.
    if (geometry === undefined || !sameShape(dy!.shape, info.outShape)) return reference(params);
    const im2col = info.inChannels >= im2colMinChannels;
    const key = JSON.stringify([...geometryKey(info, geometry), im2col]);
    const y = sessions.run('Conv2DBackpropFilter', key, () => (im2col ? buildFilterGradGemm(info, geometry) : buildFilterGradConv(info, geometry)), { x: dense(backend, x!), dy: dense(backend, dy!) });
    return tensorInfo(backend, 'Conv2DBackpropFilter', y, info.filterShape);
  };

function buildFilterGradGemm(info: backend_util.Conv2DInfo, geometry: OnnxConvGeometry): GraphBuilder {
  const g = new GraphBuilder();
  const [top, left, bottom, right] = geometry.pads;
  let x = g.input('x', info.inShape); // [N, H, W, Cin]
  if (top + left + bottom + right > 0) x = g.node('Pad', [x, g.int64s([0, top, left, 0, 0, bottom, right, 0])]);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patches: string[] = [];
  for (let i = 0; i < info.filterHeight; i++) {
    for (let j = 0; j < info.filterWidth; j++) {
      const ends = [i + (info.outHeight - 1) * info.strideHeight + 1, j + (info.outWidth - 1) * info.strideWidth + 1];
      patches.push(g.node('Slice', [x, g.int64s([i, j]), g.int64s(ends), g.int64s([1, 2]), g.int64s([info.strideHeight, info.strideWidth])]));
    }
  }
  const columns = info.filterHeight * info.filterWidth * info.inChannels;
  const patchMatrix = g.node('Reshape', [patches.length === 1 ? patches[0]! : g.node('Concat', patches, { axis: int(3) }), g.int64s([rows, columns])]);
  const dy = g.node('Reshape', [g.input('dy', info.outShape), g.int64s([rows, info.outChannels])]);
  const dw = g.node('Gemm', [patchMatrix, dy], { transA: int(1) }); // [fh·fw·Cin, Cout]
  g.output(g.node('Reshape', [dw, g.int64s(info.filterShape)]), 'y', info.filterShape);
  return g;
}

function buildFilterGradConv(info: backend_util.Conv2DInfo, geometry: OnnxConvGeometry): GraphBuilder {
  const g = new GraphBuilder();
  const xT = g.transpose(g.input('x', info.inShape), [3, 0, 1, 2]); // [Cin, N, H, W]
  const dyT = g.transpose(g.input('dy', info.outShape), [3, 0, 1, 2]); // [Cout, N, oh, ow]
  const full = g.node('Conv', [xT, dyT], {
    kernel_shape: ints([info.outHeight, info.outWidth]),
    strides: ints([1, 1]),
    dilations: ints([info.strideHeight, info.strideWidth]),
    pads: ints(geometry.pads),
    group: int(1),
  });
  const dw = cropSpatial(g, full, info.filterHeight, info.filterWidth); // [Cin, Cout, fh, fw]
  g.output(g.transpose(dw, [2, 3, 0, 1]), 'y', info.filterShape);
  return g;
}

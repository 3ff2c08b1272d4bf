// tfjs convolution geometry (NHWC activations, HWIO filters, tfjs padding) expressed as ONNX Conv / ConvTranspose
// attributes: shared by the native kernels' one-op graphs and the whole-model export.
import { backend_util, type Conv2DAttrs } from '@tensorflow/tfjs-core';
import { int, ints, type GraphBuilder } from './onnx-graph.js';

export type Shape4 = [number, number, number, number];

// tfjs NHWC activations / HWIO filters ↔ ONNX NCHW activations / OIHW filters.
export const nhwcToNchw = [0, 3, 1, 2];
export const nchwToNhwc = [0, 2, 3, 1];
export const hwioToOihw = [3, 2, 0, 1];

/** [fh, fw, Cin, Cout] → [Cout, Cin, fh, fw]: the Conv weight, and equally the ConvTranspose weight of the gradient. */
export const oihwShape = (hwio: readonly number[]): number[] => hwioToOihw.map((axis) => hwio[axis]!);

/**
 * tfjs' conv geometry as ONNX pads. tfjs decides the output size (for numeric pads it even uses the filter *height* for
 * both axes) and its kernels treat every tap outside the input as zero. So the begin pads are tfjs' own and the end
 * pads are whatever makes the last tfjs window fit: (out − 1)·stride + effectiveFilter − in − begin, clamped at 0, in
 * which case ONNX yields more rows/columns than tfjs and `crop` says to slice the output back to tfjs' size.
 */
export interface OnnxConvGeometry {
  /** ONNX `pads`: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  /** ONNX's own output size for those pads. */
  onnxOut: [number, number];
  crop: boolean;
}

export function onnxGeometry(info: backend_util.Conv2DInfo): OnnxConvGeometry | undefined {
  const { top, left } = info.padInfo;
  if (![top, left, info.outHeight, info.outWidth].every((v) => Number.isInteger(v) && v >= 0) || info.outHeight < 1 || info.outWidth < 1) {
    return undefined;
  }
  const bottom = Math.max(0, (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight - info.inHeight - top);
  const right = Math.max(0, (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth - info.inWidth - left);
  const onnxOut: [number, number] = [
    Math.floor((info.inHeight + top + bottom - info.effectiveFilterHeight) / info.strideHeight) + 1,
    Math.floor((info.inWidth + left + right - info.effectiveFilterWidth) / info.strideWidth) + 1,
  ];
  if (onnxOut[0] < info.outHeight || onnxOut[1] < info.outWidth) return undefined;
  return { pads: [top, left, bottom, right], onnxOut, crop: onnxOut[0] !== info.outHeight || onnxOut[1] !== info.outWidth };
}

export function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: { strides: [number, number] | number; pad: Conv2DAttrs['pad']; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
  dilations: [number, number] | number,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Slices the spatial axes (2, 3 of NCHW) of `value` to tfjs' output size. */
export function cropSpatial(g: GraphBuilder, value: string, height: number, width: number): string {
  return g.node('Slice', [value, g.int64s([0, 0]), g.int64s([height, width]), g.int64s([2, 3])]);
}

/** Appends Conv(x, w[, b]) in NCHW with tfjs' geometry, cropped to tfjs' output size where ONNX's is larger. */
export function appendConv(g: GraphBuilder, inputs: readonly string[], info: backend_util.Conv2DInfo, geometry: OnnxConvGeometry): string {
  const y = g.node('Conv', inputs, {
    kernel_shape: ints([info.filterHeight, info.filterWidth]),
    strides: ints([info.strideHeight, info.strideWidth]),
    dilations: ints([info.dilationHeight, info.dilationWidth]),
    pads: ints(geometry.pads),
    group: int(1),
  });
  return geometry.crop ? cropSpatial(g, y, info.outHeight, info.outWidth) : y;
}

/**
 * Appends the transposed conv of `dy` (NCHW, the forward conv's output) with the forward OIHW filter — which is
 * ConvTranspose's [C_in = Cout, C_out = Cin, fh, fw] — giving exactly the forward input's shape: `output_padding` adds
 * the bottom/right rows and columns no forward window reached; ONNX requires it below the stride, so a larger gap
 * (quirky tfjs geometries) is appended by a Pad node instead.
 */
export function appendTransposedConv(g: GraphBuilder, dy: string, w: string, info: backend_util.Conv2DInfo, geometry: OnnxConvGeometry): string {
  const [top, left, bottom, right] = geometry.pads;
  const outputPadding = [
    info.inHeight + top + bottom - ((info.outHeight - 1) * info.strideHeight + info.filterHeight),
    info.inWidth + left + right - ((info.outWidth - 1) * info.strideWidth + info.filterWidth),
  ] as const;
  const padAfter = outputPadding[0] >= info.strideHeight || outputPadding[1] >= info.strideWidth;
  const dx = g.node('ConvTranspose', [dy, w], {
    kernel_shape: ints([info.filterHeight, info.filterWidth]),
    strides: ints([info.strideHeight, info.strideWidth]),
    dilations: ints([1, 1]),
    pads: ints(geometry.pads),
    output_padding: ints(padAfter ? [0, 0] : outputPadding),
    group: int(1),
  });
  return padAfter ? g.node('Pad', [dx, g.int64s([0, 0, 0, 0, 0, 0, outputPadding[0], outputPadding[1]])]) : dx;
}

// Model pixels (uint8 RGB, HWC) ↔ network values in [-1, 1]: the reference's ToTensor + Normalize(0.5, 0.5) and its
// inverse (util.tensor2im), in one place for training batches, inference inputs and generated images.

/** Writes `rgb` as x / 127.5 − 1 into `out` from `offset` (a batch buffer), or into a new array. */
export function rgbToSigned(rgb: Uint8Array, out: Float32Array = new Float32Array(rgb.length), offset = 0): Float32Array {
  for (let i = 0; i < rgb.length; i++) out[offset + i] = rgb[i]! / 127.5 - 1;
  return out;
}

/** Values in [-1, 1] (a generator's tanh output) → uint8, rounded and clamped: (x + 1) · 127.5. */
export function signedToRgb(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((values[i]! + 1) * 127.5)));
  return out;
}

/** `size × size × 3` HWC pixels → planar NCHW values linearly mapped from [0, 255] onto `range` (an ONNX model's input). */
export function rgbToPlanar(rgb: Uint8Array, size: number, [low, high]: readonly [number, number]): Float32Array {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const scale = (high - low) / 255;
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = low + rgb[p * 3 + c]! * scale;
  return out;
}

/** Planar NCHW values in `range` → `size × size × 3` HWC pixels, rounded and clamped. */
export function planarToRgb(values: Float32Array, size: number, [low, high]: readonly [number, number]): Uint8Array {
  const plane = size * size;
  const out = new Uint8Array(3 * plane);
  const scale = 255 / (high - low);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.min(255, Math.max(0, Math.round((values[c * plane + p]! - low) * scale)));
  return out;
}

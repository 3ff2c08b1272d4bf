// IEEE 754 binary16 ("half") encoding of float32 weights, for shipped models at half the size (Node 20 has no Float16Array).

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** float32 → binary16 bits, rounded to nearest even as numpy's astype(float16) and torch's .half() round. */
export function toFloat16Bits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200); // ±Inf, NaN (quiet)
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // beyond 65504: ±Inf
  if (halfExponent <= 0) {
    // Subnormal half: value = m · 2⁻²⁴, m = (1.mantissa as a 24-bit integer) >> (14 − halfExponent).
    if (halfExponent < -10) return sign; // below half the smallest subnormal: ±0
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    const halfway = 1 << (shift - 1);
    const remainder = mantissa & ((1 << shift) - 1);
    let m = mantissa >>> shift;
    if (remainder > halfway || (remainder === halfway && (m & 1) === 1)) m++; // a carry makes the smallest normal, as it should
    return sign | m;
  }
  let half = sign | (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half++; // a carry into the exponent is still exact rounding (up to Inf)
  return half;
}

/** binary16 bits → the number they encode (exact in float32). */
export function fromFloat16Bits(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let decodeTable: Float32Array | undefined; // 65 536 entries, 256 KiB: one lookup per weight when loading

/** Little-endian binary16 bytes → float32 values. */
export function decodeFloat16(bytes: Uint8Array): Float32Array {
  if (decodeTable === undefined) {
    decodeTable = new Float32Array(0x10000);
    for (let h = 0; h < 0x10000; h++) decodeTable[h] = fromFloat16Bits(h);
  }
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = decodeTable[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  return out;
}

/** float32 values → little-endian binary16 bytes; refuses values whose magnitude exceeds binary16's 65 504. */
export function encodeFloat16(values: Float32Array, name = 'tensor'): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const half = toFloat16Bits(value);
    if ((half & 0x7fff) === 0x7c00 && Number.isFinite(value)) {
      throw new RangeError(`${name}[${i}] = ${value} does not fit in float16 (|x| ≤ 65504): save it in float32`);
    }
    out[2 * i] = half & 0xff;
    out[2 * i + 1] = half >>> 8;
  }
  return out;
}

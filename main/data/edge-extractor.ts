// Pen-drawing-like line maps of photos for sketch-to-photo pairs: Canny edges, thinned, without specks.
//
// Steps: grey → Gaussian blur → Sobel → non-maximum suppression → hysteresis with thresholds relative to the
// image's own gradient percentile → Zhang–Suen thinning → removal of tiny connected pieces.
// The loops are written by hand on purpose: no well-kept npm library runs Canny on raw buffers in Node (OpenCV
// ports are multi-megabyte WASM or native builds, and sharp does not expose libvips' canny), and at our sizes
// (128–256 px) plain typed-array loops take a few milliseconds: about 2 ms at 128 px and 12 ms at 256 px.

/** Tuning of `extractEdges`; pixel-valued defaults scale with the side, so 256 px maps look like 128 px ones enlarged. */
export interface EdgeOptions {
  /** Gaussian blur before the gradient, in pixels. Default 1.0 at 128 px, proportional to the side. */
  sigma?: number;
  /**
   * Where the strong-edge threshold sits among the image's edge candidates (pixels that survive non-maximum
   * suppression), as a fraction in (0, 1). Default 0.5: the stronger half are seeds. Relative, so a low-contrast
   * photo still gets its outlines; `minContrast` stops a flat image from turning its noise into lines.
   */
  highPercentile?: number;
  /** Weak threshold = strong threshold × lowRatio (default 0.3); weak pixels stay only when linked to a strong one. */
  lowRatio?: number;
  /**
   * Floor of the strong threshold, as a luminance step in [0, 1] across the Sobel window (a clean edge between
   * grey levels g1 and g2 reads |g1 − g2| / 255 before blurring). Default 0.05, about 13 grey levels.
   */
  minContrast?: number;
  /** Connected line pieces (8-neighbourhood) with fewer pixels are specks and are removed. Default 6 at 128 px. */
  minComponentPixels?: number;
}

const DEFAULTS = { sigma: 1.0, highPercentile: 0.5, lowRatio: 0.3, minContrast: 0.05, minComponentPixels: 6 };
const REFERENCE_SIDE = 128; // the side the pixel-valued defaults above are tuned for
const HISTOGRAM_BINS = 2048;
const INK = 0;
const PAPER = 255;

function resolveOptions(size: number, options: EdgeOptions): Required<EdgeOptions> {
  const scale = size / REFERENCE_SIDE;
  return {
    sigma: options.sigma ?? DEFAULTS.sigma * scale,
    highPercentile: options.highPercentile ?? DEFAULTS.highPercentile,
    lowRatio: options.lowRatio ?? DEFAULTS.lowRatio,
    minContrast: options.minContrast ?? DEFAULTS.minContrast,
    minComponentPixels: options.minComponentPixels ?? Math.max(1, Math.round(DEFAULTS.minComponentPixels * scale)),
  };
}

function checkRgb(rgb: Uint8Array, size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Image side must be a positive integer, got ${size}.`);
  if (rgb.length !== size * size * 3) {
    throw new RangeError(`Expected ${size}×${size}×3 = ${size * size * 3} RGB bytes, got ${rgb.length}.`);
  }
}

/** Rec. 601 luma in [0, 1]: [size × size], row-major. */
function luminance(rgb: Uint8Array, size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let i = 0, p = 0; i < out.length; i++, p += 3) {
    out[i] = (0.299 * rgb[p]! + 0.587 * rgb[p + 1]! + 0.114 * rgb[p + 2]!) / 255;
  }
  return out;
}

/** Separable Gaussian blur with edge-clamped borders; `sigma` in pixels (≤ 0: no blur). */
function gaussianBlur(src: Float32Array, size: number, sigma: number): Float32Array {
  if (sigma <= 0) return src;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k]! /= sum;
  const last = size - 1;
  const tmp = new Float32Array(src.length);
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k < 0 ? 0 : x + k > last ? last : x + k;
        acc += kernel[k + radius]! * src[row + xx]!;
      }
      tmp[row + x] = acc;
    }
  }
  const out = new Float32Array(src.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k < 0 ? 0 : y + k > last ? last : y + k;
        acc += kernel[k + radius]! * tmp[yy * size + x]!;
      }
      out[y * size + x] = acc;
    }
  }
  return out;
}

/**
 * Sobel gradient, divided by 4 so a clean step of height h reads h. Returns the magnitude and the direction
 * quantised to 0: horizontal gradient (vertical edge), 1: 45°, 2: vertical gradient, 3: 135°. The outermost
 * ring of pixels gets magnitude 0, so no line is ever drawn along the image frame.
 */
function sobel(img: Float32Array, size: number): { magnitude: Float32Array; direction: Uint8Array } {
  const magnitude = new Float32Array(size * size);
  const direction = new Uint8Array(size * size);
  const tan22 = Math.tan(Math.PI / 8);
  const tan67 = Math.tan((3 * Math.PI) / 8);
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x;
      const nw = img[i - size - 1]!, n = img[i - size]!, ne = img[i - size + 1]!;
      const w = img[i - 1]!, e = img[i + 1]!;
      const sw = img[i + size - 1]!, s = img[i + size]!, se = img[i + size + 1]!;
      const gx = (ne + 2 * e + se - nw - 2 * w - sw) / 4;
      const gy = (sw + 2 * s + se - nw - 2 * n - ne) / 4; // y grows downwards
      magnitude[i] = Math.sqrt(gx * gx + gy * gy);
      const ax = Math.abs(gx);
      const ay = Math.abs(gy);
      if (ay <= ax * tan22) direction[i] = 0;
      else if (ay >= ax * tan67) direction[i] = 2;
      else direction[i] = gx * gy > 0 ? 1 : 3; // same signs: gradient along the main diagonal (↘)
    }
  }
  return { magnitude, direction };
}

/** Keeps a pixel only where its magnitude is a local maximum across the edge: the line becomes one pixel wide. */
function nonMaximumSuppression(magnitude: Float32Array, direction: Uint8Array, size: number): Float32Array {
  const out = new Float32Array(size * size);
  // Neighbour offsets along the gradient for each quantised direction.
  const step = [1, size + 1, size, size - 1];
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x;
      const m = magnitude[i]!;
      if (m === 0) continue;
      const d = step[direction[i]!]!;
      // ≥ on one side, > on the other: a plateau two pixels wide keeps exactly one of them.
      if (m >= magnitude[i - d]! && m > magnitude[i + d]!) out[i] = m;
    }
  }
  return out;
}

/**
 * The value below which about `fraction` of the positive entries lie (histogram estimate, O(n)): the lower edge
 * of the bin where the running count reaches `fraction`, so the entries of that bin count as above it (a shape
 * whose edges all have the same strength keeps them all).
 */
function percentileOfPositive(values: Float32Array, fraction: number): number {
  let max = 0;
  let count = 0;
  for (const v of values) {
    if (v > 0) {
      count++;
      if (v > max) max = v;
    }
  }
  if (count === 0) return Infinity;
  const histogram = new Uint32Array(HISTOGRAM_BINS);
  const toBin = (HISTOGRAM_BINS - 1) / max;
  for (const v of values) if (v > 0) histogram[Math.floor(v * toBin)]!++;
  const target = fraction * count;
  let seen = 0;
  for (let b = 0; b < HISTOGRAM_BINS; b++) {
    seen += histogram[b]!;
    if (seen >= target) return b / toBin;
  }
  return max;
}

/** Strong pixels and every weak pixel 8-connected to one: 1 = line, 0 = paper. */
function hysteresis(candidates: Float32Array, size: number, low: number, high: number): Uint8Array {
  const line = new Uint8Array(size * size);
  const stack = new Int32Array(size * size);
  let top = 0;
  for (let i = 0; i < candidates.length; i++) {
    if (candidates[i]! >= high) {
      line[i] = 1;
      stack[top++] = i;
    }
  }
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % size;
    const y = (i - x) / size;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= size) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= size) continue;
        const j = yy * size + xx;
        if (line[j] === 0 && candidates[j]! >= low) {
          line[j] = 1;
          stack[top++] = j;
        }
      }
    }
  }
  return line;
}

/**
 * Zhang–Suen thinning (1984) of a 0/1 mask, in place: non-maximum suppression leaves two-pixel-thick corners and
 * diagonal steps, thinning takes them down to a one-pixel, 8-connected skeleton without breaking lines.
 */
function thin(mask: Uint8Array, size: number): void {
  let pixels: number[] = [];
  for (let y = 1; y < size - 1; y++) for (let x = 1; x < size - 1; x++) if (mask[y * size + x]) pixels.push(y * size + x);
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      remove.length = 0;
      for (const i of pixels) {
        // Neighbours P2..P9 clockwise from north.
        const p2 = mask[i - size]!, p3 = mask[i - size + 1]!, p4 = mask[i + 1]!, p5 = mask[i + size + 1]!;
        const p6 = mask[i + size]!, p7 = mask[i + size - 1]!, p8 = mask[i - 1]!, p9 = mask[i - size - 1]!;
        const neighbours = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
        if (neighbours < 2 || neighbours > 6) continue;
        // 0 → 1 transitions around the ring: exactly one means the pixel sits on the border of a single piece.
        const transitions =
          +(!p2 && p3) + +(!p3 && p4) + +(!p4 && p5) + +(!p5 && p6) +
          +(!p6 && p7) + +(!p7 && p8) + +(!p8 && p9) + +(!p9 && p2);
        if (transitions !== 1) continue;
        // First pass peels south-east borders and north-west corners, second pass the opposite ones.
        const peel = pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0;
        if (peel) remove.push(i);
      }
      for (const i of remove) mask[i] = 0;
      if (remove.length > 0) {
        changed = true;
        pixels = pixels.filter((i) => mask[i] === 1);
      }
    }
  }
  // Zhang–Suen keeps 4-connected staircases (an L of three pixels along a diagonal); the corner of such an L is
  // redundant in an 8-connected line and makes the line look two pixels thick. One sequential pass removes it.
  for (const i of pixels) {
    if (mask[i] && STAIRCASE_CORNER[ringCode(mask, i, size)]) mask[i] = 0;
  }
}

// Ring of the 8 neighbours clockwise from north, as [dx, dy]; bit k of a ring code is neighbour k.
const RING = [[0, -1], [1, -1], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1]] as const;

function ringCode(mask: Uint8Array, i: number, size: number): number {
  let code = 0;
  for (let k = 0; k < 8; k++) if (mask[i + RING[k]![1] * size + RING[k]![0]]) code |= 1 << k;
  return code;
}

/**
 * For each ring code: may the centre go? Only when it is a "simple point" of (8, 4) digital topology (its
 * foreground neighbours form one 8-connected piece and exactly one background piece touches it by an edge, so
 * removing it neither splits a line nor opens a hole), it is not a line end (≥ 2 neighbours), and it is the corner
 * of a step (two edge neighbours at a right angle, e.g. north and east).
 */
const STAIRCASE_CORNER: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let code = 0; code < 256; code++) {
    const on = (k: number): boolean => ((code >> (k & 7)) & 1) === 1;
    let neighbours = 0;
    for (let k = 0; k < 8; k++) if (on(k)) neighbours++;
    const rightAngle = [0, 2, 4, 6].some((k) => on(k) && on(k + 2));
    if (neighbours < 2 || !rightAngle) continue;
    // Foreground pieces: ring neighbours touch when consecutive, and edge neighbours two apart touch diagonally.
    const parent = Array.from({ length: 8 }, (_, k) => k);
    const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k]!)));
    for (let k = 0; k < 8; k++) {
      if (on(k) && on(k + 1)) parent[find(k)] = find((k + 1) & 7);
      if (k % 2 === 0 && on(k) && on(k + 2)) parent[find(k)] = find((k + 2) & 7);
    }
    const pieces = new Set<number>();
    for (let k = 0; k < 8; k++) if (on(k)) pieces.add(find(k));
    // Background runs around the ring that contain an edge neighbour.
    let backgroundRuns = 0;
    for (let k = 0; k < 8; k++) {
      if (on(k) || !on(k + 7)) continue; // start of a background run (previous ring pixel is foreground)
      let touches = false;
      for (let j = k; !on(j); j++) if (j % 2 === 0) touches = true;
      if (touches) backgroundRuns++;
    }
    table[code] = pieces.size === 1 && backgroundRuns === 1 ? 1 : 0;
  }
  return table;
})();

/** Removes 8-connected pieces of the mask with fewer than `minPixels` pixels, in place. */
function removeSpecks(mask: Uint8Array, size: number, minPixels: number): void {
  if (minPixels <= 1) return;
  const seen = new Uint8Array(mask.length);
  const component = new Int32Array(mask.length);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    // Depth-first flood fill; `component` doubles as the stack (entries below `head` are finished).
    let count = 0;
    let head = 0;
    component[count++] = start;
    seen[start] = 1;
    while (head < count) {
      const i = component[head++]!;
      const x = i % size;
      const y = (i - x) / size;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= size) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= size) continue;
          const j = yy * size + xx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            component[count++] = j;
          }
        }
      }
    }
    if (count < minPixels) for (let k = 0; k < count; k++) mask[component[k]!] = 0;
  }
}

function maskToRgb(mask: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(mask.length * 3).fill(PAPER);
  for (let i = 0; i < mask.length; i++) if (mask[i]) rgb.fill(INK, 3 * i, 3 * i + 3);
  return rgb;
}

/** 1 where the RGB image is darker than mid-grey (a line), 0 elsewhere. */
function rgbToMask(rgb: Uint8Array): Uint8Array {
  const mask = new Uint8Array(rgb.length / 3);
  for (let i = 0, p = 0; i < mask.length; i++, p += 3) mask[i] = rgb[p]! + rgb[p + 1]! + rgb[p + 2]! < 3 * 128 ? 1 : 0;
  return mask;
}

/**
 * A pen-drawing-like line map of a photo.
 * @param rgb `size × size × 3` bytes, row-major HWC.
 * @returns the same shape: black (0) lines about one pixel wide on white (255), connected, without specks.
 */
export function extractEdges(rgb: Uint8Array, size: number, options: EdgeOptions = {}): Uint8Array {
  checkRgb(rgb, size);
  const o = resolveOptions(size, options);
  const blurred = gaussianBlur(luminance(rgb, size), size, o.sigma);
  const { magnitude, direction } = sobel(blurred, size);
  const candidates = nonMaximumSuppression(magnitude, direction, size);
  const high = Math.max(percentileOfPositive(candidates, o.highPercentile), o.minContrast);
  const mask = hysteresis(candidates, size, high * o.lowRatio, high);
  thin(mask, size);
  removeSpecks(mask, size, o.minComponentPixels);
  return maskToRgb(mask);
}

/**
 * The same line map drawn with a pen `width` pixels wide (1–3), for stroke-width augmentation: real hand-drawn
 * sketches have thicker lines than the one-pixel edges the model trains on. Width 1 returns a copy; wider pens
 * dilate every line pixel by a `width × width` square (for width 2 the square extends right and down).
 * @param edges `size × size × 3` bytes, black lines on white, as `extractEdges` makes them.
 */
export function strokeWidthVariant(edges: Uint8Array, size: number, width: number): Uint8Array {
  checkRgb(edges, size);
  if (!Number.isInteger(width) || width < 1 || width > 3) {
    throw new RangeError(`Stroke width must be 1, 2 or 3, got ${width}.`);
  }
  if (width === 1) return edges.slice();
  const mask = rgbToMask(edges);
  const out = new Uint8Array(mask.length);
  const from = -Math.floor((width - 1) / 2);
  const to = from + width - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!mask[y * size + x]) continue;
      for (let dy = from; dy <= to; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= size) continue;
        for (let dx = from; dx <= to; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < size) out[yy * size + xx] = 1;
        }
      }
    }
  }
  return maskToRgb(out);
}

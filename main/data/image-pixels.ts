// The one place where image files and bytes become model pixels (square RGB, uint8, HWC) and back, through sharp.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { StudioError } from '../api/errors.js';
import { assertPixelCount, assertPngHeaderSize, damaged, MAX_IMAGE_FILE_BYTES, MAX_IMAGE_PIXELS } from './image-ingest.js';

export interface DecodeOptions {
  /** Name used in error messages; defaults to the file's base name, or "image" for bytes. */
  name?: string;
  /**
   * White border kept around the picture, on each side, as a fraction of the picture's side: the picture is
   * shrunk to `size / (1 + 2 × margin)` and centred. For objects that touch the frame (emoji) so that a random
   * crop of the training size still shows them whole. Default 0.
   */
  margin?: number;
}

/** Two pictures side by side in one file (left: A, right: B), each decoded like `decodeRgb`. */
export interface SideBySidePixels {
  a: Uint8Array; // size × size × 3
  b: Uint8Array; // size × size × 3
}

const WHITE = { r: 255, g: 255, b: 255 };
// Same level as image-ingest.ts: 'error' rather than 'warning', so harmless decoder warnings (stray bytes after
// the image) pass while truncated or corrupt pixel data still fails.
const FAIL_ON = 'error';
// Rendered documents rather than pixels, refused as image-ingest.ts refuses them: an SVG draws at whatever size it asks.
const DOCUMENT_FORMATS = new Set(['svg', 'pdf']);
/** Largest |width / (2 × height) − 1| accepted for a side-by-side A|B file (scans and resaves shave a pixel or two). */
export const SIDE_BY_SIDE_ASPECT_TOLERANCE = 0.02;

interface OpenedImage {
  bytes: Buffer;
  meta: Metadata;
  name: string;
  width: number; // as displayed, after EXIF orientation
  height: number;
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Image side must be a positive integer, got ${size}.`);
}

async function readInput(input: Buffer | string, name: string): Promise<Buffer> {
  if (typeof input !== 'string') return input;
  try {
    // Checked before reading, so a huge file costs a stat, not half a gigabyte of memory.
    const info = await stat(input);
    if (!info.isFile()) throw new StudioError('INVALID_IMAGE', `${name} is not a file.`);
    if (info.size > MAX_IMAGE_FILE_BYTES) {
      throw new StudioError('IMAGE_TOO_LARGE', `${name} is larger than ${MAX_IMAGE_FILE_BYTES / 1024 / 1024} MiB.`);
    }
    return await readFile(input);
  } catch (err) {
    if (err instanceof StudioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioError('NOT_FOUND', `${name} was not found (${input}).`);
    throw new StudioError('IO_ERROR', `Could not read ${input}: ${(err as Error).message}`);
  }
}

/** Reads the header only: format, size and the pixel-bomb guard, before any pixel is decoded. */
async function openImage(input: Buffer | string, options: DecodeOptions): Promise<OpenedImage> {
  const name = options.name ?? (typeof input === 'string' ? path.basename(input) : 'image');
  const bytes = await readInput(input, name);
  if (bytes.length === 0) throw new StudioError('INVALID_IMAGE', `${name} is empty.`);
  assertPngHeaderSize(bytes, name);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, failOn: FAIL_ON }).metadata();
  } catch (err) {
    const message = (err as Error).message;
    throw new StudioError('INVALID_IMAGE', /unsupported image format/i.test(message) ? `${name} is not an image.` : damaged(name, 'its header cannot be read', err));
  }
  if (DOCUMENT_FORMATS.has(meta.format)) {
    throw new StudioError('UNSUPPORTED_FORMAT', `${name} is a ${meta.format.toUpperCase()} document, not a picture.`);
  }
  const { width, height } = meta.autoOrient;
  assertPixelCount(name, width, height);
  return { bytes, meta, name, width, height };
}

/** Upright, opaque sRGB: EXIF orientation applied, transparency flattened onto white, grey expanded to RGB. */
function uprightRgb(image: OpenedImage): Sharp {
  return sharp(image.bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: FAIL_ON })
    .rotate()
    .flatten({ background: WHITE });
}

/** Runs the pipeline to exactly `size × size × 3` bytes; decoding happens here, so corrupt data fails here. */
async function toRgb(pipeline: Sharp, size: number, name: string, height = size): Promise<Uint8Array> {
  const width = size;
  let data: Buffer;
  let info: OutputInfo;
  try {
    ({ data, info } = await pipeline.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw new StudioError('INVALID_IMAGE', damaged(name, 'its pixels are truncated or corrupt', err));
  }
  if (info.width !== width || info.height !== height || info.channels !== 3) {
    const got = `${info.width}×${info.height}×${info.channels}`;
    throw new StudioError('INVALID_IMAGE', `${name} decoded to ${got}, not ${width}×${height}×3.`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * Centre-crops to a square (the longer side is cut equally at both ends), then resizes to `size` (Lanczos);
 * with a margin, shrinks further and pads with white.
 */
function squareAt(pipeline: Sharp, size: number, margin: number): Sharp {
  if (!(margin >= 0 && margin <= 1)) throw new RangeError(`Margin must be a fraction in [0, 1], got ${margin}.`);
  const inner = Math.max(1, Math.round(size / (1 + 2 * margin)));
  pipeline = pipeline.resize(inner, inner, { fit: 'cover', position: 'centre' });
  if (inner === size) return pipeline;
  const before = Math.floor((size - inner) / 2);
  const after = size - inner - before;
  return pipeline.extend({ top: before, left: before, bottom: after, right: after, background: WHITE });
}

/**
 * Decodes a file (path) or encoded bytes to model pixels: `size × size × 3` uint8 RGB, row-major HWC.
 * Alpha is flattened onto white, grey becomes RGB, EXIF orientation is applied, and any aspect becomes a square
 * by centre-cropping before the resize. Rejects with a StudioError naming the file when it is missing, empty,
 * not an image, damaged or truncated, or larger than the pixel-bomb limit of image-ingest.ts.
 */
export async function decodeRgb(input: Buffer | string, size: number, options: DecodeOptions = {}): Promise<Uint8Array> {
  checkSize(size);
  const image = await openImage(input, options);
  return toRgb(squareAt(uprightRgb(image), size, options.margin ?? 0), size, image.name);
}

/**
 * Decodes an A|B file (left half A, right half B, as pix2pix's datasets store pairs): each half becomes
 * `size × size × 3` as `decodeRgb` would make it. Rejects when the file is not about twice as wide as tall.
 */
export async function decodeSideBySide(
  input: Buffer | string,
  size: number,
  options: DecodeOptions = {},
): Promise<SideBySidePixels> {
  checkSize(size);
  const image = await openImage(input, options);
  const { width, height, name } = image;
  if (Math.abs(width / (2 * height) - 1) > SIDE_BY_SIDE_ASPECT_TOLERANCE) {
    throw new StudioError(
      'INVALID_IMAGE',
      `${name} is ${width}×${height}; a side-by-side A|B image is twice as wide as it is tall.`,
      { width, height },
    );
  }
  // Decoded once to raw pixels, then each half is cut from memory. For an odd width the middle column is dropped.
  let whole: Buffer;
  try {
    whole = await uprightRgb(image).toColourspace('srgb').removeAlpha().raw().toBuffer();
  } catch (err) {
    throw new StudioError('INVALID_IMAGE', damaged(name, 'its pixels are truncated or corrupt', err));
  }
  const half = Math.floor(width / 2);
  const cut = (left: number): Sharp =>
    sharp(whole, { raw: { width, height, channels: 3 } }).extract({ left, top: 0, width: half, height });
  const margin = options.margin ?? 0;
  const [a, b] = await Promise.all([
    toRgb(squareAt(cut(0), size, margin), size, name),
    toRgb(squareAt(cut(width - half), size, margin), size, name),
  ]);
  return { a, b };
}

/**
 * Decodes an image that must already be `size × size` (a prepared dataset's files) without resampling, so the
 * pixels come back exactly as they were stored. Rejects when the size differs.
 */
export async function decodeStoredRgb(
  input: Buffer | string,
  size: number,
  options: DecodeOptions = {},
): Promise<Uint8Array> {
  checkSize(size);
  const image = await openImage(input, options);
  if (image.width !== size || image.height !== size) {
    throw new StudioError('INVALID_IMAGE', `${image.name} is ${image.width}×${image.height}, expected ${size}×${size}.`);
  }
  return toRgb(uprightRgb(image), size, image.name);
}

/** Decodes a file at its own size (upright, transparency on white, RGB): `{ rgb: width × height × 3, width, height }`. */
export async function decodeRgbAsIs(input: Buffer | string, options: DecodeOptions = {}): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const image = await openImage(input, options);
  return { rgb: await toRgb(uprightRgb(image), image.width, image.name, image.height), width: image.width, height: image.height };
}

/** Encodes model pixels (`size × size × 3` uint8 RGB, HWC) as a lossless PNG. */
export async function encodePng(rgb: Uint8Array, size: number): Promise<Buffer> {
  checkSize(size);
  if (rgb.length !== size * size * 3) {
    throw new RangeError(`Expected ${size}×${size}×3 = ${size * size * 3} RGB bytes, got ${rgb.length}.`);
  }
  return sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

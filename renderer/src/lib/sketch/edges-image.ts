// Pictures in and out of "Load image as edges": a picked file becomes a square PNG for 'sketch.edges', and the
// edges PNG that comes back becomes decoded pixels the canvas and the rasteriser draw.
import { toBase64 } from '../file-upload.js';
import { canvasToPng, createCanvas, MAX_SKETCH_PNG_BYTES } from './rasterise.js';
import type { SketchBackground } from './sketch-history.js';

/** Largest side sent for edge extraction: the back end works at the model's size (≤ 512 px), so more is waste. */
export const MAX_EDGES_SOURCE_SIDE = 1024;

/** A picked file that is not a readable image: its message is for the user. */
export class UnreadableImageError extends Error {
  constructor(name: string) {
    super(`“${name}” is not an image this window can read (PNG, JPEG, WebP, GIF or BMP).`);
    this.name = 'UnreadableImageError';
  }
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const pngDataUrl = (base64: string): string => `data:image/png;base64,${base64}`;

/** Decodes a base64 PNG from the back end into pixels the canvas can draw. */
export async function decodePng(base64: string): Promise<SketchBackground> {
  let image: ImageBitmap;
  try {
    image = await createImageBitmap(new Blob([base64ToBytes(base64)], { type: 'image/png' }));
  } catch {
    throw new Error('The edges image from the back end could not be decoded.');
  }
  return { image, width: image.width, height: image.height };
}

/**
 * A picked image file as base64 PNG: its centred square (the canvas is square; stretching would distort the
 * drawing), at most MAX_EDGES_SOURCE_SIDE px a side.
 */
export async function fileToSquarePng(file: Blob & { name?: string }): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new UnreadableImageError(file.name ?? 'The file');
  }
  try {
    const crop = Math.min(bitmap.width, bitmap.height);
    const side = Math.min(crop, MAX_EDGES_SOURCE_SIDE);
    const { canvas, ctx } = createCanvas(side, side);
    ctx.fillStyle = '#ffffff'; // transparent areas read as paper, not black
    ctx.fillRect(0, 0, side, side);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, (bitmap.width - crop) / 2, (bitmap.height - crop) / 2, crop, crop, 0, 0, side, side);
    const png = await canvasToPng(canvas);
    if (png.byteLength > MAX_SKETCH_PNG_BYTES) throw new Error(`“${file.name ?? 'The image'}” is too detailed to send (over 4 MB as PNG).`);
    return toBase64(png);
  } finally {
    bitmap.close();
  }
}

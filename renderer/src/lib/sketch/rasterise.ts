// Turns the vector sketch into what the model reads: a `size × size` PNG, black ink on white, pixels binarised
// like the one-pixel edge maps pix2pix sketch models train on (main/data/edge-extractor.ts).
import { toBase64 } from '../file-upload.js';
import { MAX_PREVIEW_BYTES } from '../../../../main/api/contract.js';
import type { SketchDocument, Stroke } from './sketch-history.js';

/** Pixels darker than this (0–255 luminance) become ink: a 1 px line between two pixel centres (≈ 50% grey) stays. */
export const INK_THRESHOLD = 160;
/** The contract's cap on a sketch sent as PNG. */
export const MAX_SKETCH_PNG_BYTES = MAX_PREVIEW_BYTES;

export const INK_COLOURS = { pen: '#000000', eraser: '#ffffff' } as const;

/**
 * The points a stroke is drawn through. A click leaves a single point, which canvases draw as nothing: it becomes
 * a segment a millionth of the side long, which round caps turn into a dot of the stroke's width (on screen and in
 * the raster alike).
 */
export function drawablePoints(stroke: Pick<Stroke, 'points'>): number[] {
  const p = stroke.points;
  if (p.length === 2) return [p[0]!, p[1]!, p[0]! + 1e-6, p[1]!];
  return [...p];
}

/** Sets every pixel to pure black or white by luminance, opaque; `rgba` is canvas ImageData layout. In place. */
export function binarise(rgba: Uint8ClampedArray, threshold = INK_THRESHOLD): void {
  for (let i = 0; i < rgba.length; i += 4) {
    // Composite over white first: transparent pixels are paper.
    const a = rgba[i + 3]! / 255;
    const luminance = (0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!) * a + 255 * (1 - a);
    const v = luminance < threshold ? 0 : 255;
    rgba[i] = v;
    rgba[i + 1] = v;
    rgba[i + 2] = v;
    rgba[i + 3] = 255;
  }
}

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** A 2D canvas of `width × height`: OffscreenCanvas where there is one, else a detached <canvas>. */
export function createCanvas(width: number, height: number): { canvas: OffscreenCanvas | HTMLCanvasElement; ctx: Canvas2D } {
  const canvas =
    typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d') as Canvas2D | null;
  if (!ctx) throw new Error('This window cannot draw on a canvas (2D context unavailable).');
  return { canvas, ctx };
}

/** Encodes a canvas as PNG bytes. */
export async function canvasToPng(canvas: OffscreenCanvas | HTMLCanvasElement): Promise<Uint8Array> {
  const blob =
    'convertToBlob' in canvas
      ? await canvas.convertToBlob({ type: 'image/png' })
      : await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The sketch could not be encoded as PNG.');
  return new Uint8Array(await blob.arrayBuffer());
}

/** Draws `doc` on `ctx` scaled to `size` px: white paper, the background image stretched over it, then the strokes. */
export function drawSketch(ctx: Canvas2D, doc: SketchDocument, size: number): void {
  ctx.save();
  ctx.fillStyle = INK_COLOURS.eraser;
  ctx.fillRect(0, 0, size, size);
  if (doc.background) {
    // Nearest neighbour: an edge map keeps hard one-pixel lines when its size differs from the model's.
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(doc.background.image, 0, 0, size, size);
  }
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const stroke of doc.strokes) {
    const p = drawablePoints(stroke);
    ctx.strokeStyle = INK_COLOURS[stroke.ink];
    ctx.lineWidth = stroke.width * size;
    ctx.beginPath();
    ctx.moveTo(p[0]! * size, p[1]! * size);
    for (let i = 2; i + 1 < p.length; i += 2) ctx.lineTo(p[i]! * size, p[i + 1]! * size);
    ctx.stroke();
  }
  ctx.restore();
}

/** The sketch as the model reads it: base64 of a `size × size` PNG of binarised pixels. */
export async function rasteriseSketch(doc: SketchDocument, size: number): Promise<string> {
  const { canvas, ctx } = createCanvas(size, size);
  drawSketch(ctx, doc, size);
  const pixels = ctx.getImageData(0, 0, size, size);
  binarise(pixels.data);
  ctx.putImageData(pixels, 0, 0);
  const png = await canvasToPng(canvas);
  if (png.byteLength > MAX_SKETCH_PNG_BYTES) throw new Error(`The sketch PNG is ${png.byteLength} bytes, over the ${MAX_SKETCH_PNG_BYTES}-byte limit.`);
  return toBase64(png);
}

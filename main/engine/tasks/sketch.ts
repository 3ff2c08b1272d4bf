// Engine tasks of the Sketch view: render a sketch with an image-to-image model, and turn a photo into pen-like edges.
import { z } from 'zod';
import { decodeRgb, encodePng } from '../../data/image-pixels.js';
import { extractEdges } from '../../data/edge-extractor.js';
import type { EngineTaskContext } from './index.js';

export const SketchRenderParams = z.object({
  modelFolder: z.string(),
  family: z.string().optional(), // refuse any other family with a clear message
  sketchPngBase64: z.string(),
});

export interface SketchRenderResult {
  sketchPngBase64: string; // the sketch as the model saw it: RGB at the model's size
  imagePngBase64: string;
  width: number;
  height: number;
  ms: number; // decode + inference + encode, in the engine
}

/** Any size, grey or RGBA sketch → the model's RGB input (alpha onto white, centre-cropped square) → its image. */
export async function sketchRenderTask(raw: unknown, ctx: EngineTaskContext): Promise<SketchRenderResult> {
  const params = SketchRenderParams.parse(raw);
  const model = await ctx.models.imageToImage(params.modelFolder, { family: params.family });
  const started = performance.now();
  const sketch = await decodeRgb(Buffer.from(params.sketchPngBase64, 'base64'), model.size, { name: 'the sketch' });
  const image = model.run(sketch);
  const [sketchPng, imagePng] = await Promise.all([encodePng(sketch, model.size), encodePng(image, model.size)]);
  return {
    sketchPngBase64: sketchPng.toString('base64'),
    imagePngBase64: imagePng.toString('base64'),
    width: model.size,
    height: model.size,
    ms: performance.now() - started,
  };
}

export const SketchEdgesParams = z.object({
  size: z.number().int().min(16).max(2048),
  image: z.union([z.object({ path: z.string() }), z.object({ pngBase64: z.string() })]),
});

/** A photo (file or bytes) → black-on-white edges at `size`, as the training pairs' A side was made. */
export async function sketchEdgesTask(raw: unknown): Promise<{ edgesPngBase64: string; width: number; height: number }> {
  const { size, image } = SketchEdgesParams.parse(raw);
  const source = 'path' in image ? image.path : Buffer.from(image.pngBase64, 'base64');
  const rgb = await decodeRgb(source, size, { name: 'the picture' });
  const edges = await encodePng(extractEdges(rgb, size), size);
  return { edgesPngBase64: edges.toString('base64'), width: size, height: size };
}

// Engine tasks of the Sketch view: render a sketch with an image-to-image model, and turn a photo into pen-like edges.
import { decodeRgb, encodePng } from '../../data/image-pixels.js';
import { extractEdges } from '../../data/edge-extractor.js';
import type { EngineParams, SketchEdgesResult, SketchRenderResult } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';

/** Any size, grey or RGBA sketch → the model's RGB input (alpha onto white, centre-cropped square) → its image. */
export async function sketchRenderTask(params: EngineParams<'sketch.render'>, ctx: EngineTaskContext): Promise<SketchRenderResult> {
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

/** A photo (file or bytes) → black-on-white edges at `size`, as the training pairs' A side was made. */
export async function sketchEdgesTask(params: EngineParams<'sketch.edges'>): Promise<SketchEdgesResult> {
  const { size, image } = params;
  const source = 'path' in image ? image.path : Buffer.from(image.pngBase64, 'base64');
  const rgb = await decodeRgb(source, size, { name: 'the picture' });
  const edges = await encodePng(extractEdges(rgb, size), size);
  return { edgesPngBase64: edges.toString('base64'), width: size, height: size };
}

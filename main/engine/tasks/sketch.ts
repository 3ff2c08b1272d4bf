// Engine tasks of the Sketch view: render a sketch with an image-to-image model, and turn a photo into pen-like edges.
import { decodeRgb, encodePng } from '../../data/image-pixels.js';
import { extractEdges } from '../../data/edge-extractor.js';
import type { EngineParams, SketchEdgesResult, SketchRenderResult, SketchSaveRenderResult } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';

/** Any size, grey or RGBA sketch → the model's RGB input (alpha onto white, centre-cropped square) → its image. */
async function runModelOnSketch(params: EngineParams<'sketch.render'>, ctx: EngineTaskContext): Promise<{ sketch: Uint8Array; image: Uint8Array; size: number; started: number }> {
  const model = await ctx.models.imageToImage(params.modelFolder, { family: params.family });
  const started = performance.now();
  const sketch = await decodeRgb(Buffer.from(params.sketchPngBase64, 'base64'), model.size, { name: 'the sketch' });
  return { sketch, image: model.run(sketch), size: model.size, started };
}

/**
 * One live preview (a stroke): only the image is encoded, once; main/ hands this very base64 to the view. The
 * sketch as the model saw it is not encoded here: nothing on the preview path would read it.
 */
export async function sketchRenderTask(params: EngineParams<'sketch.render'>, ctx: EngineTaskContext): Promise<SketchRenderResult> {
  const { image, size, started } = await runModelOnSketch(params, ctx);
  const imagePng = await encodePng(image, size);
  return { imagePngBase64: imagePng.toString('base64'), width: size, height: size, ms: performance.now() - started };
}

/** A render to save: the image and the sketch as the model saw it, each encoded once; both are stored as they are. */
export async function sketchRenderToSaveTask(params: EngineParams<'sketch.renderToSave'>, ctx: EngineTaskContext): Promise<SketchSaveRenderResult> {
  const { sketch, image, size, started } = await runModelOnSketch(params, ctx);
  const [sketchPng, imagePng] = await Promise.all([encodePng(sketch, size), encodePng(image, size)]);
  return {
    sketchPngBase64: sketchPng.toString('base64'),
    imagePngBase64: imagePng.toString('base64'),
    width: size,
    height: size,
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

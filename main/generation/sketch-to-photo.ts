// Sketch-to-photo on the main side: resolves the model, has the engine render the sketch, and saves sketch and result
// into the project with their lineage (sketch asset → generation → output asset).
import type { Asset } from '../api/contract.js';
import { ingestImageBytes } from '../data/image-ingest.js';
import type { EngineParamsInput, SketchEdgesResult, SketchRenderResult } from '../engine/engine-api.js';
import { modelFolder, requireFamily, type ModelContext } from './model-folders.js';

/** Families that turn a sketch into a picture. */
const sketchFamilies = ['pix2pix'] as const;

/** What the engine's sketch renders take: the model's folder and family, and the sketch as the view sent it. */
function renderParams(ctx: ModelContext, modelId: number, sketchPngBase64: string): EngineParamsInput<'sketch.render'> {
  const model = requireFamily(ctx.library.getModel(modelId), sketchFamilies, 'Sketch');
  return { modelFolder: modelFolder(ctx.library, ctx.builtinModelsDir, model), family: model.family, sketchPngBase64 };
}

/** A live preview (one per stroke): the engine encodes the image once, and that PNG is what the view gets. */
export async function renderSketch(ctx: ModelContext, modelId: number, sketchPngBase64: string): Promise<SketchRenderResult> {
  return ctx.engine.run('sketch.render', renderParams(ctx, modelId, sketchPngBase64)).result;
}

export async function sketchEdges(ctx: ModelContext, modelId: number, image: { path: string } | { pngBase64: string }): Promise<SketchEdgesResult> {
  const model = requireFamily(ctx.library.getModel(modelId), sketchFamilies, 'Sketch');
  return ctx.engine.run('sketch.edges', { size: model.imageSize, image }).result;
}

/**
 * Renders again (the model is deterministic, so this is the image the artist saw) and stores the sketch as the model
 * saw it and the result; the generation records the model and the sketch as its parent.
 */
export async function saveSketch(ctx: ModelContext, projectId: number, modelId: number, sketchPngBase64: string): Promise<{ sketchAsset: Asset; outputAsset: Asset; generationId: number }> {
  const { library } = ctx;
  const project = library.getProject(projectId);
  const model = library.getModel(modelId);
  const rendered = await ctx.engine.run('sketch.renderToSave', renderParams(ctx, modelId, sketchPngBase64)).result;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const sketchImage = await ingestImageBytes(Buffer.from(rendered.sketchPngBase64, 'base64'), `sketch-${stamp}.png`, project.folder);
  const outputImage = await ingestImageBytes(Buffer.from(rendered.imagePngBase64, 'base64'), `${model.name}-${stamp}.png`, project.folder);
  const sketchAsset = library.addIngestedAsset(projectId, sketchImage, 'sketch').asset;
  const outputAsset = library.addIngestedAsset(projectId, outputImage, 'generation').asset;
  const generation = library.addGeneration({
    projectId,
    modelId,
    operation: 'sketch2photo',
    params: { model: { id: model.id, name: model.name, family: model.family, imageSize: model.imageSize }, dropout: false, sketchAssetId: sketchAsset.id },
    outputAssetId: outputAsset.id,
    parents: [{ assetId: sketchAsset.id, role: 'sketch' }],
  });
  return { sketchAsset, outputAsset, generationId: generation.id };
}

// Seed generation on the main side: resolves the StyleGAN2 model, has the engine draw the seeds' images, and saves
// them with everything needed to draw them again (model, seed, ψ, cutoff, noise mode) as generations of the project.
import type { Asset } from '../api/contract.js';
import { ingestImageBytes } from '../data/image-ingest.js';
import type { StyleGenerateResult } from '../engine/tasks/stylegan.js';
import { modelFolder, requireFamily, type ModelContext } from './model-folders.js';

export interface SeedRequest {
  modelId: number;
  seeds: number[];
  truncationPsi: number;
  truncationCutoff?: number | undefined;
  noiseMode: 'const' | 'random' | 'none';
}

const styleFamilies = ['stylegan2'] as const;

export async function generateSeeds(ctx: ModelContext, request: SeedRequest): Promise<StyleGenerateResult> {
  const model = requireFamily(ctx.library.getModel(request.modelId), styleFamilies, 'Generate');
  const { modelId: _modelId, truncationCutoff, ...settings } = request;
  const params = { modelFolder: modelFolder(ctx.library, ctx.builtinModelsDir, model), ...settings, ...(truncationCutoff === undefined ? {} : { truncationCutoff }) };
  return (await ctx.engine.runTask('stylegan.generate', params).result) as StyleGenerateResult;
}

/** Draws the seeds again (const or no noise draws the same image; random noise draws anew) and files each as a generation. */
export async function saveSeeds(ctx: ModelContext, projectId: number, request: SeedRequest): Promise<Array<{ seed: number; generationId: number; asset: Asset }>> {
  const { library } = ctx;
  const project = library.getProject(projectId);
  const model = library.getModel(request.modelId);
  const { imagesPngBase64 } = await generateSeeds(ctx, request);
  const saved: Array<{ seed: number; generationId: number; asset: Asset }> = [];
  for (const [i, seed] of request.seeds.entries()) {
    const image = await ingestImageBytes(Buffer.from(imagesPngBase64[i]!, 'base64'), `${model.name} seed ${seed}.png`, project.folder);
    const asset = library.addIngestedAsset(projectId, image, 'generation').asset;
    const generation = library.addGeneration({
      projectId,
      modelId: model.id,
      operation: 'sample',
      params: {
        model: { id: model.id, name: model.name, family: model.family, imageSize: model.imageSize },
        seed,
        truncationPsi: request.truncationPsi,
        ...(request.truncationCutoff === undefined ? {} : { truncationCutoff: request.truncationCutoff }),
        noiseMode: request.noiseMode,
      },
      outputAssetId: asset.id,
      parents: [],
    });
    saved.push({ seed, generationId: generation.id, asset });
  }
  return saved;
}

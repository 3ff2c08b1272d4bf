// StyleGAN2 on the main side: resolves the model, has the engine draw seeds and style mixes, and saves them with
// everything needed to draw them again (model, seeds, ψ, cutoff, noise mode, mix sources and layer weights).
import type { Asset, MixRequest, MixSource } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import { ingestImageBytes } from '../data/image-ingest.js';
import type { StyleGenerateResult, StyleMixParams, StyleMixResult } from '../engine/engine-api.js';
import { seedFamilyNames } from '../../models/families.js';
import { styleGroups, type StyleGroup } from '../../models/stylegan/mixing.js';
import { numWs, wsResolutions } from '../../models/stylegan/networks.js';
import type { ModelRecord } from '../library/model-store.js';
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
  const model = requireFamily(ctx.library.getModel(request.modelId), seedFamilyNames, 'Generate');
  const { modelId: _modelId, truncationCutoff, ...settings } = request;
  const params = { modelFolder: modelFolder(ctx.library, ctx.builtinModelsDir, model), ...settings, ...(truncationCutoff === undefined ? {} : { truncationCutoff }) };
  return ctx.engine.run('stylegan.generate', params).result;
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

/** The model's w layers: their resolutions and the coarse / middle / fine groups the mixing sliders are organised by. */
export function styleLayout(ctx: ModelContext, modelId: number): { resolution: number; numWs: number; wsResolutions: number[]; groups: Record<StyleGroup, number[]> } {
  const model = requireFamily(ctx.library.getModel(modelId), styleFamilies, 'Mix');
  const resolution = model.imageSize;
  return { resolution, numWs: numWs(resolution), wsResolutions: wsResolutions(resolution), groups: styleGroups(resolution) };
}

/**
 * Sources as the engine takes them: seeds with their truncation, latents by value with their noise maps. A latent
 * made with another model is refused: it means nothing to this one.
 */
export function engineSources(ctx: ModelContext, model: ModelRecord, sources: readonly MixSource[]): StyleMixParams['sources'] {
  return sources.map((source) => {
    if (source.kind === 'seed') return { seed: source.seed, truncationPsi: source.truncationPsi, ...(source.truncationCutoff === undefined ? {} : { truncationCutoff: source.truncationCutoff }) };
    const latent = ctx.library.getLatent(source.latentId);
    if (latent.modelId !== model.id) {
      const owner = ctx.library.getModel(latent.modelId);
      throw new StudioError('MODEL_INCOMPATIBLE', `Latent ${latent.id} belongs to “${owner.name}”; a latent only means something to the model it was made with.`);
    }
    return { ws: Array.from(latent.data), ...(latent.noise === null ? {} : { noise: Array.from(latent.noise) }) };
  });
}

/** The engine's form of the mix. */
function engineMix(ctx: ModelContext, request: MixRequest): StyleMixParams {
  const model = requireFamily(ctx.library.getModel(request.modelId), styleFamilies, 'Mix');
  const sources = engineSources(ctx, model, request.sources);
  if (request.layerWeights.some((row) => row.length !== sources.length)) {
    throw new StudioError('INVALID_PARAMS', `Each layer needs one weight per source (${sources.length}).`);
  }
  return { modelFolder: modelFolder(ctx.library, ctx.builtinModelsDir, model), sources, layerWeights: request.layerWeights, noiseMode: request.noiseMode };
}

export async function renderMix(ctx: ModelContext, request: MixRequest): Promise<StyleMixResult> {
  return ctx.engine.run('stylegan.mix', engineMix(ctx, request)).result;
}

/** Renders the mix again and files it; latent sources made from photos become the generation's parents. */
export async function saveMix(ctx: ModelContext, projectId: number, request: MixRequest): Promise<{ asset: Asset; generationId: number }> {
  const { library } = ctx;
  const project = library.getProject(projectId);
  const model = library.getModel(request.modelId);
  const { imagePngBase64 } = await renderMix(ctx, request);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const image = await ingestImageBytes(Buffer.from(imagePngBase64, 'base64'), `${model.name} mix ${stamp}.png`, project.folder);
  const asset = library.addIngestedAsset(projectId, image, 'generation').asset;
  const parents = request.sources.flatMap((source, i) => {
    if (source.kind !== 'latent') return [];
    const { sourceAssetId } = library.getLatent(source.latentId);
    return sourceAssetId === null ? [] : [{ assetId: sourceAssetId, role: `source ${i}` }];
  });
  const generation = library.addGeneration({
    projectId,
    modelId: model.id,
    operation: 'mix',
    params: { model: { id: model.id, name: model.name, family: model.family, imageSize: model.imageSize }, sources: request.sources, layerWeights: request.layerWeights, noiseMode: request.noiseMode },
    outputAssetId: asset.id,
    parents,
  });
  return { asset, generationId: generation.id };
}

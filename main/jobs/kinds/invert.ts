// Job "Invert a picture": the engine projects it into a StyleGAN2 model; main/ files each preview frame (the job's
// preview), then the reconstruction as a generation whose parent is the picture, and the latent with its noise maps.
import path from 'node:path';
import { InvertJobParams, type InvertOutcome } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import { ingestImageFile } from '../../data/image-ingest.js';
import type { JobKindSpec } from '../job-kind.js';

export const invertJob: JobKindSpec<'stylegan.invert'> = {
  label: 'Invert a picture',
  task: 'stylegan.invert',
  prepare(raw, projectId, library, jobId) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Inversion needs a project.');
    const params = InvertJobParams.parse(raw);
    const project = library.getProject(projectId);
    const model = library.getModel(params.modelId);
    const outcome: InvertOutcome = { notices: [], previews: 0, latentId: null, generationId: null, outputAssetId: null, psnr: null, ssim: null };
    const ingest = async (file: string, name: string, origin: 'sample' | 'generation'): Promise<number> => {
      const image = await ingestImageFile(file, project.folder);
      const { asset } = library.addIngestedAsset(projectId, { ...image, name }, origin);
      library.tagAssets(projectId, [asset.id], `inversion ${jobId}`, false);
      return asset.id;
    };
    return {
      engineParams: {
        modelFolder: params.modelFolder,
        targetPath: params.targetPath,
        outDir: path.join(project.folder, 'inversions', `inversion-${jobId}`),
        space: params.space,
        steps: params.steps,
        seed: params.seed,
        previewEvery: Math.max(1, Math.round(params.steps / 20)),
      },
      collector: {
        onItem(item) {
          switch (item.kind) {
            case 'notice':
              outcome.notices.push(item.message);
              return;
            case 'preview':
              outcome.previews++;
              return ingest(item.path, `inversion ${jobId} step ${item.step}.png`, 'sample').then((assetId) => ({ assetId, step: item.step }));
            case 'result':
              return ingest(item.path, `${model.name} inversion ${jobId}.png`, 'generation').then((assetId) => {
                const latent = library.addLatent({
                  projectId,
                  modelId: model.id,
                  kind: params.space,
                  data: Float32Array.from(item.latent),
                  noise: Float32Array.from(item.noise),
                  sourceAssetId: params.assetId,
                });
                const generation = library.addGeneration({
                  projectId,
                  modelId: model.id,
                  operation: 'invert',
                  params: {
                    model: { id: model.id, name: model.name, family: model.family, imageSize: model.imageSize },
                    space: params.space,
                    steps: item.step,
                    seed: params.seed,
                    latentId: latent.id,
                    psnr: item.psnr,
                    ssim: item.ssim,
                    loss: 'mse+ssim',
                  },
                  outputAssetId: assetId,
                  parents: [{ assetId: params.assetId, role: 'target' }],
                });
                Object.assign(outcome, { latentId: latent.id, generationId: generation.id, outputAssetId: assetId, psnr: item.psnr, ssim: item.ssim });
                return { assetId, step: item.step };
              });
          }
        },
        result: () => outcome,
      },
    };
  },
};

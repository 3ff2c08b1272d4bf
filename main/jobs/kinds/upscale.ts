// Job "Upscale": ESRGAN on library pictures; each result is filed as an 'upscale' generation whose parent is the
// picture, as soon as it is written, so a cancelled batch keeps what was done. Failures are listed by name.
import path from 'node:path';
import { UpscaleJobParams, type UpscaleOutcome } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import { ingestImageFile } from '../../data/image-ingest.js';
import type { JobKindSpec } from '../job-kind.js';

export const upscaleJob: JobKindSpec<'esrgan.upscale'> = {
  label: 'Upscale',
  task: 'esrgan.upscale',
  prepare(raw, projectId, library, jobId) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Upscaling needs a project.');
    const params = UpscaleJobParams.parse(raw);
    const project = library.getProject(projectId);
    const assets = params.assetIds.map((id) => library.getAsset(id));
    const outcome: UpscaleOutcome = { upscaled: [], failed: [] };
    return {
      engineParams: {
        files: assets.map((asset, i) => ({
          input: library.assetFilePath(asset.id, 'full'),
          output: path.join(project.folder, 'upscaled', `upscale-${jobId}`, `${i}-${path.parse(asset.name).name}-x${params.scale}.png`),
        })),
        model: params.model,
        scale: params.scale,
      },
      collector: {
        onItem(item) {
          const source = assets[item.index]!;
          if (item.kind === 'failed') {
            outcome.failed.push({ name: source.name, reason: item.reason });
            return;
          }
          return ingestImageFile(item.output, project.folder).then((image) => {
            const { asset } = library.addIngestedAsset(projectId, { ...image, name: `${path.parse(source.name).name} ×${params.scale}.png` }, 'generation');
            const generation = library.addGeneration({
              projectId,
              modelId: null,
              operation: 'upscale',
              params: { model: `esrgan-${params.model}`, scale: params.scale, weights: `npm @upscalerjs/esrgan-${params.model}` },
              outputAssetId: asset.id,
              parents: [{ assetId: source.id, role: 'source' }],
            });
            outcome.upscaled.push({ assetId: source.id, outputAssetId: asset.id, generationId: generation.id });
            return { assetId: asset.id };
          });
        },
        result: () => outcome,
      },
    };
  },
};

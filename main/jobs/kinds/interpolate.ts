// Job "Latent walk": the engine renders a walk through keyframes and writes GIF/WebM into the project's exports/;
// main/ files the GIF as an 'interpolate' generation (its parents: the pictures behind latent keyframes).
import path from 'node:path';
import { InterpolateJobParams, type InterpolateOutcome } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import { ingestImageFile } from '../../data/image-ingest.js';
import { slugOf } from '../../library/project-store.js';
import type { JobKindSpec } from '../job-kind.js';

export const interpolateJob: JobKindSpec<'stylegan.interpolate'> = {
  label: 'Latent walk',
  task: 'stylegan.interpolate',
  prepare(raw, projectId, library, jobId) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'A latent walk needs a project.');
    const params = InterpolateJobParams.parse(raw);
    const project = library.getProject(projectId);
    const model = library.getModel(params.modelId);
    const outcome: InterpolateOutcome = { files: [], generationId: null, assetId: null };
    return {
      engineParams: {
        modelFolder: params.modelFolder,
        keyframes: params.engineKeyframes,
        framesPerTransition: params.framesPerTransition,
        loop: params.loop,
        fps: params.fps,
        formats: params.formats,
        outDir: path.join(project.folder, 'exports'),
        baseName: `${slugOf(model.name, 'model')}-walk-${jobId}`,
      },
      collector: {
        onItem(item) {
          outcome.files.push({ format: item.format, path: item.path, bytes: item.bytes });
          if (item.format !== 'gif') return;
          return ingestImageFile(item.path, project.folder).then((image) => {
            const { asset } = library.addIngestedAsset(projectId, { ...image, name: path.basename(item.path) }, 'generation');
            const parents = params.keyframes.flatMap((k, i) => {
              if (k.kind !== 'latent') return [];
              const { sourceAssetId } = library.getLatent(k.latentId);
              return sourceAssetId === null ? [] : [{ assetId: sourceAssetId, role: `keyframe ${i}` }];
            });
            const generation = library.addGeneration({
              projectId,
              modelId: model.id,
              operation: 'interpolate',
              params: {
                model: { id: model.id, name: model.name, family: model.family, imageSize: model.imageSize },
                keyframes: params.keyframes,
                framesPerTransition: params.framesPerTransition,
                loop: params.loop,
                fps: params.fps,
                space: 'w+',
              },
              outputAssetId: asset.id,
              parents,
            });
            Object.assign(outcome, { generationId: generation.id, assetId: asset.id });
            return { assetId: asset.id };
          });
        },
        result: () => outcome,
      },
    };
  },
};

// Jobs "Train StyleGAN2" and "Train PGGAN": the engine trains on a folder of images; main/ stores losses, files each
// seed grid as an asset (the job's preview) and registers the finished model. A resumed job writes into the first
// job's run.
import path from 'node:path';
import type { z } from 'zod';
import { PGGANTrainingParams, StyleGAN2TrainingParams } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import type { EngineParamsInput, TrainPGGANParams, TrainStyleGAN2Params } from '../../engine/engine-api.js';
import { slugOf } from '../../library/project-store.js';
import type { JobKindSpec } from '../job-kind.js';
import { resumedPosition, rootRunOf, trainingCollector } from './training-collector.js';

/** What both unconditional families share in their settings. */
interface ImageFolderTraining {
  dataDir: string;
  name: string;
  resolution: number;
  batchSize: number;
  totalKimg: number;
  seed: number;
  checkpointEvery: number;
  sampleEvery: number;
  kidEvery: number;
  kidImages: number;
  untilStep?: number | undefined;
  fp16: boolean;
  margin?: number | undefined;
  continueFrom?: string | undefined;
}

function imageFolderTrainingJob<P extends ImageFolderTraining, K extends 'train.stylegan2' | 'train.pggan'>(spec: {
  label: string;
  task: K;
  family: 'stylegan2' | 'pggan';
  schema: z.ZodType<P>;
  config(params: P): Record<string, number>; // the family's network settings
  extra?(params: P): Record<string, unknown>; // family-only engine params that shape the data (part of its recipe)
  training?(params: P): Record<string, unknown>; // family-only engine params of the training itself
}): JobKindSpec<K> {
  return {
    label: spec.label,
    task: spec.task,
    async prepare(rawParams, projectId, library, jobId) {
      if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Training needs a project.');
      const { resumeOf: _resumeOf, ...settings } = rawParams;
      const params = spec.schema.parse(settings);
      const project = library.getProject(projectId);
      const root = rootRunOf(jobId, rawParams);
      const modelFolder = `models/${slugOf(params.name, 'model')}-${root}`;
      const config = spec.config(params);
      const margin = params.margin === undefined ? {} : { margin: params.margin };
      const engineParams = {
        runDir: path.join(project.folder, 'runs', `run-${root}`),
        dataDir: params.dataDir,
        heldOutFraction: 0.05,
        modelDir: path.join(project.folder, modelFolder),
        config,
        totalKimg: params.totalKimg,
        seed: params.seed,
        checkpointEvery: params.checkpointEvery,
        sampleEvery: params.sampleEvery,
        kidEvery: params.kidEvery,
        kidImages: params.kidImages,
        fp16: params.fp16,
        datasetRecipe: { dataDir: params.dataDir, resolution: params.resolution, ...margin, ...spec.extra?.(params) },
        ...margin,
        ...spec.extra?.(params),
        ...spec.training?.(params),
        ...(params.untilStep === undefined ? {} : { untilStep: params.untilStep }),
        ...(params.continueFrom === undefined ? {} : { continueFrom: path.resolve(params.continueFrom) }),
      };
      return {
        // Built for either family from its hooks, so TypeScript cannot tell it is K's; EngineHost checks it against K's spec.
        engineParams: engineParams as EngineParamsInput<K>,
        collector: trainingCollector({
          library,
          projectId,
          projectFolder: project.folder,
          root,
          name: params.name,
          family: spec.family,
          modelFolder,
          modelConfig: { ...config, imageSize: params.resolution },
          startsAt: await resumedPosition(library, jobId, root, engineParams.runDir),
          describe: (step) => `${spec.label.replace('Train ', '')} trained on ${path.basename(params.dataDir)} for ${((step * params.batchSize) / 1000).toFixed(1)} kimg`,
        }),
      };
    },
  };
}

/** The handler names a source run or model by its folder (main/service/handlers.ts); a job never stores `{ run }` itself. */
function fineTuneFolder(source: string | { run: number } | { model: number }): string {
  if (typeof source !== 'string') throw new StudioError('INVALID_PARAMS', `The fine-tune source ${JSON.stringify(source)} was not resolved to its folder.`);
  return path.resolve(source);
}

export const trainStyleGAN2Job = imageFolderTrainingJob({
  label: 'Train StyleGAN2',
  task: 'train.stylegan2',
  family: 'stylegan2',
  schema: StyleGAN2TrainingParams,
  config: (p): TrainStyleGAN2Params['config'] => ({
    resolution: p.resolution,
    channelBase: p.channelBase,
    channelMax: p.channelMax,
    mappingLayers: p.mappingLayers,
    batchSize: p.batchSize,
    ...(p.r1Gamma === undefined ? {} : { r1Gamma: p.r1Gamma }),
  }),
  extra: (p) => ({ mirror: p.mirror }),
  training: (p) => ({ augment: p.augment, ...(p.fineTuneFrom === undefined ? {} : { fineTuneFrom: fineTuneFolder(p.fineTuneFrom) }) }),
});

export const trainPGGANJob = imageFolderTrainingJob({
  label: 'Train PGGAN',
  task: 'train.pggan',
  family: 'pggan',
  schema: PGGANTrainingParams,
  config: (p): TrainPGGANParams['config'] => ({
    resolution: p.resolution,
    fmapBase: p.fmapBase,
    fmapMax: p.fmapMax,
    batchSize: p.batchSize,
    lodTrainingKimg: p.lodTrainingKimg,
    lodTransitionKimg: p.lodTransitionKimg,
  }),
});

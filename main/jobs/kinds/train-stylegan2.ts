// Job "Train StyleGAN2": the engine trains on a folder of images; main/ stores losses, files each seed grid as an
// asset (the job's preview) and registers the finished model. A resumed job writes into the first job's run.
import path from 'node:path';
import { StyleGAN2TrainingParams } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import type { TrainStyleGAN2Params } from '../../engine/tasks/train-stylegan2.js';
import { slugOf } from '../../library/project-store.js';
import type { JobKindSpec } from '../job-kind.js';
import { rootRunOf, trainingCollector } from './training-collector.js';

export const trainStyleGAN2Job: JobKindSpec = {
  label: 'Train StyleGAN2',
  task: 'train.stylegan2',
  prepare(rawParams, projectId, library, jobId) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Training needs a project.');
    const { resumeOf: _resumeOf, ...settings } = rawParams;
    const params = StyleGAN2TrainingParams.parse(settings);
    const project = library.getProject(projectId);
    const root = rootRunOf(jobId, rawParams);
    const modelFolder = `models/${slugOf(params.name, 'model')}-${root}`;
    const config = {
      resolution: params.resolution,
      channelBase: params.channelBase,
      channelMax: params.channelMax,
      mappingLayers: params.mappingLayers,
      batchSize: params.batchSize,
      ...(params.r1Gamma === undefined ? {} : { r1Gamma: params.r1Gamma }),
    };
    const engineParams: TrainStyleGAN2Params = {
      runDir: path.join(project.folder, 'runs', `run-${root}`),
      dataDir: params.dataDir,
      heldOutFraction: 0.05,
      modelDir: path.join(project.folder, modelFolder),
      config,
      totalKimg: params.totalKimg,
      mirror: params.mirror,
      seed: params.seed,
      checkpointEvery: params.checkpointEvery,
      sampleEvery: params.sampleEvery,
      fp16: params.fp16,
      datasetRecipe: { dataDir: params.dataDir, resolution: params.resolution, mirror: params.mirror, ...(params.margin === undefined ? {} : { margin: params.margin }) },
      ...(params.margin === undefined ? {} : { margin: params.margin }),
      ...(params.untilStep === undefined ? {} : { untilStep: params.untilStep }),
      ...(params.continueFrom === undefined ? {} : { continueFrom: path.resolve(params.continueFrom) }),
    };
    return {
      engineParams,
      collector: trainingCollector({
        library,
        projectId,
        projectFolder: project.folder,
        root,
        name: params.name,
        family: 'stylegan2',
        modelFolder,
        modelConfig: { ...config, imageSize: params.resolution },
        describe: (step) => `StyleGAN2 trained on ${path.basename(params.dataDir)} for ${((step * params.batchSize) / 1000).toFixed(1)} kimg`,
      }),
    };
  },
};

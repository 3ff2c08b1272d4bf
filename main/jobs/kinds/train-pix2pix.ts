// Job "Train pix2pix": the engine trains; main/ stores each streamed loss and held-out metric, files each sample grid
// as an asset (the job's preview), and registers the finished model. A resumed job writes into the first job's run.
import path from 'node:path';
import { Pix2pixTrainingParams } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import type { TrainPix2pixParams } from '../../engine/engine-api.js';
import { datasetFolder } from '../../generation/datasets.js';
import { slugOf } from '../../library/project-store.js';
import type { JobKindSpec } from '../job-kind.js';
import { resumedPosition, rootRunOf, trainingCollector } from './training-collector.js';


export const trainPix2pixJob: JobKindSpec<'train.pix2pix'> = {
  label: 'Train pix2pix',
  task: 'train.pix2pix',
  async prepare(rawParams, projectId, library, jobId) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Training needs a project.');
    // Beyond the contract's settings a resumed job carries resumeOf (train.resume).
    const { resumeOf: _resumeOf, ...settings } = rawParams;
    const params = Pix2pixTrainingParams.parse(settings);
    const project = library.getProject(projectId);
    const root = rootRunOf(jobId, rawParams);
    const runDir = path.join(project.folder, 'runs', `run-${root}`);
    const modelFolder = `models/${slugOf(params.name, 'model')}-${root}`;
    const engineParams: TrainPix2pixParams = {
      runDir,
      datasetDir: datasetFolder(project.folder, params.dataset),
      modelDir: path.join(project.folder, modelFolder),
      config: { imageSize: params.imageSize, ngf: params.ngf, ndf: params.ndf, epochs: params.epochs, epochsDecay: params.epochsDecay, batchSize: params.batchSize },
      seed: params.seed,
      checkpointEvery: params.checkpointEvery,
      sampleEvery: params.sampleEvery,
      fp16: params.fp16,
      datasetRecipe: { dataset: params.dataset },
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
        family: 'pix2pix',
        modelFolder,
        modelConfig: { ...engineParams.config, imageSize: params.imageSize },
        startsAt: await resumedPosition(library, jobId, root, runDir),
        describe: (step) => `Trained on “${params.dataset}” for ${step} steps`,
      }),
    };
  },
};

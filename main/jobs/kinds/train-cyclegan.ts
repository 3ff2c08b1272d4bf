// Job "Train CycleGAN": the engine trains on two folders of images; main/ stores each streamed loss, files each
// sample grid as an asset (the job's preview), and registers the finished model. A resumed job writes into the first
// job's run.
import path from 'node:path';
import { CycleganTrainingParams } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import type { TrainCycleGANParams } from '../../engine/engine-api.js';
import { slugOf } from '../../library/project-store.js';
import type { JobKindSpec } from '../job-kind.js';
import { resumedPosition, rootRunOf, trainingCollector } from './training-collector.js';

export const trainCycleGANJob: JobKindSpec<'train.cyclegan'> = {
  label: 'Train CycleGAN',
  task: 'train.cyclegan',
  async prepare(rawParams, projectId, library, jobId) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Training needs a project.');
    // Beyond the contract's settings a resumed job carries resumeOf (train.resume).
    const { resumeOf: _resumeOf, ...settings } = rawParams;
    const params = CycleganTrainingParams.parse(settings);
    const project = library.getProject(projectId);
    const root = rootRunOf(jobId, rawParams);
    const runDir = path.join(project.folder, 'runs', `run-${root}`);
    const modelFolder = `models/${slugOf(params.name, 'model')}-${root}`;
    const engineParams: TrainCycleGANParams = {
      runDir,
      dataA: params.dataA,
      dataB: params.dataB,
      heldOutFraction: 0.05,
      modelDir: path.join(project.folder, modelFolder),
      config: {
        imageSize: params.imageSize,
        ngf: params.ngf,
        ndf: params.ndf,
        nBlocks: params.nBlocks,
        epochs: params.epochs,
        epochsDecay: params.epochsDecay,
        batchSize: params.batchSize,
        lambdaIdentity: params.lambdaIdentity,
      },
      seed: params.seed,
      checkpointEvery: params.checkpointEvery,
      sampleEvery: params.sampleEvery,
      fp16: params.fp16,
      datasetRecipe: { dataA: params.dataA, dataB: params.dataB, imageSize: params.imageSize },
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
        family: 'cyclegan',
        modelFolder,
        modelConfig: { ...engineParams.config },
        startsAt: await resumedPosition(library, jobId, root, runDir),
        describe: (step) => `Translates ${path.basename(params.dataA)} ↔ ${path.basename(params.dataB)}; trained for ${step} steps`,
      }),
    };
  },
};

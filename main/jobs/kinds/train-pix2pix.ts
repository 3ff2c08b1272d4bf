// Job "Train pix2pix": the engine trains; main/ stores each streamed loss and held-out metric, files each sample grid
// as an asset (the job's preview), and registers the finished model. A resumed job writes into the first job's run.
import path from 'node:path';
import { Pix2pixTrainingParams } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import { ingestImageFile } from '../../data/image-ingest.js';
import type { TrainingItem, TrainPix2pixParams } from '../../engine/tasks/train-pix2pix.js';
import { datasetFolder } from '../../generation/datasets.js';
import { slugOf } from '../../library/project-store.js';
import type { JobKindSpec } from '../job-kind.js';

/** The job whose run (folder, metrics) a training job continues: itself, or the first job of a resumed chain. */
export const rootRunOf = (jobId: number, params: Record<string, unknown>): number => (typeof params['resumeOf'] === 'number' ? params['resumeOf'] : jobId);

export const trainPix2pixJob: JobKindSpec = {
  label: 'Train pix2pix',
  task: 'train.pix2pix',
  prepare(rawParams, projectId, library, jobId) {
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
    const outcome = {
      run: root,
      step: 0,
      checkpointStep: null as number | null,
      modelId: null as number | null,
      metrics: {} as Record<string, number>, // the latest held-out test_l1, test_psnr
      samples: 0,
      latestSample: null as { assetId: number; step: number } | null,
    };
    return {
      engineParams,
      collector: {
        onItem(raw) {
          const item = raw as TrainingItem;
          switch (item.kind) {
            case 'resumed':
              outcome.checkpointStep = item.step;
              outcome.step = item.step;
              // Steps after the checkpoint are trained again; their earlier metrics would be duplicates.
              library.deleteMetricsAfter(root, item.step);
              return;
            case 'metrics':
              outcome.step = Math.max(outcome.step, item.step);
              for (const [name, value] of Object.entries(item.values)) library.addMetric(root, item.step, name, value);
              if ('test_psnr' in item.values) outcome.metrics = item.values;
              return;
            case 'checkpoint':
              outcome.checkpointStep = item.step;
              return;
            case 'model': {
              const model = library.addModel({
                projectId,
                name: params.name,
                family: 'pix2pix',
                source: 'trained',
                config: { ...engineParams.config, imageSize: params.imageSize },
                folder: modelFolder,
                description: `Trained on “${params.dataset}” for ${item.step} steps`,
                runId: root,
              });
              outcome.modelId = model.id;
              return;
            }
            case 'sample':
              outcome.samples++;
              return ingestImageFile(item.path, project.folder).then((image) => {
                const { asset } = library.addIngestedAsset(projectId, { ...image, name: `${params.name} step ${item.step}.png` }, 'sample');
                library.tagAssets(projectId, [asset.id], `run ${root}`, false);
                outcome.latestSample = { assetId: asset.id, step: item.step };
                return { assetId: asset.id, step: item.step };
              });
          }
        },
        result: () => outcome,
      },
    };
  },
};

// Implementation of every contract method on top of the library, the job manager and the engine.
import type { EngineHost } from '../engine/engine-host.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { Library } from '../library/library.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { datasetFolder, listDatasets } from '../generation/datasets.js';
import { EXPORTS_DIR, exportAsset } from '../generation/export-image.js';
import { exportModel } from '../generation/export-model.js';
import { importModelOnnx } from '../generation/import-model.js';
import { rootRunOf } from '../jobs/kinds/training-collector.js';
import type { TransferJobParams } from '../jobs/kinds/transfer-images.js';
import { renderSketch, saveSketch, sketchEdges } from '../generation/sketch-to-photo.js';
import { modelFolder, requireFamily, requireStudioWeights } from '../generation/model-folders.js';
import { checkStyleGAN2FineTuneSource } from '../model-files/checkpoint.js';
import { keepsDiscriminator } from '../model-files/model-folder.js';
import { assetLineage } from '../library/lineage.js';
import { resolveExportFolder } from '../library/project-paths.js';
import { engineSources, generateSeeds, renderMix, saveMix, saveSeeds, styleLayout } from '../generation/stylegan-generation.js';
import { modelSummary } from '../library/model-store.js';
import { uploadFiles } from '../library/upload.js';
import { StudioError } from '../api/errors.js';
import { isTrainingJob, type ParamsOf, type ResultOf, type TrainingMethod } from '../api/contract.js';
import { families, type Family } from '../../models/families.js';
import type { TrainingData } from '../../models/common/family-descriptor.js';
import type { EventBus } from './event-bus.js';
import type { Handlers } from './dispatch.js';

export interface HandlerContext {
  version: string;
  library: Library;
  jobs: JobManager;
  engine: EngineHost;
  events: EventBus;
  builtinModelsDir: string; // shipped models (assets/models)
  /** Longest one test run of an imported ONNX file may take, in seconds (default: the engine's). */
  onnxTrialSeconds?: number;
}

type Settings = Record<string, unknown>;
/** A training method's settings, as every family's handler takes them (fineTuneFrom: a family that fine-tunes). */
type TrainingSettings = ParamsOf<TrainingMethod> & { fineTuneFrom?: FineTuneSource };
/** Where a fine-tune starts: a folder, a run of the project or a model that keeps its discriminator. */
type FineTuneSource = string | { run: number } | { model: number };

export function createHandlers({ version, library, jobs, engine, events, builtinModelsDir, onnxTrialSeconds }: HandlerContext): Handlers {
  const models = { library, engine, builtinModelsDir, ...(onnxTrialSeconds === undefined ? {} : { onnxTrialSeconds }) };
  const assetsChanged = (projectId: number) => events.emit('library.changed', { projectId, what: 'assets' });
  /** Folders on this computer a training job reads (`fields` of its settings): each must exist, and is kept absolute. */
  const localFolders = (settings: Settings, fields: readonly string[]): Settings => {
    const resolved: Settings = {};
    for (const field of fields) {
      const dir = String(settings[field]);
      if (!existsSync(dir)) throw new StudioError('NOT_FOUND', `The folder ${dir} does not exist.`);
      resolved[field] = path.resolve(dir);
    }
    return resolved;
  };
  /** Checks that a training job's data is there, by its family's kind of data; returns the settings it resolved. */
  const checkData: Record<TrainingData, (settings: Settings, projectFolder: string) => Settings> = {
    'prepared-pairs': (settings, projectFolder) => {
      const datasetDir = datasetFolder(projectFolder, String(settings['dataset']));
      if (!existsSync(datasetDir)) throw new StudioError('NOT_FOUND', `The project has no dataset “${String(settings['dataset'])}”. Prepare one first.`);
      return {};
    },
    'two-folders': (settings) => localFolders(settings, ['dataA', 'dataB']),
    'image-folder': (settings) => localFolders(settings, ['dataDir']),
  };
  /** Starts `family`'s training job once its data is found and a fine-tune's source (if any) is resolved to its folder. */
  const startTraining = async (family: Family, { fineTuneFrom, ...params }: TrainingSettings): Promise<{ jobId: number }> => {
    const resolved: Settings = { ...params, ...(fineTuneFrom === undefined ? {} : { fineTuneFrom: await fineTuneSource(params.projectId, fineTuneFrom) }) };
    const project = library.getProject(params.projectId);
    Object.assign(resolved, checkData[family.training.data](params, project.folder));
    return { jobId: jobs.start(family.training.jobKind, params.projectId, resolved).id };
  };
  /** Model folder → whether it keeps a discriminator (a model folder does not change once written). */
  const fineTunable = new Map<string, Promise<boolean>>();
  const keepsItsDiscriminator = (folder: string): Promise<boolean> => {
    let known = fineTunable.get(folder);
    if (known === undefined) fineTunable.set(folder, (known = keepsDiscriminator(folder)));
    return known;
  };
  /**
   * A fine-tune's source as a folder: a path as given, the folder of a StyleGAN2 model the project sees that keeps its
   * discriminator, or the run folder of a StyleGAN2 job in the same project.
   */
  const fineTuneSource = async (projectId: number, source: FineTuneSource): Promise<string> => {
    if (typeof source === 'string') return checkStyleGAN2FineTuneSource(source); // checked now, not when the engine starts
    if ('model' in source) {
      const model = requireStudioWeights(requireFamily(library.getModel(source.model), ['stylegan2'], 'fine-tuning'), 'fine-tuning');
      if (model.projectId !== null && model.projectId !== projectId) throw new StudioError('INVALID_PARAMS', `“${model.name}” belongs to another project.`);
      const folder = modelFolder(library, builtinModelsDir, model);
      if (!(await keepsItsDiscriminator(folder))) {
        throw new StudioError('MODEL_INCOMPATIBLE', `“${model.name}” keeps no discriminator to fine-tune with: start from its training run instead.`);
      }
      return folder;
    }
    const job = library.getRun(source.run);
    if (job.kind !== 'train.stylegan2' || job.projectId !== projectId) {
      throw new StudioError('INVALID_PARAMS', `Job ${source.run} is not a StyleGAN2 training run of this project: there is nothing to fine-tune from.`);
    }
    const runDir = path.join(library.getProject(projectId).folder, 'runs', `run-${rootRunOf(job.id, job.params)}`);
    if (!existsSync(path.join(runDir, 'checkpoints'))) throw new StudioError('NOT_FOUND', `The run “${String(job.params['name'])}” has no checkpoint yet to fine-tune from.`);
    return runDir;
  };

  return {
    'studio.info': () => ({ version, libraryPath: library.home, engine: engine.info() }),

    'projects.list': () => library.listProjects(),
    'projects.create': ({ name }) => {
      const project = library.createProject(name);
      events.emit('library.changed', { projectId: project.id, what: 'projects' });
      return project;
    },
    'projects.delete': async ({ projectId }) => {
      // Its jobs are cancelled first and awaited, then the project goes: an artist who deletes a project means its
      // work too, and refusing would only send them to cancel each job by hand. Deleting under a running job would
      // leave it writing into a folder and rows that are gone. A paused training job is already stopped.
      const stopping = await jobs.stopProjectJobs(projectId);
      try {
        const deleted = library.deleteProject(projectId);
        events.emit('library.changed', { projectId, what: 'projects' });
        return { deleted, cancelledJobs: stopping.cancelled };
      } finally {
        stopping.done();
      }
    },

    'assets.list': ({ projectId, tag, limit, offset }) =>
      library.listAssets(projectId, { ...(tag === undefined ? {} : { tag }), limit, offset }),
    'assets.upload': async ({ projectId, files }) => {
      const outcome = await uploadFiles(library, projectId, files);
      if (outcome.imported.length > 0) assetsChanged(projectId);
      return outcome;
    },
    'assets.importFolder': ({ projectId, path: dir, recursive }) => {
      // Resolved here: the engine runs in an empty working directory of its own.
      const job = jobs.start('library.importFolder', projectId, { path: path.resolve(dir), recursive });
      return { jobId: job.id };
    },
    'assets.delete': ({ projectId, assetIds }) => {
      const deleted = library.deleteAssets(projectId, assetIds);
      assetsChanged(projectId);
      return { deleted };
    },
    'assets.tag': ({ projectId, assetIds, tag, remove }) => {
      const changed = library.tagAssets(projectId, assetIds, tag, remove);
      events.emit('library.changed', { projectId, what: 'tags' });
      return { changed };
    },
    'assets.lineage': ({ projectId, assetId }) => assetLineage(library, projectId, assetId),
    'tags.list': ({ projectId }) => library.listTags(projectId),

    'jobs.list': ({ projectId, limit }) => library.listRuns({ ...(projectId === undefined ? {} : { projectId }), limit }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),

    'models.list': ({ projectId, family }) =>
      library.listModels({ ...(projectId === undefined ? {} : { projectId }), ...(family === undefined ? {} : { family }) }).map(modelSummary),

    'sketch.render': async ({ modelId, sketchPngBase64 }) => {
      const { imagePngBase64, width, height, ms } = await renderSketch(models, modelId, sketchPngBase64);
      return { imagePngBase64, width, height, ms };
    },
    'sketch.edges': ({ modelId, source }) => {
      if ('imagePngBase64' in source) return sketchEdges(models, modelId, { pngBase64: source.imagePngBase64 });
      return sketchEdges(models, modelId, { path: library.assetFilePath(source.assetId, 'full') });
    },
    'stylegan.generate': (request) => generateSeeds(models, request),
    'stylegan.save': async ({ projectId, ...request }) => {
      const items = await saveSeeds(models, projectId, request);
      assetsChanged(projectId);
      return { items };
    },
    'stylegan.layout': ({ modelId }) => styleLayout(models, modelId),
    'stylegan.mix': (request) => renderMix(models, request),
    'stylegan.saveMix': async ({ projectId, ...request }) => {
      const saved = await saveMix(models, projectId, request);
      assetsChanged(projectId);
      return saved;
    },
    'stylegan.invert': ({ projectId, modelId, assetId, space, steps, seed }) => {
      const model = requireStudioWeights(requireFamily(library.getModel(modelId), ['stylegan2'], 'Invert'), 'inversion');
      const asset = library.getAsset(assetId);
      if (asset.projectId !== projectId) throw new StudioError('NOT_FOUND', `Asset ${assetId} is not in this project.`);
      const params = { modelId, assetId, space, steps, seed, modelFolder: modelFolder(library, models.builtinModelsDir, model), targetPath: library.assetFilePath(assetId, 'full') };
      return { jobId: jobs.start('stylegan.invert', projectId, params).id };
    },
    'stylegan.interpolate': ({ projectId, modelId, keyframes, ...settings }) => {
      const model = requireFamily(library.getModel(modelId), ['stylegan2'], 'Interpolation');
      library.getProject(projectId);
      const engineKeyframes = engineSources(models, model, keyframes);
      const params = { modelId, keyframes, engineKeyframes, ...settings, modelFolder: modelFolder(library, models.builtinModelsDir, model) };
      return { jobId: jobs.start('stylegan.interpolate', projectId, params).id };
    },
    'upscale.assets': ({ projectId, assetIds, model, scale }) => {
      library.getProject(projectId);
      for (const id of assetIds) if (library.getAsset(id).projectId !== projectId) throw new StudioError('NOT_FOUND', `Asset ${id} is not in this project.`);
      return { jobId: jobs.start('upscale.assets', projectId, { assetIds, model, scale }).id };
    },
    'transfer.images': ({ projectId, modelId, direction, assetIds, folder, recursive, files, exportDir }) => {
      const project = library.getProject(projectId);
      const model = requireFamily(library.getModel(modelId), ['cyclegan'], 'Transfer');
      let source: TransferJobParams['source'];
      if (assetIds !== undefined) {
        for (const id of assetIds) if (library.getAsset(id).projectId !== projectId) throw new StudioError('NOT_FOUND', `Asset ${id} is not in this project.`);
        source = { kind: 'assets', assetIds };
      } else if (folder !== undefined) {
        if (!existsSync(folder)) throw new StudioError('NOT_FOUND', `The folder ${folder} does not exist.`);
        source = { kind: 'folder', dir: path.resolve(folder), recursive };
      } else {
        source = { kind: 'files', paths: (files ?? []).map((file) => path.resolve(file)) }; // a missing file is rejected by name
      }
      const params: TransferJobParams = { modelId, modelFolder: modelFolder(library, models.builtinModelsDir, model), direction, source, studioVersion: version };
      if (exportDir !== undefined) params.exportDir = resolveExportFolder(project.folder, exportDir, EXPORTS_DIR);
      return { jobId: jobs.start('transfer.images', projectId, params).id };
    },
    'sketch.save': async ({ projectId, modelId, sketchPngBase64 }) => {
      const saved = await saveSketch(models, projectId, modelId, sketchPngBase64);
      assetsChanged(projectId);
      return saved;
    },
    'assets.export': (request) => exportAsset(library, version, request),

    'models.exportOnnx': ({ projectId, modelId }) => exportModel(models, projectId, modelId, 'onnx'),
    'models.exportTfjs': ({ projectId, modelId }) => exportModel(models, projectId, modelId, 'tfjs'),
    'models.importOnnx': (request) => importModelOnnx(models, request),

    'datasets.list': ({ projectId }) => listDatasets(library.getProject(projectId).folder),
    'datasets.prepare': ({ projectId, name, source, imageSize }) => {
      datasetFolder(library.getProject(projectId).folder, name); // a bad name is refused now, not when the job runs
      return { jobId: jobs.start('dataset.preparePairs', projectId, { name, source, imageSize }).id };
    },
    ...(Object.fromEntries(families.map((family) => [family.training.method, (params: TrainingSettings) => startTraining(family, params)])) as Pick<Handlers, TrainingMethod>),
    'train.fineTuneModels': async ({ projectId }) => {
      const found: ResultOf<'train.fineTuneModels'> = [];
      for (const model of library.listModels({ projectId, family: 'stylegan2' })) {
        if (model.config['format'] === 'onnx' || !(await keepsItsDiscriminator(modelFolder(library, builtinModelsDir, model)))) continue;
        const size = (key: string): number => Number(model.config[key]);
        const { id: modelId, name, source } = model;
        found.push({ modelId, name, source, resolution: size('resolution'), channelBase: size('channelBase'), channelMax: size('channelMax'), mappingLayers: size('mappingLayers') });
      }
      return found;
    },
    'train.resume': ({ jobId, untilStep }) => {
      const previous = library.getRun(jobId);
      if (!isTrainingJob(previous)) throw new StudioError('INVALID_PARAMS', `Job ${jobId} is not a training job.`);
      // A run stopped at its untilStep ended well but is not finished: it has no model yet.
      const outcome = previous.result;
      const stoppedEarly = previous.status === 'succeeded' && outcome !== null && outcome.modelId === null;
      if (!['cancelled', 'failed', 'interrupted'].includes(previous.status) && !stoppedEarly) {
        throw new StudioError('INVALID_PARAMS', `Job ${jobId} is ${previous.status}: its training is finished or still running, so there is nothing to resume.`);
      }
      const { untilStep: _previousStop, ...settings } = previous.params;
      const params = { ...settings, ...(untilStep === undefined ? {} : { untilStep }), resumeOf: rootRunOf(previous.id, previous.params) };
      return { jobId: jobs.start(previous.kind, previous.projectId, params).id };
    },
    'runs.metrics': ({ jobId }) => {
      const run = library.getRun(jobId);
      return library.listMetrics(rootRunOf(run.id, run.params));
    },
  };
}

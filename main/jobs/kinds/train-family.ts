// Jobs "Train <family>", one preparer for every family, driven by its descriptor (models/<family>/family.ts): the
// contract's settings become the engine task's params (data, network config, schedule), and the training collector
// stores losses, files each sample grid as an asset (the job's preview) and registers the finished model. A resumed
// job writes into the first job's run.
import path from 'node:path';
import { methods } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import type { EngineParamsInput } from '../../engine/engine-api.js';
import { datasetFolder } from '../../generation/datasets.js';
import { slugOf } from '../../library/project-store.js';
import { families, type Family, type TrainingJobKind } from '../../../models/families.js';
import type { TrainingData } from '../../../models/common/family-descriptor.js';
import type { JobKindSpec } from '../job-kind.js';
import { resumedPosition, rootRunOf, trainingCollector } from './training-collector.js';

type Settings = Record<string, unknown>;

/** The settings named by `keys` that are set, as they are. */
const pick = (settings: Settings, keys: readonly string[]): Settings => Object.fromEntries(keys.filter((key) => settings[key] !== undefined).map((key) => [key, settings[key]]));

/** Where each kind of training data is found, as the engine's params name it. */
const dataParams: Record<TrainingData, (settings: Settings, projectFolder: string) => Settings> = {
  'image-folder': (s) => ({ dataDir: s['dataDir'], heldOutFraction: 0.05 }),
  'two-folders': (s) => ({ dataA: s['dataA'], dataB: s['dataB'], heldOutFraction: 0.05 }),
  'prepared-pairs': (s, projectFolder) => ({ datasetDir: datasetFolder(projectFolder, s['dataset'] as string) }),
};

/**
 * A folder a run starts from (continueFrom, fineTuneFrom), made absolute. The handler names a source run or model by
 * its folder (main/service/handlers.ts); a job never stores `{ run }` itself.
 */
function startFolder(source: unknown): string {
  if (typeof source !== 'string') throw new StudioError('INVALID_PARAMS', `The fine-tune source ${JSON.stringify(source)} was not resolved to its folder.`);
  return path.resolve(source);
}

/** The job kind that trains `family`. */
export function trainingJob<F extends Family>(family: F): JobKindSpec<F['training']['jobKind']> {
  const { training } = family;
  const schema = methods[training.method].params;
  return {
    label: training.label,
    task: training.jobKind,
    async prepare(rawParams, projectId, library, jobId) {
      if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Training needs a project.');
      // Beyond the contract's settings a resumed job carries resumeOf (train.resume).
      const { resumeOf: _resumeOf, ...given } = rawParams;
      const settings = schema.parse(given) as Settings;
      const project = library.getProject(projectId);
      const root = rootRunOf(jobId, rawParams);
      const runDir = path.join(project.folder, 'runs', `run-${root}`);
      const modelFolder = `models/${slugOf(settings['name'] as string, 'model')}-${root}`;
      const config = pick(settings, training.configKeys);
      const engineParams = {
        runDir,
        ...dataParams[training.data](settings, project.folder),
        modelDir: path.join(project.folder, modelFolder),
        config,
        seed: settings['seed'],
        checkpointEvery: settings['checkpointEvery'],
        sampleEvery: settings['sampleEvery'],
        fp16: settings['fp16'],
        datasetRecipe: pick(settings, training.recipeKeys),
        ...pick(settings, training.engineKeys),
        ...pick(settings, ['untilStep']),
        ...(settings['continueFrom'] === undefined ? {} : { continueFrom: startFolder(settings['continueFrom']) }),
        ...(settings['fineTuneFrom'] === undefined ? {} : { fineTuneFrom: startFolder(settings['fineTuneFrom']) }),
      };
      return {
        // Built from the descriptor, so TypeScript cannot tell it is this task's; EngineHost checks it against the task's spec.
        engineParams: engineParams as EngineParamsInput<F['training']['jobKind']>,
        collector: trainingCollector({
          library,
          projectId,
          projectFolder: project.folder,
          root,
          name: settings['name'] as string,
          family: family.name,
          modelFolder,
          modelConfig: { ...config, imageSize: settings[training.sizeKey] as number },
          startsAt: await resumedPosition(library, jobId, root, runDir),
          describe: (step) => training.describe(settings, step, (p) => path.basename(p)),
        }),
      };
    },
  };
}

/** Every family's training job, by its job kind. */
export const trainingJobs = Object.fromEntries(families.map((family) => [family.training.jobKind, trainingJob(family)])) as {
  [K in TrainingJobKind]: JobKindSpec<K>;
};

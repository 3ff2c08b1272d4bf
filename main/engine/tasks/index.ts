// Registry of the work the engine process can run; main/ names a task, the engine looks it up here. Typed by
// engine-api.ts's map: each task takes its spec's validated params and returns its result, streaming its items.
// Training tasks come from the families (models/family-engines.ts), one generic runner each (training-runner.ts).
import { familyEngines } from '../../../models/family-engines.js';
import type { TrainingJobKind } from '../../../models/families.js';
import type { EngineItem, EngineParams, EngineResult, EngineTaskName } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { exportOnnxTask } from './export-onnx.js';
import { exportTfjsTask } from './export-tfjs.js';
import { importFolderTask } from './import-folder.js';
import { importOnnxTask } from './import-onnx.js';
import { interpolateTask } from './interpolate.js';
import { invertTask } from './invert.js';
import { preparePairsTask } from './prepare-pairs.js';
import { sketchEdgesTask, sketchRenderTask, sketchRenderToSaveTask } from './sketch.js';
import { styleGenerateTask, styleMixTask } from './stylegan.js';
import { trainingTask } from './training-runner.js';
import { transferTask } from './transfer.js';
import { upscaleTask } from './upscale.js';

/** Task K as the engine runs it: its params already validated against its spec (engine-process.ts does that). */
export type EngineTask<K extends EngineTaskName> = (params: EngineParams<K>, ctx: EngineTaskContext<EngineItem<K>>) => Promise<EngineResult<K>>;

/**
 * Every family's training task under its job kind ('train.pggan'), from models/family-engines.ts. Typed by assertion:
 * each family's `train` is typed from its own descriptor's task schemas (models/<family>/training-task.ts), the same
 * schemas engine-api.ts lists for its job kind, which the engine validates params by and main/ validates results by.
 */
const trainingTasks = Object.fromEntries(familyEngines.map((family) => [family.training.jobKind, trainingTask(family)])) as unknown as { [K in TrainingJobKind]: EngineTask<K> };

export const taskRunners: { [K in EngineTaskName]: EngineTask<K> } = {
  'library.importFolder': importFolderTask,
  'sketch.render': sketchRenderTask,
  'sketch.renderToSave': sketchRenderToSaveTask,
  'sketch.edges': sketchEdgesTask,
  'stylegan.generate': styleGenerateTask,
  'stylegan.mix': styleMixTask,
  'stylegan.invert': invertTask,
  'stylegan.interpolate': interpolateTask,
  'esrgan.upscale': upscaleTask,
  'transfer.images': transferTask,
  'dataset.preparePairs': preparePairsTask,
  ...trainingTasks,
  'models.exportOnnx': exportOnnxTask,
  'models.exportTfjs': exportTfjsTask,
  'models.importOnnx': importOnnxTask,
};

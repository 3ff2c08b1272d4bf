// Registry of the work the engine process can run; main/ names a task, the engine looks it up here. Typed by
// engine-api.ts's map: each task takes its spec's validated params and returns its result, streaming its items.
import { pix2pixEngine } from '../../../models/pix2pix/engine.js';
import { trainPix2pix } from '../../../models/pix2pix/training-task.js';
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
import { trainCycleGANTask } from './train-cyclegan.js';
import { trainPGGANTask } from './train-pggan.js';
import { trainStyleGAN2Task } from './train-stylegan2.js';
import { trainingTask } from './training-runner.js';
import { transferTask } from './transfer.js';
import { upscaleTask } from './upscale.js';

/** Task K as the engine runs it: its params already validated against its spec (engine-process.ts does that). */
export type EngineTask<K extends EngineTaskName> = (params: EngineParams<K>, ctx: EngineTaskContext<EngineItem<K>>) => Promise<EngineResult<K>>;

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
  'train.pix2pix': trainingTask(pix2pixEngine, trainPix2pix) as EngineTask<'train.pix2pix'>,
  'train.cyclegan': trainCycleGANTask,
  'train.stylegan2': trainStyleGAN2Task,
  'train.pggan': trainPGGANTask,
  'models.exportOnnx': exportOnnxTask,
  'models.exportTfjs': exportTfjsTask,
  'models.importOnnx': importOnnxTask,
};

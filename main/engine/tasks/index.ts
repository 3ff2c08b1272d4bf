// Registry of the work the engine process can run; main/ names a task, the engine looks it up here.
import type { TaskContext } from '../engine-protocol.js';
import type { InteractiveModels } from '../interactive-models.js';
import { exportOnnxTask } from './export-onnx.js';
import { exportTfjsTask } from './export-tfjs.js';
import { importFolderTask } from './import-folder.js';
import { importOnnxTask } from './import-onnx.js';
import { interpolateTask } from './interpolate.js';
import { invertTask } from './invert.js';
import { preparePairsTask } from './prepare-pairs.js';
import { sketchEdgesTask, sketchRenderTask } from './sketch.js';
import { styleGenerateTask, styleMixTask } from './stylegan.js';
import { trainCycleGANTask } from './train-cyclegan.js';
import { trainPGGANTask } from './train-pggan.js';
import { trainPix2pixTask } from './train-pix2pix.js';
import { trainStyleGAN2Task } from './train-stylegan2.js';
import { transferTask } from './transfer.js';
import { upscaleTask } from './upscale.js';

/** What a task gets besides cancellation and progress: the engine's loaded models. */
export interface EngineTaskContext extends TaskContext {
  models: InteractiveModels;
}

export type EngineTask = (params: unknown, ctx: EngineTaskContext) => Promise<unknown>;

export const engineTasks: Record<string, EngineTask> = {
  'library.importFolder': importFolderTask,
  'sketch.render': sketchRenderTask,
  'sketch.edges': sketchEdgesTask,
  'stylegan.generate': styleGenerateTask,
  'stylegan.mix': styleMixTask,
  'stylegan.invert': invertTask,
  'stylegan.interpolate': interpolateTask,
  'esrgan.upscale': upscaleTask,
  'transfer.images': transferTask,
  'dataset.preparePairs': preparePairsTask,
  'train.pix2pix': trainPix2pixTask,
  'train.cyclegan': trainCycleGANTask,
  'train.stylegan2': trainStyleGAN2Task,
  'train.pggan': trainPGGANTask,
  'models.exportOnnx': exportOnnxTask,
  'models.exportTfjs': exportTfjsTask,
  'models.importOnnx': importOnnxTask,
};

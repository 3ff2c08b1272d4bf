// Where a library model's files are: shipped models under the builtin folder, others inside their project.
import { StudioError } from '../api/errors.js';
import type { EngineHost } from '../engine/engine-host.js';
import type { Library } from '../library/library.js';
import type { ModelRecord } from '../library/model-store.js';
import { resolveInsideProject } from '../library/project-paths.js';

/** What main/ needs to use a library model: the library, the engine that runs it, and where shipped models live. */
export interface ModelContext {
  library: Library;
  engine: EngineHost;
  builtinModelsDir: string;
  /** Longest one test run of an imported ONNX file may take, in seconds (default: the engine's). */
  onnxTrialSeconds?: number;
}

export function modelFolder(library: Library, builtinDir: string, model: ModelRecord): string {
  if (model.projectId === null) return resolveInsideProject(builtinDir, model.folder);
  return resolveInsideProject(library.getProject(model.projectId).folder, model.folder);
}

/** The model, refused with MODEL_INCOMPATIBLE unless it is of one of `families` (named in the message). */
export function requireFamily(model: ModelRecord, families: readonly string[], use: string): ModelRecord {
  if (!families.includes(model.family)) {
    throw new StudioError('MODEL_INCOMPATIBLE', `“${model.name}” is a ${model.family} model; ${use} needs a ${families.join(' or ')} model.`);
  }
  return model;
}

/** Refuses an imported ONNX network where `use` needs the weights themselves (ONNX Runtime only runs the graph forward). */
export function requireStudioWeights(model: ModelRecord, use: string): ModelRecord {
  if (model.config['format'] === 'onnx') {
    throw new StudioError('MODEL_INCOMPATIBLE', `“${model.name}” is an imported ONNX network: it draws, but ${use} needs a model in the studio's own format.`);
  }
  return model;
}


// Exports a library model for other tools into the project's exports/ folder: ONNX (a file, or a StyleGAN2's two) or
// TensorFlow.js GraphModels (a folder). The engine writes the files and checks them against the studio's own output.
import path from 'node:path';
import { ONNX_EXPORT_FAMILIES } from '../api/contract.js';
import type { ModelExportResult } from '../engine/engine-api.js';
import { EXPORTS_DIR } from './export-image.js';
import { modelFolder, requireFamily, requireStudioWeights, type ModelContext } from './model-folders.js';
import { slugOf } from '../library/project-store.js';

export type ModelExportFormat = 'onnx' | 'tfjs';

export async function exportModel(ctx: ModelContext, projectId: number, modelId: number, format: ModelExportFormat): Promise<ModelExportResult> {
  const project = ctx.library.getProject(projectId);
  const use = format === 'onnx' ? 'ONNX export' : 'TensorFlow.js export';
  const model = requireStudioWeights(requireFamily(ctx.library.getModel(modelId), ONNX_EXPORT_FAMILIES, use), use);
  const base = path.join(project.folder, EXPORTS_DIR, `${slugOf(model.name, 'model')}-${model.id}`);
  const outPath = format === 'onnx' ? `${base}.onnx` : `${base}-tfjs`;
  const task = format === 'onnx' ? 'models.exportOnnx' : 'models.exportTfjs';
  // The engine claims outPath, or its first free `-N` variant, and says which it wrote.
  return ctx.engine.run(task, { modelFolder: modelFolder(ctx.library, ctx.builtinModelsDir, model), outPath, name: model.name }).result;
}

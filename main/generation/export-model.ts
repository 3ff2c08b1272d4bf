// Exports a library model to ONNX in the project's exports/ folder (the engine writes and verifies the file).
import path from 'node:path';
import { ONNX_EXPORT_FAMILIES } from '../api/contract.js';
import { EXPORTS_DIR } from './export-image.js';
import { modelFolder, requireFamily, requireStudioWeights, type ModelContext } from './model-folders.js';
import { slugOf } from '../library/project-store.js';

export async function exportModelOnnx(ctx: ModelContext, projectId: number, modelId: number): Promise<{ path: string; manifestPath: string; bytes: number; maxAbsDiff: number }> {
  const project = ctx.library.getProject(projectId);
  const model = requireStudioWeights(requireFamily(ctx.library.getModel(modelId), ONNX_EXPORT_FAMILIES, 'ONNX export'), 'ONNX export');
  const onnxPath = path.join(project.folder, EXPORTS_DIR, `${slugOf(model.name, 'model')}-${model.id}.onnx`);
  const result = (await ctx.engine.runTask('models.exportOnnx', { modelFolder: modelFolder(ctx.library, ctx.builtinModelsDir, model), onnxPath, name: model.name }).result) as {
    bytes: number;
    manifestPath: string;
    maxAbsDiff: number;
  };
  return { path: onnxPath, ...result };
}

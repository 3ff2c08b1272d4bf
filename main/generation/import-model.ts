// Imports an ONNX generator into a project: the engine checks and copies it, main/ registers it in the library.
import path from 'node:path';
import type { ModelSummary } from '../api/contract.js';
import { modelSummary } from '../library/model-store.js';
import { slugOf } from '../library/project-store.js';
import type { ModelContext } from './model-folders.js';

export async function importModelOnnx(ctx: ModelContext, request: { projectId: number; onnxPath: string; manifestPath?: string; name?: string }): Promise<ModelSummary> {
  const project = ctx.library.getProject(request.projectId);
  const onnxPath = path.resolve(request.onnxPath);
  const manifestPath = path.resolve(request.manifestPath ?? `${onnxPath}.json`);
  const stamp = new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 14);
  const folder = `models/${slugOf(request.name ?? path.parse(onnxPath).name, 'model')}-onnx-${stamp}`;
  const params = { onnxPath, manifestPath, modelDir: path.join(project.folder, folder), ...(ctx.onnxTrialSeconds === undefined ? {} : { trialSeconds: ctx.onnxTrialSeconds }) };
  const manifest = await ctx.engine.run('models.importOnnx', params).result;
  const model = ctx.library.addModel({
    projectId: request.projectId,
    name: request.name ?? manifest.name ?? path.parse(onnxPath).name,
    family: manifest.family,
    source: 'imported',
    config: { imageSize: manifest.resolution, format: 'onnx' },
    folder,
    description: `Imported from ${path.basename(onnxPath)}`,
  });
  return modelSummary(model);
}

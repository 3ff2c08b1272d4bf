// The Models view's state: the models a project can use, and the outcome of each model's latest export (ONNX or
// TensorFlow.js).
import type { ModelSummary, ResultOf } from '../../../../main/api/contract';
import type { Studio } from '../studio';

export type ModelExportFormat = 'onnx' | 'tfjs';
export type ModelExport = ResultOf<'models.exportOnnx'> & { format: ModelExportFormat };

export class ModelsState {
  items = $state.raw<ModelSummary[]>([]);
  loaded = $state(false);
  /** Model id → its export running, or its last outcome (the file, or the error shown beside the model). */
  exports = $state.raw<Record<number, { running: true; format: ModelExportFormat } | { running: false; value: ModelExport } | { running: false; error: string }>>({});
  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
  }

  async load(projectId: number | null): Promise<void> {
    this.items = await this.#studio.call('models.list', projectId === null ? {} : { projectId });
    this.loaded = true;
  }

  importing = $state(false);
  importError = $state<string | null>(null);

  /** Imports an ONNX generator with its manifest; true when it is in the library (the list reloads). */
  async importOnnx(projectId: number, onnxPath: string, manifestPath: string): Promise<boolean> {
    this.importing = true;
    this.importError = null;
    try {
      await this.#studio.call('models.importOnnx', { projectId, onnxPath: onnxPath.trim(), ...(manifestPath.trim() === '' ? {} : { manifestPath: manifestPath.trim() }) });
      await this.load(projectId);
      return true;
    } catch (err) {
      this.importError = err instanceof Error ? err.message : String(err);
      return false;
    } finally {
      this.importing = false;
    }
  }

  /** Exports a model for other tools; the outcome (or the error message) is kept per model, never thrown. */
  async exportModel(projectId: number, modelId: number, format: ModelExportFormat): Promise<void> {
    this.exports = { ...this.exports, [modelId]: { running: true, format } };
    try {
      const value = await this.#studio.call(format === 'onnx' ? 'models.exportOnnx' : 'models.exportTfjs', { projectId, modelId });
      this.exports = { ...this.exports, [modelId]: { running: false, value: { ...value, format } } };
    } catch (err) {
      this.exports = { ...this.exports, [modelId]: { running: false, error: err instanceof Error ? err.message : String(err) } };
    }
  }
}

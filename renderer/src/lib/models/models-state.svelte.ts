// The Models view's state: the models a project can use, and the outcome of each model's latest export (ONNX or
// TensorFlow.js).
import type { ModelSummary, ResultOf } from '../../../../main/api/contract';
import { DONE, type Outcome, type Studio } from '../studio';

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

  async load(projectId: number | null): Promise<Outcome<void>> {
    const listed = await this.#studio.call('models.list', projectId === null ? {} : { projectId });
    if (!listed.ok) return listed;
    this.items = listed.value;
    this.loaded = true;
    return DONE;
  }

  importing = $state(false);
  importError = $state<string | null>(null);

  /** Imports an ONNX generator with its manifest; true when it is in the library (the list reloads). */
  async importOnnx(projectId: number, onnxPath: string, manifestPath: string): Promise<boolean> {
    this.importing = true;
    this.importError = null;
    try {
      const imported = await this.#studio.call('models.importOnnx', { projectId, onnxPath: onnxPath.trim(), ...(manifestPath.trim() === '' ? {} : { manifestPath: manifestPath.trim() }) });
      const loaded = imported.ok ? await this.load(projectId) : imported;
      if (!loaded.ok) this.importError = loaded.error.message;
      return loaded.ok;
    } finally {
      this.importing = false;
    }
  }

  /**
   * Exports a model for other tools; the outcome (or the error message) is kept per model. A model deleted meanwhile
   * (NOT_FOUND) leaves the list instead: the list is loaded again.
   */
  async exportModel(projectId: number, modelId: number, format: ModelExportFormat): Promise<Outcome<void>> {
    this.exports = { ...this.exports, [modelId]: { running: true, format } };
    const answer = await this.#studio.call(format === 'onnx' ? 'models.exportOnnx' : 'models.exportTfjs', { projectId, modelId });
    if (answer.ok) {
      this.exports = { ...this.exports, [modelId]: { running: false, value: { ...answer.value, format } } };
      return DONE;
    }
    if (answer.error.code === 'NOT_FOUND') {
      const { [modelId]: _gone, ...others } = this.exports;
      this.exports = others;
      return this.load(projectId);
    }
    this.exports = { ...this.exports, [modelId]: { running: false, error: answer.error.message } };
    return DONE;
  }
}

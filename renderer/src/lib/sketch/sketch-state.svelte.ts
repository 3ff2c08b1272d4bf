// The Sketch view's state as a rune class: model choice, tools, the stroke history, the live render, save and export.
// Created once in App.svelte so a drawing survives switching views; reaches the back end only through `Studio`.
import type { Asset, ExportFormat, ResultOf } from '../../../../main/api/contract';
import { ModelChoice } from '../models/model-choice.svelte';
import { DONE, failure, type Outcome, type Studio } from '../studio';
import { decodePng, fileToSquarePng, pngDataUrl } from './edges-image';
import { rasteriseSketch } from './rasterise';
import { RenderQueue } from './render-queue';
import { SketchHistory, type Ink, type SketchSnapshot, type Stroke } from './sketch-history';

export type SketchTool = 'pen' | 'eraser' | 'line';
export type CompareMode = 'side' | 'overlay';

/** Pen sizes in model pixels (the edge maps sketch models train on have 1–3 px lines). */
export const PEN_SIZE = { min: 1, max: 40, initial: 2 } as const;
/** Canvas side used while no model is picked, in model pixels. */
export const FALLBACK_IMAGE_SIZE = 256;
/** Assets offered by "From library…". */
const MODEL_KEY = 'gan-studio.sketch.modelId';

/** The latest render shown beside the drawing. */
export interface SketchRender {
  dataUrl: string;
  width: number;
  height: number;
  /** Inference time reported by the back end. */
  ms: number;
  sketchVersion: number;
  modelId: number;
}

export interface SavedSketch {
  projectId: number;
  modelId: number;
  sketchVersion: number;
  sketchAsset: Asset;
  outputAsset: Asset;
  generationId: number;
}

export type ExportedFile = ResultOf<'assets.export'>;

interface RenderTag {
  sketchVersion: number;
  modelId: number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class SketchState {
  /** Image-to-image sketch models (family pix2pix) the current project sees, and the one rendering. */
  readonly models: ModelChoice;
  /** Side of the square canvas in model pixels. (`.by`: `models` is set in the constructor.) */
  imageSize = $derived.by(() => this.models.model?.imageSize ?? FALLBACK_IMAGE_SIZE);

  tool = $state<SketchTool>('pen');
  /** Pen and eraser size in model pixels. */
  size = $state<number>(PEN_SIZE.initial);
  sketch = $state.raw<SketchSnapshot>(new SketchHistory().snapshot());
  /** The stroke being drawn (not yet in the history), or null. */
  draft = $state.raw<Stroke | null>(null);

  result = $state.raw<SketchRender | null>(null);
  rendering = $state(false);
  renderError = $state<string | null>(null);

  compare = $state<CompareMode>('side');
  /** Opacity of the drawing over the result in overlay mode. */
  overlayOpacity = $state(0.6);

  loadingEdges = $state(false);
  saving = $state(false);
  exporting = $state(false);
  exportFormat = $state<ExportFormat>('png');
  saved = $state.raw<SavedSketch | null>(null);
  lastExport = $state.raw<ExportedFile | null>(null);

  readonly #studio: Studio;
  readonly #history = new SketchHistory();
  readonly #queue: RenderQueue<RenderTag, Outcome<ResultOf<'sketch.render'>>>;
  #straight = false;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.models = new ModelChoice(studio, 'pix2pix', MODEL_KEY, (id, previous) => {
      if (id !== previous) this.#modelChanged();
    });
    this.#queue = new RenderQueue({
      onResult: (answer, tag) => {
        if (!answer.ok) return void (this.renderError = answer.error.message);
        const r = answer.value;
        this.result = { dataUrl: pngDataUrl(r.imagePngBase64), width: r.width, height: r.height, ms: r.ms, ...tag };
        this.renderError = null;
      },
      onError: (err) => (this.renderError = messageOf(err)),
      onBusyChange: (busy) => (this.rendering = busy),
    });
  }

  get drawing(): boolean {
    return this.draft !== null;
  }

  // ---- model

  #modelChanged(): void {
    // The shown render and the queued ones belong to the old model.
    this.#queue.invalidate();
    this.result = null;
    this.renderError = null;
    this.#requestRender();
  }

  // ---- tools

  setSize(size: number): void {
    this.size = Math.round(Math.min(PEN_SIZE.max, Math.max(PEN_SIZE.min, size)));
  }

  nudgeSize(delta: number): void {
    this.setSize(this.size + delta);
  }

  /** Starts a stroke at (x, y) in [0, 1] canvas units with the current tool. */
  beginStroke(x: number, y: number): void {
    const ink: Ink = this.tool === 'eraser' ? 'eraser' : 'pen';
    this.#straight = this.tool === 'line';
    this.draft = { ink, width: this.size / this.imageSize, points: [x, y] };
  }

  /** Follows the pointer: `points` is flat [x, y, …] in canvas units (coalesced pointer events give several). */
  extendStroke(points: readonly number[]): void {
    const draft = this.draft;
    if (!draft || points.length < 2) return;
    if (this.#straight) {
      this.draft = { ...draft, points: [draft.points[0]!, draft.points[1]!, points[points.length - 2]!, points[points.length - 1]!] };
      return;
    }
    // Points closer than a third of a model pixel add nothing to the raster, only length to the history.
    const minStep = 1 / (3 * this.imageSize);
    const next = [...draft.points];
    for (let i = 0; i + 1 < points.length; i += 2) {
      const x = points[i]!;
      const y = points[i + 1]!;
      if (Math.hypot(x - next[next.length - 2]!, y - next[next.length - 1]!) >= minStep) next.push(x, y);
    }
    if (next.length !== draft.points.length) this.draft = { ...draft, points: next };
  }

  /** Ends the stroke (pointer up): it joins the history and the sketch is rendered. */
  endStroke(): void {
    const draft = this.draft;
    if (!draft) return;
    this.draft = null;
    // A straight line whose ends meet is a click: keep it as a dot.
    const p = draft.points;
    const stroke = this.#straight && p.length === 4 && p[0] === p[2] && p[1] === p[3] ? { ...draft, points: p.slice(0, 2) } : draft;
    if (this.#history.addStroke(stroke)) this.#changed();
  }

  cancelStroke(): void {
    this.draft = null;
  }

  undo(): void {
    if (!this.drawing && this.#history.undo()) this.#changed();
  }

  redo(): void {
    if (!this.drawing && this.#history.redo()) this.#changed();
  }

  clear(): void {
    if (!this.drawing && this.#history.clear()) this.#changed();
  }

  /** Replaces the drawing (undoably) with edges the back end extracts from a picked file or a library asset. */
  async loadEdges(source: { file: File } | { assetId: number }): Promise<Outcome<void>> {
    const modelId = this.models.id;
    if (modelId === null) return failure('INVALID_PARAMS', 'Pick a sketch model first: the edges are made at its size.');
    this.loadingEdges = true;
    try {
      const from = 'file' in source ? { imagePngBase64: await fileToSquarePng(source.file) } : { assetId: source.assetId };
      const edges = await this.#studio.call('sketch.edges', { modelId, source: from });
      if (!edges.ok) return failure(edges.error.code, `Could not load edges: ${edges.error.message}`);
      const background = await decodePng(edges.value.edgesPngBase64);
      this.cancelStroke();
      this.#history.replaceWithImage(background);
      this.#changed();
      return DONE;
    } catch (err) {
      // The picked file could not be read or decoded here, before or after the call.
      return failure('INVALID_IMAGE', `Could not load edges: ${messageOf(err)}`);
    } finally {
      this.loadingEdges = false;
    }
  }

  // ---- save and export

  /** The saved output of exactly what is on the canvas now with the current model, if any. */
  savedFor(projectId: number | null): SavedSketch | null {
    const s = this.saved;
    return s && s.projectId === projectId && s.modelId === this.models.id && s.sketchVersion === this.sketch.version ? s : null;
  }

  /**
   * Saves the sketch and its rendering to the project (sketch asset → generation → output asset). Saving what is
   * already saved adds nothing: `fresh` says whether this call saved.
   */
  async save(projectId: number | null): Promise<Outcome<SavedSketch & { fresh: boolean }>> {
    const modelId = this.models.id;
    if (projectId === null) return failure('INVALID_PARAMS', 'Open or create a project first: saved sketches go into its library.');
    if (modelId === null) return failure('INVALID_PARAMS', 'Pick a sketch model first.');
    const already = this.savedFor(projectId);
    if (already) return { ok: true, value: { ...already, fresh: false } };
    const { version, document } = this.sketch;
    this.saving = true;
    try {
      const png = await rasteriseSketch(document, this.imageSize);
      const answer = await this.#studio.call('sketch.save', { projectId, modelId, sketchPngBase64: png });
      if (!answer.ok) return failure(answer.error.code, `Could not save: ${answer.error.message}`);
      const saved: SavedSketch = { projectId, modelId, sketchVersion: version, ...answer.value };
      this.saved = saved;
      return { ok: true, value: { ...saved, fresh: true } };
    } catch (err) {
      // Rasterising the drawing failed (a canvas the browser refused).
      return failure('INTERNAL', `Could not save: ${messageOf(err)}`);
    } finally {
      this.saving = false;
    }
  }

  /** Exports the saved output of the current sketch (saving it first when needed) in `exportFormat`. */
  async exportResult(projectId: number | null): Promise<Outcome<{ file: ExportedFile; saved: SavedSketch; savedNow: boolean }>> {
    const format = this.exportFormat;
    this.exporting = true;
    try {
      const outcome = await this.save(projectId);
      if (!outcome.ok) return outcome;
      const { fresh, ...saved } = outcome.value;
      const file = await this.#studio.call('assets.export', { projectId: saved.projectId, assetId: saved.outputAsset.id, format });
      if (!file.ok) return failure(file.error.code, `Could not export: ${file.error.message}`);
      this.lastExport = file.value;
      return { ok: true, value: { file: file.value, saved, savedNow: fresh } };
    } finally {
      this.exporting = false;
    }
  }

  // ---- rendering

  #changed(): void {
    this.sketch = this.#history.snapshot();
    this.#requestRender();
  }

  /** Queues a render of the sketch as it is now; the queue sends only the newest and never shows an older result. */
  #requestRender(): void {
    const modelId = this.models.id;
    if (modelId === null) return;
    const { version, document } = this.sketch;
    const size = this.imageSize;
    this.#queue.submit({ sketchVersion: version, modelId }, async () =>
      this.#studio.call('sketch.render', { modelId, sketchPngBase64: await rasteriseSketch(document, size) }),
    );
  }
}

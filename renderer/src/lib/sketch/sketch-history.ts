// The sketch as vector strokes over an optional edges image, with its own undo/redo history and a version per change.
// Coordinates are resolution-free: x and y in [0, 1] of the square canvas, widths as a fraction of its side, so the
// same sketch rasterises to any model size (rasterise.ts) and displays at any CSS size (SketchCanvas.svelte).

/** Pen paints black, eraser paints white (the paper), as in the edge maps pix2pix sketch models train on. */
export type Ink = 'pen' | 'eraser';

export interface Stroke {
  readonly ink: Ink;
  /** Line width as a fraction of the canvas side (2 px on a 128 px model: 2 / 128). */
  readonly width: number;
  /** Flat [x0, y0, x1, y1, …] in [0, 1] (points may stray outside while the pointer is captured; they clip). */
  readonly points: readonly number[];
}

/** An image that became the canvas content ("Load image as edges"); strokes drawn after it go on top. */
export interface SketchBackground {
  /** Decoded pixels, drawn stretched over the whole square. */
  readonly image: CanvasImageSource;
  readonly width: number;
  readonly height: number;
}

export interface SketchDocument {
  readonly background: SketchBackground | null;
  readonly strokes: readonly Stroke[];
}

/** What the UI shows: the document and the version it has (each change, undo and redo included, is a new version). */
export interface SketchSnapshot {
  readonly version: number;
  readonly document: SketchDocument;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

export const EMPTY_DOCUMENT: SketchDocument = Object.freeze({ background: null, strokes: Object.freeze([]) as readonly Stroke[] });

/** Undo steps kept; older ones are forgotten (a loaded edges image holds its pixels). */
export const DEFAULT_HISTORY_LIMIT = 200;

export const isBlank = (doc: SketchDocument): boolean => doc.background === null && doc.strokes.length === 0;

/**
 * Linear undo history of immutable documents. A new edit after undo drops the redo branch, as in every paint tool.
 * Versions only go up, so "rendered from version v" identifies one exact state even after undo brings back
 * the same strokes.
 */
export class SketchHistory {
  #past: SketchDocument[] = [];
  #future: SketchDocument[] = [];
  #current: SketchDocument;
  #version: number;
  readonly #limit: number;

  constructor(options: { limit?: number; initial?: SketchDocument; version?: number } = {}) {
    this.#limit = Math.max(1, options.limit ?? DEFAULT_HISTORY_LIMIT);
    this.#current = options.initial ?? EMPTY_DOCUMENT;
    this.#version = options.version ?? 0;
  }

  get version(): number {
    return this.#version;
  }

  get document(): SketchDocument {
    return this.#current;
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  snapshot(): SketchSnapshot {
    return { version: this.#version, document: this.#current, canUndo: this.canUndo, canRedo: this.canRedo };
  }

  /** Adds a finished stroke; a stroke without points is ignored. Returns whether the sketch changed. */
  addStroke(stroke: Stroke): boolean {
    if (stroke.points.length < 2 || !(stroke.width > 0)) return false;
    const frozen: Stroke = Object.freeze({ ink: stroke.ink, width: stroke.width, points: Object.freeze([...stroke.points]) });
    this.#commit({ background: this.#current.background, strokes: [...this.#current.strokes, frozen] });
    return true;
  }

  /** Blank paper again; undoable. Clearing a blank sketch changes nothing and adds no undo step. */
  clear(): boolean {
    if (isBlank(this.#current)) return false;
    this.#commit(EMPTY_DOCUMENT);
    return true;
  }

  /** Replaces the whole content with an image (its strokes go, the image is the new paper); undoable. */
  replaceWithImage(background: SketchBackground): boolean {
    this.#commit({ background, strokes: [] });
    return true;
  }

  undo(): boolean {
    const previous = this.#past.pop();
    if (previous === undefined) return false;
    this.#future.push(this.#current);
    this.#current = previous;
    this.#version += 1;
    return true;
  }

  redo(): boolean {
    const next = this.#future.pop();
    if (next === undefined) return false;
    this.#past.push(this.#current);
    this.#current = next;
    this.#version += 1;
    return true;
  }

  #commit(next: SketchDocument): void {
    this.#past.push(this.#current);
    if (this.#past.length > this.#limit) this.#past.splice(0, this.#past.length - this.#limit);
    this.#future = [];
    this.#current = Object.freeze({ background: next.background, strokes: Object.freeze(next.strokes) });
    this.#version += 1;
  }
}

// The sketch's undo history: strokes, clear and loaded edges are undoable, a new stroke drops redo, versions only rise.
import { describe, expect, it } from 'vitest';
import { SketchHistory, type SketchBackground, type Stroke } from '../../../../renderer/src/lib/sketch/sketch-history.js';

const stroke = (x: number, ink: Stroke['ink'] = 'pen'): Stroke => ({ ink, width: 2 / 128, points: [x, 0.1, x, 0.9] });
const xs = (h: SketchHistory) => h.document.strokes.map((s) => s.points[0]);
const edges: SketchBackground = { image: {} as CanvasImageSource, width: 128, height: 128 };

describe('SketchHistory', () => {
  it('starts blank at version 0 with nothing to undo or redo', () => {
    const h = new SketchHistory();
    expect(h.snapshot()).toMatchObject({ version: 0, canUndo: false, canRedo: false, document: { background: null, strokes: [] } });
  });

  it('undoes and redoes strokes in order', () => {
    const h = new SketchHistory();
    h.addStroke(stroke(0.1));
    h.addStroke(stroke(0.2));
    h.addStroke(stroke(0.3));
    expect(xs(h)).toEqual([0.1, 0.2, 0.3]);
    expect(h.undo()).toBe(true);
    expect(h.undo()).toBe(true);
    expect(xs(h)).toEqual([0.1]);
    expect(h.canRedo).toBe(true);
    expect(h.redo()).toBe(true);
    expect(xs(h)).toEqual([0.1, 0.2]);
    expect(h.redo()).toBe(true);
    expect(h.redo()).toBe(false);
    expect(xs(h)).toEqual([0.1, 0.2, 0.3]);
  });

  it('a new stroke after undo clears the redo branch', () => {
    const h = new SketchHistory();
    h.addStroke(stroke(0.1));
    h.addStroke(stroke(0.2));
    h.undo();
    h.addStroke(stroke(0.7, 'eraser'));
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBe(false);
    expect(h.document.strokes.map((s) => [s.points[0], s.ink])).toEqual([
      [0.1, 'pen'],
      [0.7, 'eraser'],
    ]);
  });

  it('clear is one undoable step, and clearing a blank sketch adds none', () => {
    const h = new SketchHistory();
    expect(h.clear()).toBe(false);
    expect(h.canUndo).toBe(false);
    h.addStroke(stroke(0.1));
    h.addStroke(stroke(0.2));
    expect(h.clear()).toBe(true);
    expect(h.document.strokes).toEqual([]);
    expect(h.undo()).toBe(true);
    expect(xs(h)).toEqual([0.1, 0.2]);
    expect(h.redo()).toBe(true);
    expect(h.document.strokes).toEqual([]);
  });

  it('loaded edges replace the strokes, strokes go on top of them, and undo brings the old drawing back', () => {
    const h = new SketchHistory();
    h.addStroke(stroke(0.1));
    h.replaceWithImage(edges);
    expect(h.document).toMatchObject({ background: edges, strokes: [] });
    h.addStroke(stroke(0.5));
    expect(h.document.background).toBe(edges);
    expect(xs(h)).toEqual([0.5]);
    h.undo();
    h.undo();
    expect(h.document.background).toBeNull();
    expect(xs(h)).toEqual([0.1]);
    h.redo();
    expect(h.document).toMatchObject({ background: edges, strokes: [] });
    h.clear();
    expect(h.document.background).toBeNull();
  });

  it('gives every change a new, higher version, undo and redo included, and ignores empty strokes', () => {
    const h = new SketchHistory();
    const versions = [h.version];
    h.addStroke(stroke(0.1));
    versions.push(h.version);
    h.undo();
    versions.push(h.version);
    h.redo();
    versions.push(h.version);
    h.clear();
    versions.push(h.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(h.addStroke({ ink: 'pen', width: 0.01, points: [] })).toBe(false);
    expect(h.undo() && h.version).toBe(versions.at(-1)! + 1);
  });

  it('keeps documents immutable: a stroke added later or a caller mutating its points leaves old states intact', () => {
    const h = new SketchHistory();
    const points = [0.1, 0.1, 0.2, 0.2];
    h.addStroke({ ink: 'pen', width: 0.02, points });
    const before = h.document;
    points.push(0.9, 0.9);
    h.addStroke(stroke(0.3));
    expect(before.strokes).toHaveLength(1);
    expect(before.strokes[0]!.points).toEqual([0.1, 0.1, 0.2, 0.2]);
  });

  it('forgets undo steps beyond its limit, oldest first', () => {
    const h = new SketchHistory({ limit: 2 });
    for (const x of [0.1, 0.2, 0.3, 0.4]) h.addStroke(stroke(x));
    expect(h.undo()).toBe(true);
    expect(h.undo()).toBe(true);
    expect(h.undo()).toBe(false);
    expect(xs(h)).toEqual([0.1, 0.2]);
  });
});

// Grid selection follows desktop conventions: click, Ctrl/Cmd-click toggle, Shift-click range from the anchor.
import { describe, expect, it } from 'vitest';
import { clickSelection } from '../../../renderer/src/lib/grid-selection.js';

const order = [10, 11, 12, 13, 14, 15];
const plain = { toggle: false, range: false };
const ctrl = { toggle: true, range: false };
const shift = { toggle: false, range: true };
const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('clickSelection', () => {
  it('a plain click selects only the clicked tile and anchors there', () => {
    const next = clickSelection(new Set([10, 11]), 10, order, 13, plain);
    expect(sorted(next.selected)).toEqual([13]);
    expect(next.anchor).toBe(13);
  });

  it('ctrl-click toggles one tile and keeps the rest', () => {
    const added = clickSelection(new Set([10]), 10, order, 12, ctrl);
    expect(sorted(added.selected)).toEqual([10, 12]);
    const removed = clickSelection(added.selected, added.anchor, order, 10, ctrl);
    expect(sorted(removed.selected)).toEqual([12]);
  });

  it('shift-click selects the range from the anchor, in either direction, keeping the anchor', () => {
    const down = clickSelection(new Set([11]), 11, order, 14, shift);
    expect(sorted(down.selected)).toEqual([11, 12, 13, 14]);
    const up = clickSelection(down.selected, down.anchor, order, 10, shift);
    expect(sorted(up.selected)).toEqual([10, 11]);
  });

  it('ctrl+shift-click adds the range to the selection', () => {
    const next = clickSelection(new Set([15]), 11, order, 12, { toggle: true, range: true });
    expect(sorted(next.selected)).toEqual([11, 12, 15]);
  });

  it('shift-click without an anchor on screen acts as a plain click', () => {
    const next = clickSelection(new Set(), 99, order, 12, shift);
    expect(sorted(next.selected)).toEqual([12]);
    expect(next.anchor).toBe(12);
  });
});

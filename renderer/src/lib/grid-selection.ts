// Desktop selection rules for the asset grid: click selects one, Ctrl/Cmd toggles, Shift extends from the anchor.
export interface SelectionClick {
  toggle: boolean; // Ctrl or Cmd held
  range: boolean; // Shift held
}

export interface Selection {
  selected: Set<number>;
  /** The last plainly or Ctrl-clicked item: where the next Shift-click range starts. */
  anchor: number | null;
}

/** The selection after clicking `clicked`, with `order` the ids as shown in the grid. */
export function clickSelection(
  current: ReadonlySet<number>,
  anchor: number | null,
  order: readonly number[],
  clicked: number,
  click: SelectionClick,
): Selection {
  const from = anchor === null ? -1 : order.indexOf(anchor);
  const to = order.indexOf(clicked);
  if (click.range && from >= 0 && to >= 0) {
    // Shift adds the range to a Ctrl-built selection, and replaces a plain one (as in Finder and Lightroom).
    const selected = click.toggle ? new Set(current) : new Set<number>();
    for (const id of order.slice(Math.min(from, to), Math.max(from, to) + 1)) selected.add(id);
    return { selected, anchor };
  }
  if (click.toggle) {
    const selected = new Set(current);
    if (selected.has(clicked)) selected.delete(clicked);
    else selected.add(clicked);
    return { selected, anchor: clicked };
  }
  return { selected: new Set([clicked]), anchor: clicked };
}

/** The ids of `items`, for membership tests (a plain Set: it is a snapshot, nothing renders from it). */
export function idSet(items: readonly { id: number }[]): ReadonlySet<number> {
  return new Set(items.map((item) => item.id));
}

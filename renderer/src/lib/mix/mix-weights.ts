// Layer weights of a style mix: rows[l][s] is how much of source s the w of layer l takes. Every function here
// returns rows that each sum to 1 with values in [0, 1] (the contract's MixRequest and mixStyles check both).

export type LayerWeights = readonly (readonly number[])[];

export type StyleGroup = 'coarse' | 'middle' | 'fine';
export const STYLE_GROUPS: readonly StyleGroup[] = ['coarse', 'middle', 'fine'];
export type GroupLayers = Readonly<Record<StyleGroup, readonly number[]>>;

export type MixPreset = 'all-a' | 'all-b' | 'coarse-b' | 'middle-b' | 'fine-b' | 'even';

/** Presets in button order; `group` names the layers that come from B (the rest from A). */
export const MIX_PRESETS: readonly { id: MixPreset; label: string; title: string; group?: StyleGroup }[] = [
  { id: 'all-a', label: 'All A', title: 'Every layer from source A' },
  { id: 'all-b', label: 'All B', title: 'Every layer from source B' },
  { id: 'coarse-b', label: 'Coarse from B', title: 'Pose and shape (4–8 px layers) from B, the rest from A', group: 'coarse' },
  { id: 'middle-b', label: 'Middle from B', title: 'Features (16–32 px layers) from B, the rest from A', group: 'middle' },
  { id: 'fine-b', label: 'Fine from B', title: 'Colour and texture (64 px and finer layers) from B, the rest from A', group: 'fine' },
  { id: 'even', label: 'Half/half', title: 'Every layer an even blend of all sources' },
];

/** Sliders and number fields move in these steps; weights closer than this to 0 or 1 snap there. */
const SNAP = 1e-9;

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/** A one-hot row: all of source `from`. */
export function oneHot(sourceCount: number, from: number): number[] {
  return Array.from({ length: sourceCount }, (_, s) => (s === from ? 1 : 0));
}

/** Every layer all of source `from`. */
export function allFrom(numWs: number, sourceCount: number, from: number): number[][] {
  return Array.from({ length: numWs }, () => oneHot(sourceCount, from));
}

/** Every layer the same even blend of all sources. */
export function evenRows(numWs: number, sourceCount: number): number[][] {
  return Array.from({ length: numWs }, () => Array.from({ length: sourceCount }, () => 1 / sourceCount));
}

/**
 * The rows of a preset. With one source every preset is "all of it"; presets naming B fall back to A when there is
 * no B. A group preset takes that group's layers from B and every other layer from A.
 */
export function presetRows(preset: MixPreset, numWs: number, sourceCount: number, groups: GroupLayers): number[][] {
  const b = sourceCount > 1 ? 1 : 0;
  if (preset === 'all-a') return allFrom(numWs, sourceCount, 0);
  if (preset === 'all-b') return allFrom(numWs, sourceCount, b);
  if (preset === 'even') return evenRows(numWs, sourceCount);
  const group = MIX_PRESETS.find((p) => p.id === preset)?.group;
  const fromB = new Set(group ? groups[group] : []);
  return Array.from({ length: numWs }, (_, l) => oneHot(sourceCount, fromB.has(l) ? b : 0));
}

/**
 * `row` with source `s` set to `value` and the others rescaled to share the rest in their current proportions
 * (equally when they are all 0), so the row still sums to 1.
 */
export function setSourceWeight(row: readonly number[], s: number, value: number): number[] {
  if (row.length === 1) return [1];
  const v = clamp01(value);
  const othersSum = row.reduce((sum, w, i) => (i === s ? sum : sum + w), 0);
  const rest = 1 - v;
  const next = row.map((w, i) => {
    if (i === s) return v;
    return othersSum > SNAP ? (w / othersSum) * rest : rest / (row.length - 1);
  });
  return normaliseRow(next);
}

/** `row` scaled to sum 1 (an all-zero row becomes all of source 0), values snapped into [0, 1]. */
export function normaliseRow(row: readonly number[]): number[] {
  const clean = row.map(clamp01);
  const sum = clean.reduce((a, b) => a + b, 0);
  if (sum <= SNAP) return oneHot(row.length, 0);
  const scaled = clean.map((w) => {
    const x = w / sum;
    return x < SNAP ? 0 : x > 1 - SNAP ? 1 : x;
  });
  // Put the rounding residue on the largest weight so the sum is 1 to the last bit that matters.
  const residue = 1 - scaled.reduce((a, b) => a + b, 0);
  const largest = scaled.indexOf(Math.max(...scaled));
  scaled[largest] = clamp01(scaled[largest]! + residue);
  return scaled;
}

/** Two sources: the share of B in a row (0 = all A, 1 = all B). */
export const shareOfB = (row: readonly number[]): number => row[1] ?? 0;

/** Two sources: a row taking `t` of B and 1 − t of A. */
export function twoSourceRow(t: number): number[] {
  const b = clamp01(t);
  return [1 - b, b];
}

/** `rows` with each layer in `layers` replaced by `row`. */
export function setLayers(rows: LayerWeights, layers: readonly number[], row: readonly number[]): number[][] {
  const set = new Set(layers);
  return rows.map((r, l) => (set.has(l) ? [...row] : [...r]));
}

/** The average row of `layers` (still summing to 1): what a group control shows when its layers differ. */
export function meanRow(rows: LayerWeights, layers: readonly number[]): number[] {
  const width = rows[0]?.length ?? 0;
  if (layers.length === 0) return oneHot(width, 0);
  const sum = Array.from({ length: width }, (_, s) => layers.reduce((acc, l) => acc + (rows[l]?.[s] ?? 0), 0));
  return normaliseRow(sum.map((v) => v / layers.length));
}

/** A new source joins with weight 0 on every layer: the picture does not change until the artist gives it some. */
export function addSourceColumn(rows: LayerWeights): number[][] {
  return rows.map((r) => [...r, 0]);
}

/** Source `s` leaves; each row's remaining weights are rescaled to sum 1. */
export function removeSourceColumn(rows: LayerWeights, s: number): number[][] {
  return rows.map((r) => normaliseRow(r.filter((_, i) => i !== s)));
}

/** True when `rows` is a valid weight matrix for `numWs` layers and `sourceCount` sources. */
export function isValidRows(rows: LayerWeights, numWs: number, sourceCount: number): boolean {
  return (
    rows.length === numWs &&
    rows.every((r) => r.length === sourceCount && r.every((w) => w >= 0 && w <= 1) && Math.abs(r.reduce((a, b) => a + b, 0) - 1) <= 1e-9)
  );
}

/** The preset whose rows `rows` are exactly, if any (the preset buttons show which one is on). */
export function matchingPreset(rows: LayerWeights, sourceCount: number, groups: GroupLayers): MixPreset | null {
  const same = (a: LayerWeights, b: LayerWeights) => a.every((r, l) => r.every((w, s) => Math.abs(w - b[l]![s]!) < 1e-9));
  for (const preset of MIX_PRESETS) {
    if (preset.group && groups[preset.group].length === 0) continue;
    if (same(rows, presetRows(preset.id, rows.length, sourceCount, groups))) return preset.id;
  }
  return null;
}

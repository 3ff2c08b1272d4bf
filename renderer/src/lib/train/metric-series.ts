// One training metric over steps (a loss, the learning rate, held-out PSNR): history from 'runs.metrics' merged with
// live points from job.progress, deduplicated by step, and thinned for display without losing extremes or the end.

/** A point as 'runs.metrics' sends it: [step, value]; a NaN value crosses JSON as null. */
export type MetricPoint = readonly [step: number, value: number | null];

/** Points of one series chosen for display, in step order; NaN marks a gap (non-finite value). */
export interface SeriesView {
  steps: number[];
  values: number[];
}

const toValue = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);

/**
 * Points sorted by step with at most one point per step. Steps only go up in one training attempt; a resumed
 * attempt records the steps after its checkpoint again, and the newer value of a step is the one that counts.
 */
export class MetricSeries {
  #steps: number[] = [];
  #values: number[] = [];

  get length(): number {
    return this.#steps.length;
  }

  /** Steps in order (read-only view; do not mutate). */
  get steps(): readonly number[] {
    return this.#steps;
  }

  /** Values in step order, NaN where the value was not finite (read-only view). */
  get values(): readonly number[] {
    return this.#values;
  }

  get lastStep(): number | null {
    return this.#steps.length === 0 ? null : this.#steps[this.#steps.length - 1]!;
  }

  /** The value at the last step (NaN when it was not finite), or null when empty. */
  get lastValue(): number | null {
    return this.#values.length === 0 ? null : this.#values[this.#values.length - 1]!;
  }

  /**
   * A live point. A step at or before the last one means the run went back to a checkpoint and trains those steps
   * again: what was recorded from that step on belongs to the abandoned attempt and goes.
   */
  record(step: number, value: number | null): void {
    if (!Number.isFinite(step)) return;
    const from = lowerBound(this.#steps, step);
    if (from < this.#steps.length) {
      this.#steps.length = from;
      this.#values.length = from;
    }
    this.#steps.push(step);
    this.#values.push(toValue(value));
  }

  /**
   * The recorded history (the back end's truth when it was read): it replaces every point up to its last step, and
   * live points after that step (arrived while it was on its way) stay. Duplicate steps in `history`: the later wins.
   */
  mergeHistory(history: readonly MetricPoint[]): void {
    const { steps, values } = dedupeByStep(history);
    if (steps.length === 0) return;
    const last = steps[steps.length - 1]!;
    const keepFrom = upperBound(this.#steps, last);
    this.#steps = steps.concat(this.#steps.slice(keepFrom));
    this.#values = values.concat(this.#values.slice(keepFrom));
  }

  clear(): void {
    this.#steps = [];
    this.#values = [];
  }
}

/** Read access to a run's series by metric name (what a chart needs). */
export interface SeriesSource {
  get(name: string): MetricSeries | undefined;
}

/**
 * Every metric of one run by name ('gGan', 'test_psnr', …). Deliberately not reactive: a run holds tens of
 * thousands of points, and its owner says "changed" once per update instead (RunWatch.version).
 */
export class RunMetrics implements SeriesSource {
  readonly #series = new Map<string, MetricSeries>();

  get(name: string): MetricSeries | undefined {
    return this.#series.get(name);
  }

  get names(): string[] {
    return [...this.#series.keys()];
  }

  /** The series `name`, created empty on first use. */
  seriesOf(name: string): MetricSeries {
    let s = this.#series.get(name);
    if (!s) {
      s = new MetricSeries();
      this.#series.set(name, s);
    }
    return s;
  }

  /** The live values of one step (a job.progress `metrics`). */
  record(step: number, values: Readonly<Record<string, number | null>>): void {
    for (const [name, value] of Object.entries(values)) this.seriesOf(name).record(step, value);
  }

  /** What 'runs.metrics' answered: name → [step, value] pairs. */
  mergeHistory(history: Readonly<Record<string, readonly MetricPoint[]>>): void {
    for (const [name, points] of Object.entries(history)) this.seriesOf(name).mergeHistory(points);
  }

  /** The last value of `name` (NaN when it was not finite), or null when there is none. */
  latest(name: string): number | null {
    return this.#series.get(name)?.lastValue ?? null;
  }
}

/** `points` sorted by step (stable: equal steps keep their order), one per step, the later of equal steps kept. */
export function dedupeByStep(points: readonly MetricPoint[]): SeriesView {
  const finite = points.filter((p) => Number.isFinite(p[0]));
  let sorted = true;
  for (let i = 1; i < finite.length && sorted; i++) sorted = finite[i - 1]![0] <= finite[i]![0];
  const ordered = sorted ? finite : finite.map((p, i) => ({ p, i })).sort((a, b) => a.p[0] - b.p[0] || a.i - b.i).map((e) => e.p);
  const steps: number[] = [];
  const values: number[] = [];
  for (const [step, value] of ordered) {
    if (steps.length > 0 && steps[steps.length - 1] === step) values[values.length - 1] = toValue(value);
    else {
      steps.push(step);
      values.push(toValue(value));
    }
  }
  return { steps, values };
}

/** First index whose step is ≥ `step` (length when none). */
export function lowerBound(steps: readonly number[], step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]! < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose step is > `step` (length when none). */
export function upperBound(steps: readonly number[], step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * At most `maxPoints` of the points in [from, to) of a series, for drawing: the first and the last always, and for
 * each bucket of the points between them its lowest and highest value (in step order), so spikes still show. A
 * bucket with only NaN values keeps one NaN (a gap stays a gap). Fewer points than `maxPoints`: all of them.
 */
export function downsampleMinMax(
  steps: readonly number[],
  values: readonly number[],
  maxPoints: number,
  from = 0,
  to = steps.length,
): SeriesView {
  const n = to - from;
  if (n <= 0) return { steps: [], values: [] };
  if (n <= Math.max(2, maxPoints)) return { steps: steps.slice(from, to), values: values.slice(from, to) };
  const out: SeriesView = { steps: [steps[from]!], values: [values[from]!] };
  const push = (i: number): void => {
    out.steps.push(steps[i]!);
    out.values.push(values[i]!);
  };
  const interiorStart = from + 1;
  const interior = n - 2;
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  for (let b = 0; b < buckets; b++) {
    const start = interiorStart + Math.floor((b * interior) / buckets);
    const end = interiorStart + Math.floor(((b + 1) * interior) / buckets);
    if (start >= end) continue;
    let iMin = -1;
    let iMax = -1;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (iMin < 0 || v < values[iMin]!) iMin = i;
      if (iMax < 0 || v > values[iMax]!) iMax = i;
    }
    if (iMin < 0) push(start);
    else if (iMin === iMax) push(iMin);
    else {
      push(Math.min(iMin, iMax));
      push(Math.max(iMin, iMax));
    }
  }
  push(to - 1);
  return out;
}

/**
 * What to draw of a series: all of it thinned to `maxPoints`, or (zoomed to [xMin, xMax]) the points in that window
 * thinned to `maxPoints` plus the one just outside each edge (lines reach the edges) and the series' first and last
 * points (a reset of the zoom goes back to the whole run, and the latest point is never lost).
 */
export function seriesForDisplay(series: MetricSeries, maxPoints: number, window: { min: number; max: number } | null = null): SeriesView {
  const { steps, values } = series;
  const n = steps.length;
  if (window === null || n === 0) return downsampleMinMax(steps, values, maxPoints);
  const from = Math.max(0, lowerBound(steps, window.min) - 1);
  const to = Math.min(n, upperBound(steps, window.max) + 1);
  const inside = downsampleMinMax(steps, values, maxPoints, from, to);
  if (from > 0) {
    inside.steps.unshift(steps[0]!);
    inside.values.unshift(values[0]!);
  }
  if (to < n) {
    inside.steps.push(steps[n - 1]!);
    inside.values.push(values[n - 1]!);
  }
  return inside;
}

/**
 * Several series on one shared x axis (uPlot's aligned data): x is the sorted union of their steps. Each series has
 * undefined where it has no point at that step (uPlot draws straight through) and null where its value is not
 * finite (uPlot leaves a gap: a diverged loss shows as a break, not as a made-up line).
 */
export function alignSeries(views: readonly SeriesView[]): [number[], ...(number | null | undefined)[][]] {
  const union = new Set<number>();
  for (const v of views) for (const s of v.steps) union.add(s);
  const xs = [...union].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = views.map((v) => {
    const column = new Array<number | null | undefined>(xs.length).fill(undefined);
    for (let i = 0; i < v.steps.length; i++) {
      const value = v.values[i]!;
      column[index.get(v.steps[i]!)!] = Number.isFinite(value) ? value : null;
    }
    return column;
  });
  return [xs, ...ys];
}

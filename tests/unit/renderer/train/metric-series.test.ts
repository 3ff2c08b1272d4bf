// Training charts' data: history and live points merge into one series per metric, a resumed run's re-recorded
// steps replace the abandoned ones, and thinning for display keeps the ends, the spikes and the gaps.
import { describe, expect, it } from 'vitest';
import {
  alignSeries,
  dedupeByStep,
  downsampleMinMax,
  MetricSeries,
  RunMetrics,
  seriesForDisplay,
  type MetricPoint,
} from '../../../../renderer/src/lib/train/metric-series.js';

const pointsOf = (s: MetricSeries) => s.steps.map((step, i) => [step, s.values[i]]);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('MetricSeries', () => {
  it('holds the history as sent, one point per step in step order', () => {
    const s = new MetricSeries();
    s.mergeHistory([
      [1, 0.9],
      [2, 0.8],
      [3, 0.7],
    ]);
    expect(pointsOf(s)).toEqual([
      [1, 0.9],
      [2, 0.8],
      [3, 0.7],
    ]);
    expect(s.lastStep).toBe(3);
    expect(s.lastValue).toBe(0.7);
  });

  it('appends live points after the history', () => {
    const s = new MetricSeries();
    s.mergeHistory([
      [1, 0.9],
      [2, 0.8],
    ]);
    s.record(5, 0.5);
    s.record(9, 0.4);
    expect(pointsOf(s)).toEqual([
      [1, 0.9],
      [2, 0.8],
      [5, 0.5],
      [9, 0.4],
    ]);
  });

  it('keeps live points newer than a history that arrives late, and lets the history fill in the steps before', () => {
    const s = new MetricSeries();
    // Live progress is throttled: it skips steps, and it may arrive before the history read at opening.
    s.record(40, 0.4);
    s.record(50, 0.35);
    s.mergeHistory(range(1, 45).map((step): MetricPoint => [step, 1 / step]));
    expect(s.length).toBe(46);
    expect(s.steps.slice(-3)).toEqual([44, 45, 50]);
    expect(s.values[s.length - 1]).toBe(0.35);
    // The history's value for step 40 wins over the live one it recorded itself.
    expect(s.values[s.steps.indexOf(40)]).toBe(1 / 40);
  });

  it('after a resume from an earlier checkpoint, the re-trained steps replace the abandoned ones', () => {
    const s = new MetricSeries();
    s.mergeHistory(range(1, 10).map((step): MetricPoint => [step, 100 + step]));
    // The run crashed at step 10 with its checkpoint at 7: the resumed job trains 8, 9, 10… again.
    s.record(8, 8);
    expect(s.lastStep).toBe(8);
    expect(s.steps).toEqual(range(1, 8)); // 9 and 10 of the abandoned attempt are gone at once
    s.record(9, 9);
    s.record(10, 10);
    s.record(11, 11);
    expect(pointsOf(s)).toEqual([...range(1, 7).map((step) => [step, 100 + step]), [8, 8], [9, 9], [10, 10], [11, 11]]);
  });

  it('takes the later of duplicate steps in a history and sorts an unsorted one', () => {
    const s = new MetricSeries();
    s.mergeHistory([
      [3, 3],
      [1, 1],
      [2, 2],
      [2, 22],
    ]);
    expect(pointsOf(s)).toEqual([
      [1, 1],
      [2, 22],
      [3, 3],
    ]);
  });

  it('keeps a non-finite value (null over JSON) as a NaN point, so the chart shows a gap there', () => {
    const s = new MetricSeries();
    s.mergeHistory([
      [1, 0.5],
      [2, null],
      [3, 0.4],
    ]);
    expect(s.length).toBe(3);
    expect(Number.isNaN(s.values[1]!)).toBe(true);
    expect(alignSeries([{ steps: [...s.steps], values: [...s.values] }])).toEqual([[1, 2, 3], [0.5, null, 0.4]]);
  });
});

describe('RunMetrics', () => {
  it('merges every named series of a history, then live steps of several metrics at once', () => {
    const run = new RunMetrics();
    run.mergeHistory({
      gGan: [
        [1, 2],
        [2, 1.9],
      ],
      test_psnr: [[2, 14.5]],
    });
    run.record(3, { gGan: 1.8, gL1: 0.3 });
    expect(run.names.sort()).toEqual(['gGan', 'gL1', 'test_psnr']);
    expect(run.get('gGan')!.steps).toEqual([1, 2, 3]);
    expect(run.latest('gGan')).toBe(1.8);
    expect(run.latest('test_psnr')).toBe(14.5);
    expect(run.latest('dReal')).toBeNull();
  });
});

describe('dedupeByStep', () => {
  it('drops points whose step is not a number', () => {
    expect(
      dedupeByStep([
        [Number.NaN, 1],
        [1, 2],
      ]),
    ).toEqual({ steps: [1], values: [2] });
  });
});

describe('downsampleMinMax', () => {
  // A noisy descending loss with one spike up and one dip down, far from the ends.
  const n = 50_000;
  const steps = range(1, n);
  const values = steps.map((s) => 2 / Math.sqrt(s) + 0.01 * Math.sin(s));
  values[12_345] = 9.5;
  values[33_333] = -4;

  it('returns at most the asked number of points', () => {
    const view = downsampleMinMax(steps, values, 1000);
    expect(view.steps.length).toBeLessThanOrEqual(1000);
    expect(view.steps.length).toBeGreaterThan(900);
  });

  it('keeps the first and the last point exactly', () => {
    const view = downsampleMinMax(steps, values, 400);
    expect([view.steps[0], view.values[0]]).toEqual([1, values[0]]);
    expect([view.steps.at(-1), view.values.at(-1)]).toEqual([n, values[n - 1]]);
  });

  it('keeps the extremes: the spike and the dip are still drawn, at their steps', () => {
    const view = downsampleMinMax(steps, values, 200);
    expect(Math.max(...view.values)).toBe(9.5);
    expect(Math.min(...view.values)).toBe(-4);
    expect(view.steps[view.values.indexOf(9.5)]).toBe(12_346);
    expect(view.steps[view.values.indexOf(-4)]).toBe(33_334);
  });

  it('keeps points in step order, each a real point of the series', () => {
    const view = downsampleMinMax(steps, values, 300);
    for (let i = 1; i < view.steps.length; i++) expect(view.steps[i]!).toBeGreaterThan(view.steps[i - 1]!);
    for (let i = 0; i < view.steps.length; i++) expect(view.values[i]).toBe(values[view.steps[i]! - 1]);
  });

  it('returns short series whole', () => {
    expect(downsampleMinMax([1, 2, 3], [3, 2, 1], 100)).toEqual({ steps: [1, 2, 3], values: [3, 2, 1] });
  });

  it('keeps a gap as a gap when a whole bucket is NaN, and ignores NaN when looking for extremes', () => {
    const v = steps.map((s) => (s > 20_000 && s <= 30_000 ? Number.NaN : s % 7));
    const view = downsampleMinMax(steps, v, 100);
    expect(view.values.some((x) => Number.isNaN(x))).toBe(true);
    expect(Math.max(...view.values.filter((x) => !Number.isNaN(x)))).toBe(6);
  });
});

describe('seriesForDisplay', () => {
  const s = new MetricSeries();
  s.mergeHistory(range(1, 20_000).map((step): MetricPoint => [step, step % 100]));

  it('thins the whole run and never loses the latest point, also right after a live one', () => {
    s.record(20_001, 123);
    const view = seriesForDisplay(s, 500);
    expect(view.steps.length).toBeLessThanOrEqual(500);
    expect([view.steps.at(-1), view.values.at(-1)]).toEqual([20_001, 123]);
  });

  it('zoomed, shows the window in full detail plus the neighbours and the run’s first and last points', () => {
    const view = seriesForDisplay(s, 500, { min: 1000, max: 1100 });
    expect(view.steps[0]).toBe(1);
    expect(view.steps.at(-1)).toBe(s.lastStep);
    expect(view.steps).toEqual(expect.arrayContaining(range(999, 1101)));
    expect(view.steps.length).toBe(101 + 2 + 2);
  });
});

describe('alignSeries', () => {
  it('puts series on the union of their steps, undefined where one has no point (drawn through)', () => {
    expect(
      alignSeries([
        { steps: [1, 3], values: [10, 30] },
        { steps: [2, 3], values: [0.2, 0.3] },
      ]),
    ).toEqual([
      [1, 2, 3],
      [10, undefined, 30],
      [undefined, 0.2, 0.3],
    ]);
  });
});

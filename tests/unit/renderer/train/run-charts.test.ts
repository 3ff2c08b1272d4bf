// The charts a run shows: each family's own metric names (as its training step reports them), one chart per group.
import { describe, expect, it } from 'vitest';
import { chartsFor } from '../../../../renderer/src/lib/train/run-charts.js';

const keysOf = (family: 'pix2pix' | 'stylegan2' | 'pggan' | 'cyclegan') => chartsFor(family).map((c) => [c.testid, c.lines.map((l) => l.key)]);

describe('chartsFor', () => {
  it('charts pix2pix’s adversarial and L1 losses and its held-out PSNR', () => {
    expect(keysOf('pix2pix')).toEqual([
      ['loss-chart-g', ['gGan', 'gL1']],
      ['loss-chart-d', ['dReal', 'dFake']],
      ['metric-chart', ['test_psnr', 'test_l1']],
    ]);
  });

  it('charts StyleGAN2’s Gmain, D losses with R1 on its own axis, the discriminator’s scores and KID', () => {
    expect(keysOf('stylegan2')).toEqual([
      ['loss-chart-g', ['gMain']],
      ['loss-chart-d', ['dReal', 'dFake', 'r1']],
      ['score-chart', ['realScore', 'fakeScore']],
      ['kid-chart', ['kid']],
    ]);
    const r1 = chartsFor('stylegan2')[1]!.lines.find((l) => l.key === 'r1');
    expect(r1?.axis).toBe('right');
  });

  it('charts PGGAN’s WGAN-GP losses, Wasserstein estimate, gradient penalty, growing resolution and KID', () => {
    expect(keysOf('pggan')).toEqual([
      ['loss-chart', ['gLoss', 'dLoss']],
      ['wasserstein-chart', ['wasserstein']],
      ['penalty-chart', ['gradientPenalty']],
      ['resolution-chart', ['resolution', 'alpha']],
      ['kid-chart', ['kid']],
    ]);
  });

  it('charts CycleGAN’s two generators, two discriminators, cycle and identity losses, and the decaying rate', () => {
    expect(keysOf('cyclegan')).toEqual([
      ['loss-chart-g', ['gA', 'gB']],
      ['loss-chart-d', ['dA', 'dB']],
      ['cycle-chart', ['cycleA', 'cycleB', 'idtA', 'idtB']],
      ['lr-chart', ['lr']],
    ]);
  });

  it('gives every line of a chart its own colour', () => {
    for (const family of ['pix2pix', 'stylegan2', 'pggan', 'cyclegan'] as const) {
      for (const chart of chartsFor(family)) expect(new Set(chart.lines.map((l) => l.color)).size).toBe(chart.lines.length);
    }
  });
});

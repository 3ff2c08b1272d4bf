// Which charts a training run shows, per family: the metric names each family's training step reports
// (models/pix2pix/train.ts, models/stylegan/train-step.ts StyleGAN2Losses, main/engine/tasks/train-pggan.ts,
// models/cyclegan/train-step.ts CycleganLosses), grouped as an artist reads them.
import type { TrainingFamilyId } from './training-form';

export interface ChartLine {
  /** Metric name in the run's series (e.g. 'gGan'). */
  key: string;
  label: string;
  color: string;
  /** Which y axis: lines of very different magnitude get one each. */
  axis?: 'left' | 'right';
}

export interface RunChart {
  testid: string;
  title: string;
  lines: readonly ChartLine[];
  /** What the empty chart says once the history is loaded. */
  empty: string;
}

const NO_STEPS = 'No steps yet.';

const pix2pixCharts: readonly RunChart[] = [
  {
    testid: 'loss-chart-g',
    title: 'Generator losses',
    lines: [
      { key: 'gGan', label: 'G adversarial', color: '#5b7cfa' },
      { key: 'gL1', label: 'G L1 (before λ)', color: '#f0a35b', axis: 'right' },
    ],
    empty: NO_STEPS,
  },
  {
    testid: 'loss-chart-d',
    title: 'Discriminator losses',
    lines: [
      { key: 'dReal', label: 'D on real', color: '#4cc38a' },
      { key: 'dFake', label: 'D on fake', color: '#e5484d' },
    ],
    empty: NO_STEPS,
  },
  {
    testid: 'metric-chart',
    title: 'Held-out pairs: PSNR (left) and L1 (right)',
    lines: [
      { key: 'test_psnr', label: 'PSNR (dB)', color: '#c77dff' },
      { key: 'test_l1', label: 'L1', color: '#f0a35b', axis: 'right' },
    ],
    empty: 'Measured at each sample (needs held-out pairs).',
  },
];

/** The unconditional generators' quality chart (KID on ESRGAN-slim features). */
const kidChart: RunChart = {
  testid: 'kid-chart',
  title: 'Quality: KID against your images (lower is closer)',
  lines: [{ key: 'kid', label: 'KID', color: '#c77dff' }],
  empty: 'Measured every “KID every” iterations and at the end.',
};

const stylegan2Charts: readonly RunChart[] = [
  {
    testid: 'loss-chart-g',
    title: 'Generator loss',
    lines: [{ key: 'gMain', label: 'G main (softplus −D(G(z)))', color: '#5b7cfa' }],
    empty: NO_STEPS,
  },
  {
    testid: 'loss-chart-d',
    title: 'Discriminator losses (left) and R1 penalty (right, every 16th iteration)',
    lines: [
      { key: 'dReal', label: 'D on real', color: '#4cc38a' },
      { key: 'dFake', label: 'D on fake', color: '#e5484d' },
      { key: 'r1', label: 'R1 (before γ/2)', color: '#c77dff', axis: 'right' },
    ],
    empty: NO_STEPS,
  },
  {
    testid: 'score-chart',
    title: 'Discriminator scores: real above fake means D tells them apart',
    lines: [
      { key: 'realScore', label: 'D(real)', color: '#4cc38a' },
      { key: 'fakeScore', label: 'D(fake)', color: '#e5484d' },
    ],
    empty: NO_STEPS,
  },
  kidChart,
];

const pgganCharts: readonly RunChart[] = [
  {
    testid: 'loss-chart',
    title: 'Losses: generator (left) and discriminator (right, WGAN-GP)',
    lines: [
      { key: 'gLoss', label: 'G loss', color: '#5b7cfa' },
      { key: 'dLoss', label: 'D loss', color: '#e5484d', axis: 'right' },
    ],
    empty: NO_STEPS,
  },
  {
    testid: 'wasserstein-chart',
    title: 'Wasserstein estimate: D(real) − D(fake), shrinking as fakes get closer',
    lines: [{ key: 'wasserstein', label: 'Wasserstein', color: '#4cc38a' }],
    empty: NO_STEPS,
  },
  {
    testid: 'penalty-chart',
    title: 'Gradient penalty (before λ)',
    lines: [{ key: 'gradientPenalty', label: 'Gradient penalty', color: '#f0a35b' }],
    empty: NO_STEPS,
  },
  {
    testid: 'resolution-chart',
    title: 'Growing: resolution in px (left) and fade-in of the newest one (right, 1 = fully in)',
    lines: [
      { key: 'resolution', label: 'Resolution (px)', color: '#5b7cfa' },
      { key: 'alpha', label: 'Fade-in α', color: '#c77dff', axis: 'right' },
    ],
    empty: NO_STEPS,
  },
  kidChart,
];

// G_A turns A into B and D_A judges B (real B against G_A's fakes); G_B and D_B the other way round.
const cycleganCharts: readonly RunChart[] = [
  {
    testid: 'loss-chart-g',
    title: 'Generators: adversarial losses (LSGAN)',
    lines: [
      { key: 'gA', label: 'G_A: A → B', color: '#5b7cfa' },
      { key: 'gB', label: 'G_B: B → A', color: '#f0a35b' },
    ],
    empty: NO_STEPS,
  },
  {
    testid: 'loss-chart-d',
    title: 'Discriminators: D_A judges B images, D_B judges A images',
    lines: [
      { key: 'dA', label: 'D_A', color: '#4cc38a' },
      { key: 'dB', label: 'D_B', color: '#e5484d' },
    ],
    empty: NO_STEPS,
  },
  {
    testid: 'cycle-chart',
    title: 'Cycle and identity losses (L1, before their weights): lower keeps more of the input',
    lines: [
      { key: 'cycleA', label: 'Cycle A → B → A', color: '#c77dff' },
      { key: 'cycleB', label: 'Cycle B → A → B', color: '#5bc8fa' },
      { key: 'idtA', label: 'Identity G_A(B) ≈ B', color: '#d9b35c' },
      { key: 'idtB', label: 'Identity G_B(A) ≈ A', color: '#8a9bb0' },
    ],
    empty: NO_STEPS,
  },
  {
    testid: 'lr-chart',
    title: 'Learning rate: constant for the epochs, then falling to zero over the decay epochs',
    lines: [{ key: 'lr', label: 'Learning rate', color: '#8a9bb0' }],
    empty: NO_STEPS,
  },
];

const chartsByFamily: Record<TrainingFamilyId, readonly RunChart[]> = {
  pix2pix: pix2pixCharts,
  stylegan2: stylegan2Charts,
  pggan: pgganCharts,
  cyclegan: cycleganCharts,
};

/** The charts of a run of `family`, in display order. */
export function chartsFor(family: TrainingFamilyId): readonly RunChart[] {
  return chartsByFamily[family];
}

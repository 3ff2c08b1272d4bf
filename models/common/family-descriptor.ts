// What a model family tells the rest of the studio, in two parts. The descriptor here (`models/<family>/family.ts`) is
// plain zod and data, so main/, the engine and the renderer may all import it: the schemas of model.json's config and
// of a checkpoint's run state, the parts of its tensor manifest, how a training job is built from its settings, how
// the Train view presents it and which charts its runs show. The networks (`models/<family>/engine.ts`, tfjs) extend
// it with `create`; only the engine side imports those. Registries: models/families.ts and models/family-engines.ts.
import type { z } from 'zod';

/** One line of a run chart: a metric the family's training streams, as the chart names and draws it. */
export interface ChartLine {
  /** Metric name in the run's series (e.g. 'gGan'). */
  key: string;
  label: string;
  color: string;
  /** Which y axis: lines of very different magnitude get one each. */
  axis?: 'left' | 'right';
}

/** One chart of a run, in display order. */
export interface ChartSeries {
  testid: string;
  title: string;
  lines: readonly ChartLine[];
  /** What the empty chart says once the history is loaded. */
  empty: string;
}

/**
 * Where a training job's images come from, which the generic job preparer (main/jobs/kinds/train-family.ts) turns into
 * the engine's data params: one folder of images (`dataDir`), two unpaired folders (`dataA`, `dataB`) or a dataset
 * prepared in the project (`dataset`).
 */
export type TrainingData = 'image-folder' | 'two-folders' | 'prepared-pairs';

/** A family's training job: which settings go where in the engine's params. Keys name the job's settings. */
export interface FamilyTraining {
  /** The job kind and engine task (the contract's method name), e.g. 'train.pggan'. */
  jobKind: `train.${string}`;
  /** The engine task's params and result (the task itself is registered under `jobKind` in main/engine/tasks). */
  task: { params: z.ZodType; result: z.ZodType };
  /** The contract method that starts it, whose params are the job's settings (pix2pix's is 'train.start'). */
  method: `train.${string}`;
  /** The job's label in the jobs list. */
  label: string;
  data: TrainingData;
  /** Whether a run may start from trained networks of the family (any data) with fresh optimisers: `fineTuneFrom`. */
  fineTunes?: true;
  /**
   * The family's own settings of a training job, with their limits and defaults (the reference's, sized for a CPU):
   * main/api/job-params.ts adds the project, data, name and seed around them, and the Train form derives its limits.
   */
  settings: Readonly<Record<string, z.ZodType>>;
  /** How often the run samples, checkpoints (and measures), in steps, with the family's defaults. */
  schedule: Readonly<Record<string, z.ZodType>>;
  /** The settings that make the network config the engine builds (the keys of its task's `config`); undefined ones are left out. */
  configKeys: readonly string[];
  /** The setting that is the model's image side (stored with the model as `imageSize`). */
  sizeKey: 'resolution' | 'imageSize';
  /** Other settings the engine's task takes as they are (undefined ones left out); continueFrom and fineTuneFrom are made absolute. */
  engineKeys: readonly string[];
  /** The settings that say which data was trained on (the run's and the model's provenance). */
  recipeKeys: readonly string[];
  /** The model's description in the library after `step` steps; `folderName` is the last part of a path. */
  describe(settings: Record<string, unknown>, step: number, folderName: (path: string) => string): string;
}

/** How the Train view offers the family and shows its runs. */
export interface FamilyView {
  /** In the family choice ("Progressive GAN (PGGAN)"). */
  label: string;
  /** The family's name in run lists and headers ("PGGAN"). */
  shortLabel: string;
  description: string;
  /** The view a finished model opens in. */
  opensIn: 'Sketch' | 'Generate' | 'Transfer';
  /** What its runs count: steps over epochs (image-to-image), or iterations also measured in kimg (generators). */
  unit: 'step' | 'iteration';
  /** Its sample grid in words: what it is called and what it shows. */
  grid: { name: string; shows: string };
  /** The charts of a run, in display order. */
  charts: readonly ChartSeries[];
}

export interface FamilyDescriptor<Name extends string = string, Config = unknown> {
  /** model.json's `family`. */
  name: Name;
  /** Validates model.json's `config` (a config that builds other networks than the weights is refused here or by shape). */
  configSchema: z.ZodType<Config>;
  /** Validates a training run's state (state.json of a checkpoint). */
  runStateSchema: z.ZodType;
  /** Top-level parts of the tensor names (`generator.…`); required ones must be saved, optional ones may be left out. */
  parts: Readonly<Record<string, { required: boolean }>>;
  training: FamilyTraining;
  view: FamilyView;
  /**
   * Present when its models draw images from seeds (Generate lists them). `styleSpace`: seeds go through a w space, so
   * truncation, its cutoff and the noise settings apply; without one, z maps straight to the image and ψ must be 1.
   */
  seeds?: { styleSpace: boolean };
}

/** Charts' empty text before a run's first step. */
export const NO_STEPS = 'No steps yet.';

/** A chart of a run: its lines in order; until the first step it says `empty`. */
export const chart = (testid: string, title: string, lines: readonly ChartLine[], empty: string = NO_STEPS): ChartSeries => ({ testid, title, lines, empty });

/** A line of a chart, on the left axis unless `axis` says otherwise. */
export const line = (key: string, label: string, color: string, axis?: 'right'): ChartLine => (axis === undefined ? { key, label, color } : { key, label, color, axis });

/** The charts' colours, so lines of one chart differ and a metric looks alike across families. */
export const colours = { blue: '#5b7cfa', orange: '#f0a35b', green: '#4cc38a', red: '#e5484d', violet: '#c77dff', sky: '#5bc8fa', ochre: '#d9b35c', slate: '#8a9bb0' } as const;

/** The unconditional generators' quality chart (KID on ESRGAN-slim features). */
export const kidChart = chart('kid-chart', 'Quality: KID against your images (lower is closer)', [line('kid', 'KID', colours.violet)], 'Measured every “KID every” iterations and at the end.');

/** The seed grid of the unconditional generators, in words. */
export const seedGridView = { name: 'Seed grid', shows: 'seeds 0–15, the same at every grid, so you see them change' } as const;

// The run list's side of each model family: how its jobs' params read as the shared run settings and its words in a
// run's one-line summary, keyed by the family's name in models/families.ts. Each piece lives in the family's form file.
// A plain registry beside family-views.ts, which imports the Setup components: training-runs.ts (and its Node unit
// tests) reads this one without pulling Svelte in. A new family adds its line here.
import type { JobOf, TrainingJob } from '../../../../main/api/contract';
import type { Family, FamilyName } from '../../../../models/families';
import { cycleganRun } from './cyclegan-form';
import { pgganRun } from './pggan-form';
import { styleGAN2Run } from './stylegan2-form';
import { pix2pixRun } from './training-form';
import type { TrainingSettings } from './training-runs';

/** The params a training job of family `N` keeps in its record (its descriptor's job kind). */
export type RunParamsOf<N extends FamilyName> = JobOf<Extract<Family, { name: N }>['training']['jobKind']>['params'];

/** The settings only some families have: what a family's `runSettings` fills (the rest every training job has). */
export type FamilySettings = Partial<Omit<TrainingSettings, 'name' | 'batchSize' | 'sampleEvery' | 'untilStep'>>;

/** What a family's form file gives the run list for the jobs that train it. */
export interface FamilyRun<Params> {
  /** Its job's params as the shared settings fields (e.g. PGGAN's fmapBase as channelBase). */
  runSettings(params: Params): FamilySettings;
  /** Its words in the summary after the image size ("ngf 32", "channels 4096/128", "batch 16"), in order. */
  summaryParts(settings: TrainingSettings): string[];
  /** How the summary names the family, where not its descriptor's short label. */
  summaryLabel?: string;
}

type FamilyRuns = { [N in FamilyName]: FamilyRun<RunParamsOf<N>> };

export const familyRuns = {
  pix2pix: pix2pixRun,
  cyclegan: cycleganRun,
  stylegan2: styleGAN2Run,
  pggan: pgganRun,
} satisfies FamilyRuns;

/**
 * Family `name`'s run piece, reading any training job's params. TypeScript cannot narrow `familyRuns[name]` by a
 * name; the caller passes the params of a job of that family's kind, and the `satisfies` above checked each line.
 */
export function familyRun(name: FamilyName): FamilyRun<TrainingJob['params']> {
  return familyRuns[name] as unknown as FamilyRun<TrainingJob['params']>;
}

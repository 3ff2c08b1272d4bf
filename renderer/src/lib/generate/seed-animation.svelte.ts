// "Animate selected…" of the Generate view as a rune class: the walk's settings, and the 'stylegan.interpolate' job it
// follows (progress, then the GIF and WebM written). Owned by GenerateState so a walk under way survives switching views.
import { isJobOf, type InterpolateOutcome } from '../../../../main/api/contract';
import type { JobWatch } from '../job-watch.svelte';
import { LatestJob } from '../latest-job.svelte';
import { failure, type Outcome, type Studio } from '../studio';
import { checkWalkSettings, DEFAULT_WALK, seedKeyframes, WALK_LIMITS, type WalkSettings } from './seed-walk';

/** A walk this view started. */
export interface SeedWalk {
  projectId: number;
  seeds: number[];
  settings: WalkSettings;
  watch: JobWatch;
}

/** What the walk is drawn from: the model, the selected seeds in pick order, and the grid's truncation. */
export interface WalkSource {
  modelId: number | null;
  seeds: readonly number[];
  psi: number;
  cutoff: number | null;
}


export class SeedAnimation {
  framesPerTransition = $state(DEFAULT_WALK.framesPerTransition);
  fps = $state(DEFAULT_WALK.fps);
  loop = $state(DEFAULT_WALK.loop);
  /** The latest walk started here (`run`), and whether one is starting, running or being cancelled. */
  readonly job: LatestJob<SeedWalk>;
  outcome = $derived.by<InterpolateOutcome | null>(() => {
    const job = this.job.run?.watch.job;
    return job && isJobOf(job, 'stylegan.interpolate') ? job.result : null;
  });

  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.job = new LatestJob<SeedWalk>(studio, 'animation');
  }

  /** The latest walk started here; null before the first. */
  get walk(): SeedWalk | null {
    return this.job.run;
  }

  get settings(): WalkSettings {
    return { framesPerTransition: this.framesPerTransition, fps: this.fps, loop: this.loop };
  }

  /** Why a walk cannot start now, or '' when it can. */
  blocked(projectId: number | null, source: WalkSource): string {
    if (projectId === null) return 'Open or create a project first: the animation goes into its exports folder';
    if (source.modelId === null) return 'Pick a StyleGAN2 model first';
    if (source.seeds.length < WALK_LIMITS.keyframes.min) return 'Select two or more seeds first (Ctrl or Shift adds more)';
    if (source.seeds.length > WALK_LIMITS.keyframes.max) return `A walk goes through at most ${WALK_LIMITS.keyframes.max} seeds`;
    if (this.job.busy) return 'An animation is being made: wait for it or cancel it';
    return checkWalkSettings(this.settings) ?? '';
  }

  /** Starts the walk through `source.seeds` with the current settings, writing a GIF and a WebM. */
  async start(projectId: number | null, source: WalkSource): Promise<Outcome<number>> {
    const why = this.blocked(projectId, source);
    if (why !== '' || projectId === null || source.modelId === null) return failure('INVALID_PARAMS', `${why}.`);
    const settings = this.settings;
    const seeds = [...source.seeds];
    const { modelId } = source;
    return this.job.launch(
      () =>
        this.#studio.call('stylegan.interpolate', {
          projectId,
          modelId,
          keyframes: seedKeyframes(seeds, source.psi, source.cutoff),
          ...settings,
          formats: ['gif', 'webm'],
        }),
      (watch: JobWatch) => ({ projectId, seeds, settings, watch }),
    );
  }

  cancel(): Promise<Outcome<boolean>> {
    return this.job.cancel();
  }
}

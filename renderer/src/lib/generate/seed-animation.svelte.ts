// "Animate selected…" of the Generate view as a rune class: the walk's settings, and the 'stylegan.interpolate' job it
// follows (progress, then the GIF and WebM written). Owned by GenerateState so a walk under way survives switching views.
import { cancelJob, JobWatch, messageOf, type Outcome } from '../job-watch.svelte';
import type { Studio } from '../studio';
import { checkWalkSettings, DEFAULT_WALK, seedKeyframes, walkOutcomeOf, WALK_LIMITS, type WalkOutcome, type WalkSettings } from './seed-walk';

/** A value or a message for the user: nothing here throws at the view. */
export type { Outcome };

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
  starting = $state(false);
  cancelling = $state(false);
  /** The latest walk started here; null before the first. */
  walk = $state.raw<SeedWalk | null>(null);
  running = $derived(this.walk?.watch.active ?? false);
  outcome = $derived<WalkOutcome | null>(walkOutcomeOf(this.walk?.watch.job?.result));

  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
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
    if (this.running || this.starting) return 'An animation is being made: wait for it or cancel it';
    return checkWalkSettings(this.settings) ?? '';
  }

  /** Starts the walk through `source.seeds` with the current settings, writing a GIF and a WebM. */
  async start(projectId: number | null, source: WalkSource): Promise<Outcome<number>> {
    const why = this.blocked(projectId, source);
    if (why !== '' || projectId === null || source.modelId === null) return { ok: false, message: `${why}.` };
    const settings = this.settings;
    const seeds = [...source.seeds];
    const watch = new JobWatch(this.#studio);
    this.starting = true;
    try {
      const { jobId } = await this.#studio.call('stylegan.interpolate', {
        projectId,
        modelId: source.modelId,
        keyframes: seedKeyframes(seeds, source.psi, source.cutoff),
        ...settings,
        formats: ['gif', 'webm'],
      });
      watch.follow(jobId);
      this.walk?.watch.dispose();
      this.walk = { projectId, seeds, settings, watch };
      return { ok: true, value: jobId };
    } catch (err) {
      watch.dispose();
      return { ok: false, message: `Could not start the animation: ${messageOf(err)}` };
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<Outcome<boolean>> {
    const jobId = this.walk?.watch.jobId;
    if (jobId === null || jobId === undefined || !this.running) return { ok: true, value: false };
    this.cancelling = true;
    try {
      return await cancelJob(this.#studio, jobId, 'animation');
    } finally {
      this.cancelling = false;
    }
  }
}

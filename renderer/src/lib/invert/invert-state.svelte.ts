// The Invert view's state as a rune class: the StyleGAN2 model, the picture to invert (picked from the library or
// uploaded), W / W+ and steps, and the inversion job it follows (progress, live frame, metrics, outcome).
// Created once in App.svelte so an inversion under way survives switching views; reaches the back end only through `Studio`.
import { isJobOf, type Asset, type InvertOutcome } from '../../../../main/api/contract';
import { uploadFiles } from '../file-upload';
import { messageOf, type Outcome } from '../job-watch.svelte';
import { LatestJob, type JobRun } from '../latest-job.svelte';
import type { Studio } from '../studio';
import { DEFAULT_STEPS, STEPS_RANGE, type InvertSpace } from './invert-settings';
import { ModelChoice } from '../models/model-choice.svelte';

const MODEL_KEY = 'gan-studio.invert.modelId';

/** A value or a message for the user: nothing here throws at the view. */
export type { Outcome };

/** The picture to invert. */
export interface InvertTarget {
  projectId: number;
  assetId: number;
  name: string;
  width: number;
  height: number;
}

/** An inversion this view started, with the settings it ran with. */
export interface InvertRun extends JobRun {
  modelId: number;
  modelName: string;
  target: InvertTarget;
  space: InvertSpace;
  steps: number;
}

const targetOf = (asset: Asset): InvertTarget => ({ projectId: asset.projectId, assetId: asset.id, name: asset.name, width: asset.width, height: asset.height });

export class InvertState {
  /**
   * The StyleGAN2 models the project sees that can invert: not imported ONNX pairs, which ONNX Runtime runs forward only.
   */
  readonly models: ModelChoice;

  target = $state.raw<InvertTarget | null>(null);
  space = $state<InvertSpace>('w+');
  steps = $state(DEFAULT_STEPS);
  uploading = $state(false);

  /** The latest inversion started here: its run, and whether it is starting, running or being cancelled. */
  readonly job: LatestJob<InvertRun>;
  outcome = $derived.by<InvertOutcome | null>(() => {
    const job = this.job.run?.watch.job;
    return job && isJobOf(job, 'stylegan.invert') ? job.result : null;
  });

  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.models = new ModelChoice(studio, 'stylegan2', MODEL_KEY, undefined, (m) => m.source !== 'imported');
    this.job = new LatestJob(studio, 'inversion');
  }

  // ---- picture

  /** Makes a picture of the library the target. */
  pick(asset: Asset): void {
    this.target = targetOf(asset);
  }

  /** A picture from this computer: added to the project's library (or found there), then made the target. */
  async upload(projectId: number | null, file: File): Promise<Outcome<InvertTarget>> {
    if (projectId === null) return { ok: false, message: 'Open or create a project first: the picture goes into its library.' };
    this.uploading = true;
    try {
      const outcome = await uploadFiles(this.#studio, projectId, [file], () => undefined);
      const asset = outcome.imported[0] ?? outcome.duplicates[0];
      if (!asset) {
        const why = outcome.rejected[0]?.message ?? 'it was not accepted';
        return { ok: false, message: `Could not add “${file.name}”: ${why}.` };
      }
      this.target = targetOf(asset);
      return { ok: true, value: this.target };
    } catch (err) {
      return { ok: false, message: `Could not add “${file.name}”: ${messageOf(err)}` };
    } finally {
      this.uploading = false;
    }
  }

  /** A picture and a run of another project are not this project's: the view forgets the first, hides the second. */
  forProject(projectId: number | null): { target: InvertTarget | null; run: InvertRun | null } {
    const target = this.target?.projectId === projectId ? this.target : null;
    return { target, run: this.job.runOf(projectId) };
  }

  // ---- settings

  setSpace(space: InvertSpace): void {
    this.space = space;
  }

  setSteps(steps: number): void {
    if (Number.isInteger(steps) && steps >= STEPS_RANGE.min && steps <= STEPS_RANGE.max) this.steps = steps;
  }

  // ---- the job

  /** Starts inverting the target into the model; the job's events then drive `job.run`. */
  async start(projectId: number | null): Promise<Outcome<number>> {
    const { space, steps } = this;
    const model = this.models.model;
    const target = this.forProject(projectId).target;
    if (projectId === null) return { ok: false, message: 'Open or create a project first.' };
    if (model === null) return { ok: false, message: 'Pick a StyleGAN2 model first.' };
    if (target === null) return { ok: false, message: 'Pick a picture to invert first: from the library, or upload one.' };
    if (this.job.busy) return { ok: false, message: 'An inversion is already under way: cancel it first.' };
    return this.job.launch(
      () => this.#studio.call('stylegan.invert', { projectId, modelId: model.id, assetId: target.assetId, space, steps }),
      (watch) => ({ projectId, modelId: model.id, modelName: model.name, target, space, steps, watch }),
    );
  }
}

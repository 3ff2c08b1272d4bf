// The Invert view's state as a rune class: the StyleGAN2 model, the picture to invert (picked from the library or
// uploaded), W / W+ and steps, and the inversion job it follows (progress, live frame, metrics, outcome).
// Created once in App.svelte so an inversion under way survives switching views; reaches the back end only through `Studio`.
import { isJobOf, type Asset, type InvertOutcome } from '../../../../main/api/contract';
import { uploadFiles } from '../file-upload';
import { messageOf } from '../job-watch.svelte';
import { LatestJob, type JobRun } from '../latest-job.svelte';
import { failure, type Outcome, type Studio } from '../studio';
import { DEFAULT_STEPS, STEPS_RANGE, type InvertSpace } from './invert-settings';
import { ModelChoice } from '../models/model-choice.svelte';

const MODEL_KEY = 'gan-studio.invert.modelId';

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
    if (projectId === null) return failure('INVALID_PARAMS', 'Open or create a project first: the picture goes into its library.');
    this.uploading = true;
    try {
      const uploaded = await uploadFiles(this.#studio, projectId, [file], () => undefined);
      if (!uploaded.ok) return failure(uploaded.error.code, `Could not add “${file.name}”: ${uploaded.error.message}`);
      const outcome = uploaded.value;
      const asset = outcome.imported[0] ?? outcome.duplicates[0];
      if (!asset) {
        const why = outcome.rejected[0]?.message ?? 'it was not accepted';
        return failure('INVALID_IMAGE', `Could not add “${file.name}”: ${why}.`);
      }
      this.target = targetOf(asset);
      return { ok: true, value: this.target };
    } catch (err) {
      // The file could not be read here.
      return failure('IO_ERROR', `Could not add “${file.name}”: ${messageOf(err)}`);
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
    if (projectId === null) return failure('INVALID_PARAMS', 'Open or create a project first.');
    if (model === null) return failure('INVALID_PARAMS', 'Pick a StyleGAN2 model first.');
    if (target === null) return failure('INVALID_PARAMS', 'Pick a picture to invert first: from the library, or upload one.');
    if (this.job.busy) return failure('BUSY', 'An inversion is already under way: cancel it first.');
    const started = await this.job.launch(
      () => this.#studio.call('stylegan.invert', { projectId, modelId: model.id, assetId: target.assetId, space, steps }),
      (watch) => ({ projectId, modelId: model.id, modelName: model.name, target, space, steps, watch }),
    );
    if (!started.ok && started.error.code === 'NOT_FOUND') await this.#forgetWhatIsGone(projectId, model.id);
    return started;
  }

  /**
   * After NOT_FOUND: the model or the picture was deleted meanwhile. The model list is loaded again (a gone model
   * leaves it); when the model is still there, the picture is what went, and it is no longer the target.
   */
  async #forgetWhatIsGone(projectId: number, modelId: number): Promise<void> {
    await this.models.load(projectId);
    if (this.models.items.some((m) => m.id === modelId)) this.target = null;
  }
}

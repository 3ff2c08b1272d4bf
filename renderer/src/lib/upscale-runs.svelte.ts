// "Upscale…" of the Library view as a rune class: the chosen scale and model, and the 'upscale.assets' jobs it follows
// until they end. Owned by LibraryState so a batch under way survives switching views; the view reports each ended one.
import { isJobOf, UPSCALE_SCALES, UpscaleModel, type Job, type UpscaleScale } from '../../../main/api/contract';
import { countOf } from './format';
import { watchNewJob, type JobWatch } from './job-watch.svelte';
import type { Outcome, Studio } from './studio';

export { UPSCALE_SCALES };

/** How the dialog names each of the contract's upscalers (a new one fails to compile until it has its words). */
const UPSCALE_MODEL_WORDS: Record<UpscaleModel, { label: string; hint: string }> = {
  slim: { label: 'Slim — fast', hint: 'ESRGAN slim: a few seconds per picture' },
  medium: { label: 'Medium — sharper', hint: 'ESRGAN medium: finer detail, about 3× slower' },
};
export const UPSCALE_MODELS: readonly { value: UpscaleModel; label: string; hint: string }[] = UpscaleModel.options.map((value) => ({ value, ...UPSCALE_MODEL_WORDS[value] }));

/** One batch started here: the job and how many pictures it was given. */
export interface UpscaleRun {
  projectId: number;
  count: number;
  watch: JobWatch;
}

/** What the user is told when a batch ends. */
export interface UpscaleReport {
  kind: 'info' | 'error';
  text: string;
  details: string[];
}

/** "Upscaled 2 pictures ×4.", plus the failures by name, or why the job stopped. */
export function upscaleReport(job: Job, count: number): UpscaleReport {
  const upscaling = isJobOf(job, 'upscale.assets') ? job : null;
  // A cancelled or failed job may carry a partial outcome, or none.
  const outcome = upscaling?.result ?? { upscaled: [], failed: [] };
  const scale = upscaling === null ? '' : ` ×${upscaling.params.scale}`;
  const done = `Upscaled ${countOf(outcome.upscaled.length, 'picture')}${scale}`;
  const details = outcome.failed.map((f) => `${f.name}: ${f.reason}`);
  const failedNames = outcome.failed.map((f) => f.name).join(', ');
  if (job.status === 'cancelled') return { kind: 'info', text: `Upscale cancelled. ${done} of ${count}.`, details };
  if (job.status === 'failed') return { kind: 'error', text: `Upscale failed: ${job.error ?? 'no message'}. ${done} of ${count}.`, details };
  if (outcome.failed.length > 0) return { kind: 'error', text: `${done}; ${outcome.failed.length} failed: ${failedNames}.`, details };
  return { kind: 'info', text: `${done}.`, details };
}

export class UpscaleRuns {
  model = $state<UpscaleModel>('slim');
  scale = $state<UpscaleScale>(4);
  starting = $state(false);
  /** Batches started here and not reported yet, oldest first. */
  runs = $state.raw<UpscaleRun[]>([]);
  /** Those whose job has ended (succeeded, failed or cancelled). */
  ended = $derived(this.runs.filter((run) => run.watch.job !== null && !run.watch.active));

  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
  }

  /** Starts upscaling `assetIds` with the chosen model and scale; a refusal comes back for the dialog to show. */
  async start(projectId: number, assetIds: readonly number[]): Promise<Outcome<number>> {
    const params = { projectId, assetIds: [...assetIds], model: this.model, scale: this.scale };
    this.starting = true;
    try {
      const started = await watchNewJob(this.#studio, () => this.#studio.call('upscale.assets', params));
      if (!started.ok) return started;
      const { jobId, watch } = started.value;
      this.runs = [...this.runs, { projectId, count: assetIds.length, watch }];
      return { ok: true, value: jobId };
    } finally {
      this.starting = false;
    }
  }

  /** Takes the ended batches off the list (each is reported once) and stops following them. */
  takeEnded(): UpscaleRun[] {
    const ended = this.ended;
    if (ended.length === 0) return [];
    this.runs = this.runs.filter((run) => !ended.includes(run));
    for (const run of ended) run.watch.dispose();
    return ended;
  }
}

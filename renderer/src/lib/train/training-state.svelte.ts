// The Train view's state as a rune class: what to train (a family of models/families.ts), the project's datasets and
// the "Prepare" job, each family's training form (lib/train/family-views.ts), the project's training runs (from the
// app's job list) and the opened run. Created once in App.svelte, so what was typed survives switching views; reaches
// the back end only through `Studio`, and answers failures as values.
import { isJobOf, type DatasetSummary, type Job, type JobOf, type ResultOf } from '../../../../main/api/contract';
import type { JobsState } from '../app-state.svelte';
import { failure, type Outcome, type Studio } from '../studio';
import { checkForms, leaveProject, newForms, startTraining, suggestName, type FamilyChecks, type FamilyForms } from './family-views';
import { RunWatch } from './run-watch.svelte';
import { fineTuneSources } from './stylegan2-form';
import {
  checkDatasetForm,
  defaultDatasetForm,
  largestTrainingSize,
  suggestedModelName,
  trainingJobKinds,
  type DatasetForm,
  type TrainingFamilyId,
} from './training-form';
import { isActive, trainingRuns, type TrainingRun } from './training-runs';


export class TrainState {
  projectId = $state<number | null>(null);

  datasets = $state.raw<DatasetSummary[]>([]);
  datasetsLoaded = $state(false);
  datasetsError = $state<string | null>(null);

  /** "Prepare a dataset" as typed; kept on errors and across views. */
  datasetForm = $state<DatasetForm>(defaultDatasetForm());
  datasetCheck = $derived(checkDatasetForm(this.datasetForm, this.datasets));
  /** The "Prepare" job this view started, followed until it ends. */
  prepareJobId = $state<number | null>(null);
  preparing = $state(false);

  /** What "New training" trains: a family's name (models/families.ts); its Setup and form come from lib/train/family-views.ts. */
  family = $state<TrainingFamilyId>('pix2pix');

  /**
   * Each family's "Start training" as typed, kept on errors and across views; folders are this computer's, so they
   * are kept across projects too (what belongs to a project is forgotten on leaving it).
   */
  forms: FamilyForms = $state(newForms());
  /** What each family's check says of its form: errors and notes per field, and the params to start with. */
  checks: FamilyChecks = $derived.by(() => checkForms(this.forms, { datasets: this.datasets, fineTuneSources: this.fineTuneSources }));
  starting = $state(false);
  pausing = $state(false);
  resuming = $state(false);

  // `$derived.by` closures where #jobs is read: the constructor sets it after these fields are made.
  /** The project's training runs, newest first. */
  runs: TrainingRun[] = $derived.by(() =>
    trainingRuns(
      this.#jobs.items.filter((j) => j.projectId === this.projectId),
      trainingJobKinds,
    ),
  );
  /** Models the project sees that keep their discriminator (the shipped demos): starts for a StyleGAN2 run too. */
  fineTuneModels = $state.raw<ResultOf<'train.fineTuneModels'>>([]);
  /** Runs of the project and models a new StyleGAN2 run can fine-tune from. */
  fineTuneSources = $derived(fineTuneSources(this.runs, this.fineTuneModels));
  openedRootId = $state<number | null>(null);
  opened = $derived(this.runs.find((r) => r.rootId === this.openedRootId) ?? null);
  watch = $state.raw<RunWatch | null>(null);

  /** A queued or running job of any kind: jobs run one at a time, so a new one would only wait behind it. */
  busyJob: Job | null = $derived.by(() => this.#jobs.items.find((j) => isActive(j.status)) ?? null);
  prepareJob: JobOf<'dataset.preparePairs'> | null = $derived.by(() => this.#jobs.items.find((j): j is JobOf<'dataset.preparePairs'> => j.id === this.prepareJobId && isJobOf(j, 'dataset.preparePairs')) ?? null);
  prepareResult = $derived(this.prepareJob?.status === 'succeeded' ? this.prepareJob.result : null);

  readonly #studio: Studio;
  readonly #jobs: JobsState;
  #datasetsToken = 0;
  /** A run was opened in this project (by the user or by `openFirst`): none is opened automatically any more. */
  #autoOpened = false;

  constructor(studio: Studio, jobs: JobsState) {
    this.#studio = studio;
    this.#jobs = jobs;
    studio.on('job.state', (job) => {
      if (job.id !== this.prepareJobId || isActive(job.status)) return;
      // A finished (or cancelled: its pairs so far are kept) preparation changes the dataset list; a new dataset
      // is most likely the one to train on next.
      void this.loadDatasets().then(() => {
        if (job.status === 'succeeded' && isJobOf(job, 'dataset.preparePairs')) this.useDataset(job.params.name);
      });
    });
  }

  /** Shows `projectId`: its datasets load; another project starts with nothing opened. */
  show(projectId: number | null): void {
    if (projectId !== this.projectId) {
      this.projectId = projectId;
      this.datasets = [];
      this.datasetsLoaded = false;
      this.datasetsError = null;
      this.prepareJobId = null;
      leaveProject(this.forms);
      this.fineTuneModels = [];
      this.close();
      this.#autoOpened = false;
    }
    void this.loadDatasets();
    void this.#loadFineTuneModels();
  }

  async #loadFineTuneModels(): Promise<void> {
    const projectId = this.projectId;
    if (projectId === null) return;
    const models = await this.#studio.call('train.fineTuneModels', { projectId });
    // When it fails only the models' part of "Start from" is missing: the project's runs are still offered.
    if (models.ok && projectId === this.projectId) this.fineTuneModels = models.value;
  }

  async loadDatasets(): Promise<void> {
    const projectId = this.projectId;
    const token = ++this.#datasetsToken;
    if (projectId === null) {
      this.datasets = [];
      this.datasetsLoaded = true;
      return;
    }
    const listed = await this.#studio.call('datasets.list', { projectId });
    if (token !== this.#datasetsToken) return;
    if (listed.ok) {
      const datasets = listed.value;
      this.datasets = datasets;
      this.datasetsError = null;
      const usable = datasets.find((d) => d.train > 0);
      if (this.forms.pix2pix.dataset === '' && usable) this.useDataset(usable.name);
    } else {
      this.datasetsError = listed.error.message;
    }
    this.datasetsLoaded = true;
  }

  /** Picks `name` for training, at the image size it was prepared for, with a model name when none is typed yet. */
  useDataset(name: string): void {
    const dataset = this.datasets.find((d) => d.name === name);
    if (!dataset) return;
    const form = this.forms.pix2pix;
    form.dataset = name;
    const largest = largestTrainingSize(dataset.storedSize);
    if (largest !== null) form.imageSize = largest;
    if (form.name.trim() === '') form.name = suggestedModelName(name, this.runs.map((r) => r.settings.name));
  }

  /** A model name for the chosen family from what was typed (a folder's name), when none is typed yet. */
  suggestName(): void {
    suggestName(this.family, this.forms, this.runs.map((r) => r.settings.name));
  }

  // ---- datasets

  async prepare(): Promise<Outcome<number>> {
    const projectId = this.projectId;
    const params = this.datasetCheck.params;
    if (projectId === null) return failure('INVALID_PARAMS', 'Open or create a project first: datasets belong to a project.');
    if (params === null) return failure('INVALID_PARAMS', 'Some fields need a fix first.');
    this.preparing = true;
    try {
      const started = await this.#studio.call('datasets.prepare', { projectId, ...params });
      if (!started.ok) return failure(started.error.code, `Could not start preparing: ${started.error.message}`);
      const { jobId } = started.value;
      this.prepareJobId = jobId;
      // The folders stay (a next dataset often comes from beside them); the name is used.
      this.datasetForm.name = '';
      return { ok: true, value: jobId };
    } finally {
      this.preparing = false;
    }
  }

  async cancelPrepare(): Promise<Outcome<boolean>> {
    if (this.prepareJobId === null) return { ok: true, value: false };
    const answer = await this.#studio.call('jobs.cancel', { jobId: this.prepareJobId });
    return answer.ok ? { ok: true, value: answer.value.cancelled } : failure(answer.error.code, `Could not cancel: ${answer.error.message}`);
  }

  // ---- runs

  /** Opens a run (charts, sample); the same one again only reloads it. */
  open(rootId: number): void {
    const projectId = this.projectId;
    if (projectId === null) return;
    this.#autoOpened = true;
    if (this.watch?.rootId === rootId) {
      void this.watch.load();
      return;
    }
    this.watch?.dispose();
    this.openedRootId = rootId;
    const watch = new RunWatch(this.#studio, projectId, rootId, () => this.#jobs.items);
    this.watch = watch;
    void watch.load();
  }

  close(): void {
    this.watch?.dispose();
    this.watch = null;
    this.openedRootId = null;
  }

  /** Once per project shown: opens its running run, else its newest one, when there is any and nothing is open. */
  openFirst(): void {
    if (this.#autoOpened || this.openedRootId !== null || this.runs.length === 0) return;
    const run = this.runs.find((r) => isActive(r.status)) ?? this.runs[0]!;
    this.open(run.rootId);
  }

  /** Starts a training of the chosen family from its form and opens the run. */
  async start(): Promise<Outcome<number>> {
    const projectId = this.projectId;
    if (projectId === null) return failure('INVALID_PARAMS', 'Open or create a project first: training runs belong to a project.');
    const family = this.family;
    const params = this.checks[family].params;
    if (params === null) return failure('INVALID_PARAMS', 'Some fields need a fix first.');
    if (this.busyJob) return failure('BUSY', 'Another job is running: jobs run one at a time. Start again when it ends.');
    this.starting = true;
    try {
      const started = await startTraining(this.#studio, family, projectId, params);
      if (!started.ok) return failure(started.error.code, `Could not start training: ${started.error.message}`);
      const { jobId } = started.value;
      this.open(jobId);
      return { ok: true, value: jobId };
    } finally {
      this.starting = false;
    }
  }

  /** Pauses the opened run: its job checkpoints, then ends "cancelled"; Resume continues from there. */
  async pause(): Promise<Outcome<boolean>> {
    const run = this.opened;
    if (!run || !isActive(run.status)) return failure('INVALID_PARAMS', 'This run is not training.');
    this.pausing = true;
    try {
      const answer = await this.#studio.call('jobs.cancel', { jobId: run.job.id });
      return answer.ok ? { ok: true, value: answer.value.cancelled } : failure(answer.error.code, `Could not pause: ${answer.error.message}`);
    } finally {
      this.pausing = false;
    }
  }

  /** Resumes the opened run from its latest checkpoint (a new job of the same run). */
  async resume(): Promise<Outcome<number>> {
    const run = this.opened;
    if (!run || !run.resumable) return failure('INVALID_PARAMS', 'Only a paused, failed or interrupted run can be resumed.');
    if (this.busyJob) return failure('BUSY', 'Another job is running: jobs run one at a time. Resume when it ends.');
    this.resuming = true;
    try {
      const answer = await this.#studio.call('train.resume', { jobId: run.job.id });
      return answer.ok ? { ok: true, value: answer.value.jobId } : failure(answer.error.code, `Could not resume: ${answer.error.message}`);
    } finally {
      this.resuming = false;
    }
  }
}

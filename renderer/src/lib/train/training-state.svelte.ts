// The Train view's state as a rune class: what to train (pix2pix, StyleGAN2, PGGAN or CycleGAN), the project's
// datasets and the "Prepare" job, each family's training form, the project's training runs (from the app's job list)
// and the opened run. Created once in App.svelte, so what was typed survives switching views; reaches the back end
// only through `Studio`, and answers failures as values.
import { isJobOf, type DatasetSummary, type Job, type JobOf, type ResultOf } from '../../../../main/api/contract';
import type { JobsState } from '../app-state.svelte';
import { failure, type Outcome, type Studio } from '../studio';
import { checkCycleGANForm, defaultCycleGANForm, suggestedCycleGANName, type CycleGANForm } from './cyclegan-form';
import { checkPGGANForm, defaultPGGANForm, type PGGANForm } from './pggan-form';
import { RunWatch } from './run-watch.svelte';
import { checkStyleGAN2Form, defaultStyleGAN2Form, fineTuneSources, type StyleGAN2Form } from './stylegan2-form';
import {
  checkDatasetForm,
  checkTrainingForm,
  cleanPath,
  defaultDatasetForm,
  defaultTrainingForm,
  folderName,
  largestTrainingSize,
  pathProblem,
  suggestedModelName,
  trainingJobKinds,
  type DatasetForm,
  type TrainingFamilyId,
  type TrainingForm,
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

  /** What "New training" trains: sketch-to-photo pairs (pix2pix), an image generator (StyleGAN2, PGGAN) or unpaired translation (CycleGAN). */
  family = $state<TrainingFamilyId>('pix2pix');

  /** pix2pix "Start training" as typed; kept on errors and across views. */
  trainingForm = $state<TrainingForm>(defaultTrainingForm());
  trainingCheck = $derived(checkTrainingForm(this.trainingForm, this.datasets));
  /** StyleGAN2 "Start training" as typed; the folder is this computer's, so it is kept across projects too. */
  styleganForm = $state<StyleGAN2Form>(defaultStyleGAN2Form());
  styleganCheck = $derived.by(() => checkStyleGAN2Form(this.styleganForm, this.fineTuneSources));
  /** PGGAN "Start training" as typed; kept like the StyleGAN2 form. */
  pgganForm = $state<PGGANForm>(defaultPGGANForm());
  pgganCheck = $derived(checkPGGANForm(this.pgganForm));
  /** CycleGAN "Start training" as typed: two folders of this computer, kept like the StyleGAN2 form. */
  cycleganForm = $state<CycleGANForm>(defaultCycleGANForm());
  cycleganCheck = $derived(checkCycleGANForm(this.cycleganForm));
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
      this.trainingForm.dataset = '';
      this.styleganForm.fineTuneFrom = null; // runs belong to their project
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
      if (this.trainingForm.dataset === '' && usable) this.useDataset(usable.name);
    } else {
      this.datasetsError = listed.error.message;
    }
    this.datasetsLoaded = true;
  }

  /** Picks `name` for training, at the image size it was prepared for, with a model name when none is typed yet. */
  useDataset(name: string): void {
    const dataset = this.datasets.find((d) => d.name === name);
    if (!dataset) return;
    const form = this.trainingForm;
    form.dataset = name;
    const largest = largestTrainingSize(dataset.storedSize);
    if (largest !== null) form.imageSize = largest;
    if (form.name.trim() === '') form.name = suggestedModelName(name, this.runs.map((r) => r.settings.name));
  }

  /** A model name from the StyleGAN2 image folder's name, when none is typed yet and the path looks usable. */
  suggestStyleGAN2Name(): void {
    this.#suggestFolderModelName(this.styleganForm);
  }

  /** The same for the PGGAN form. */
  suggestPGGANName(): void {
    this.#suggestFolderModelName(this.pgganForm);
  }

  /** A model name from both CycleGAN folders ("photos ↔ paintings model"), when none is typed yet and both folders are fine. */
  suggestCycleGANName(): void {
    const form = this.cycleganForm;
    const { errors } = this.cycleganCheck;
    if (form.name.trim() !== '' || errors.dataA || errors.dataB) return;
    const name = suggestedCycleGANName(form.dataA, form.dataB, this.runs.map((r) => r.settings.name));
    if (name !== '') form.name = name;
  }

  #suggestFolderModelName(form: StyleGAN2Form | PGGANForm): void {
    const dir = cleanPath(form.dataDir);
    const folder = folderName(dir);
    if (form.name.trim() !== '' || pathProblem(dir) !== null || folder === '') return;
    form.name = suggestedModelName(folder, this.runs.map((r) => r.settings.name));
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
    const request = this.#startRequest(projectId);
    if (request === null) return failure('INVALID_PARAMS', 'Some fields need a fix first.');
    if (this.busyJob) return failure('BUSY', 'Another job is running: jobs run one at a time. Start again when it ends.');
    this.starting = true;
    try {
      const started = await request();
      if (!started.ok) return failure(started.error.code, `Could not start training: ${started.error.message}`);
      const { jobId } = started.value;
      this.open(jobId);
      return { ok: true, value: jobId };
    } finally {
      this.starting = false;
    }
  }

  /** The call that starts the chosen family's training, or null while its form has an error. */
  #startRequest(projectId: number): (() => Promise<Outcome<{ jobId: number }>>) | null {
    if (this.family === 'cyclegan') {
      const params = this.cycleganCheck.params;
      return params && (() => this.#studio.call('train.cyclegan', { projectId, ...params }));
    }
    if (this.family === 'pggan') {
      const params = this.pgganCheck.params;
      return params && (() => this.#studio.call('train.pggan', { projectId, ...params }));
    }
    if (this.family === 'stylegan2') {
      const params = this.styleganCheck.params;
      return params && (() => this.#studio.call('train.stylegan2', { projectId, ...params }));
    }
    const params = this.trainingCheck.params;
    return params && (() => this.#studio.call('train.start', { projectId, ...params }));
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

// The app's shared state as rune classes, created once in App.svelte and provided through typed context.
import { createContext } from 'svelte';
import type { EngineInfo, Job, JobProgress, Project, ResultOf } from '../../../main/api/contract';
import { debounce } from './debounce';
import { LibraryState } from './library-state.svelte';
import { DONE, Studio, type ConnectionState, type Outcome } from './studio';
import { Toasts } from './toasts.svelte';
import { rememberedId, rememberId } from './remembered-id';

const LAST_PROJECT_KEY = 'gan-studio.lastProjectId';
const CHANGE_DEBOUNCE_MS = 250;

export class ProjectsState {
  items = $state.raw<Project[]>([]);
  currentId = $state<number | null>(null);
  current = $derived(this.items.find((p) => p.id === this.currentId) ?? null);
  /** False until the first list arrived: the UI shows "loading", not "no projects", meanwhile. */
  loaded = $state(false);
  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
  }

  async refresh(): Promise<Outcome<void>> {
    const answer = await this.#studio.call('projects.list', {});
    if (!answer.ok) return answer;
    const items = answer.value;
    this.items = items;
    this.loaded = true;
    if (!items.some((p) => p.id === this.currentId)) {
      const last = rememberedId(LAST_PROJECT_KEY);
      this.currentId = items.find((p) => p.id === last)?.id ?? items[0]?.id ?? null;
    }
    return DONE;
  }

  /** Creates a project and makes it the current one; a refusal (e.g. ALREADY_EXISTS) comes back for the form to show. */
  async create(name: string): Promise<Outcome<Project>> {
    const created = await this.#studio.call('projects.create', { name });
    if (!created.ok) return created;
    const refreshed = await this.refresh();
    if (!refreshed.ok) return refreshed;
    this.select(created.value.id);
    return created;
  }

  /**
   * Deletes a project with its files, its jobs cancelled first (`deleted` false: it was gone already). BUSY when one of
   * them did not stop in time: the project is kept and can be deleted again. The list is loaded again either way.
   */
  async delete(projectId: number): Promise<Outcome<ResultOf<'projects.delete'>>> {
    const answer = await this.#studio.call('projects.delete', { projectId });
    const refreshed = await this.refresh();
    return answer.ok && !refreshed.ok ? refreshed : answer;
  }

  select(id: number | null): void {
    this.currentId = id;
    if (id !== null) rememberId(LAST_PROJECT_KEY, id);
  }
}

const isActive = (job: Job) => job.status === 'queued' || job.status === 'running';

export class JobsState {
  /** Newest first; `job.state` events add jobs of every project, the panel filters by the current one. */
  items = $state.raw<Job[]>([]);
  /** Latest progress of running jobs, by job id; dropped when a job stops (its record then has the final step). */
  progress = $state.raw<Record<number, JobProgress>>({});
  readonly #studio: Studio;
  #loadToken = 0;

  constructor(studio: Studio) {
    this.#studio = studio;
    studio.on('job.state', (job) => {
      this.items = [job, ...this.items.filter((j) => j.id !== job.id)].sort((a, b) => b.id - a.id);
      if (!isActive(job) && job.id in this.progress) {
        const { [job.id]: _done, ...rest } = this.progress;
        this.progress = rest;
      }
    });
    studio.on('job.progress', (p) => {
      this.progress = { ...this.progress, [p.jobId]: p };
    });
  }

  async refresh(projectId: number | null): Promise<Outcome<void>> {
    const token = ++this.#loadToken;
    const items = await this.#studio.call('jobs.list', projectId === null ? {} : { projectId });
    if (!items.ok) return items;
    if (token === this.#loadToken) this.items = items.value;
    return DONE;
  }

  async cancel(jobId: number): Promise<Outcome<boolean>> {
    const answer = await this.#studio.call('jobs.cancel', { jobId });
    return answer.ok ? { ok: true, value: answer.value.cancelled } : answer;
  }
}

/** What the status bar shows: the link to the back end, the engine and where the library lives. */
export class StudioStatus {
  connection = $state<ConnectionState>('connecting');
  engine = $state.raw<EngineInfo | null>(null);
  libraryPath = $state('');
  version = $state('');
  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.connection = studio.connection;
    studio.on('engine.state', (info) => (this.engine = info));
  }

  async refresh(): Promise<Outcome<void>> {
    const answer = await this.#studio.call('studio.info', {});
    if (!answer.ok) return answer;
    const info = answer.value;
    this.engine = info.engine;
    this.libraryPath = info.libraryPath;
    this.version = info.version;
    return DONE;
  }
}

export class AppState {
  readonly studio = Studio.connect();
  readonly toasts = new Toasts();
  readonly status = new StudioStatus(this.studio);
  readonly projects = new ProjectsState(this.studio);
  readonly jobs = new JobsState(this.studio);
  readonly library = new LibraryState(this.studio);
  /** Reports something thrown (a bug, a browser API's refusal) to the user; never rethrows, so it cannot take a view down. */
  readonly report = (err: unknown): void => this.toasts.error(err);
  /** Tells the user what a failed call came to, by its code (Toasts.failure); a call that worked says nothing here. */
  readonly reportFailure = (outcome: Outcome<unknown>): void => {
    if (!outcome.ok) this.toasts.failure(outcome.error);
  };

  constructor() {
    const refreshProjects = debounce(() => this.projects.refresh().then(this.reportFailure), CHANGE_DEBOUNCE_MS);
    const reloadLibrary = debounce(() => this.library.reload().then(this.reportFailure), CHANGE_DEBOUNCE_MS);
    this.studio.on('library.changed', (change) => {
      // Asset changes alter the counts shown in the project picker too.
      refreshProjects();
      if (change.what !== 'projects' && change.projectId !== null && change.projectId === this.library.projectId) reloadLibrary();
    });
    let lost = false;
    this.studio.onConnection((state) => {
      this.status.connection = state;
      if (state === 'closed') lost = true;
      // Events sent while the link was down are gone: fetch everything they could have changed.
      if (state === 'open' && lost) {
        lost = false;
        void this.refreshAll();
      }
    });
  }

  /** First load; the views load their own data when they show (jobs and assets follow the current project). */
  async start(): Promise<void> {
    await Promise.all([this.status.refresh().then(this.reportFailure), this.projects.refresh().then(this.reportFailure)]);
  }

  /** Reloads what missed events could have changed; each failure is reported on its own. */
  async refreshAll(): Promise<void> {
    await Promise.all([
      this.status.refresh().then(this.reportFailure),
      this.projects.refresh().then(this.reportFailure),
      this.jobs.refresh(this.projects.currentId).then(this.reportFailure),
      this.library.reload().then(this.reportFailure),
    ]);
  }
}

export const [getAppState, setAppState] = createContext<AppState>();

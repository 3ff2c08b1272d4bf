// The app's shared state as rune classes, created once in App.svelte and provided through typed context.
import { createContext } from 'svelte';
import type { EngineInfo, Job, JobProgress, Project } from '../../../main/api/contract';
import { debounce } from './debounce';
import { LibraryState } from './library-state.svelte';
import { Studio, type ConnectionState } from './studio';
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

  async refresh(): Promise<void> {
    const items = await this.#studio.call('projects.list', {});
    this.items = items;
    this.loaded = true;
    if (!items.some((p) => p.id === this.currentId)) {
      const last = rememberedId(LAST_PROJECT_KEY);
      this.currentId = items.find((p) => p.id === last)?.id ?? items[0]?.id ?? null;
    }
  }

  /** Creates a project and makes it the current one; throws (e.g. ALREADY_EXISTS) for the form to show. */
  async create(name: string): Promise<Project> {
    const project = await this.#studio.call('projects.create', { name });
    await this.refresh();
    this.select(project.id);
    return project;
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

  async refresh(projectId: number | null): Promise<void> {
    const token = ++this.#loadToken;
    const items = await this.#studio.call('jobs.list', projectId === null ? {} : { projectId });
    if (token === this.#loadToken) this.items = items;
  }

  async cancel(jobId: number): Promise<boolean> {
    const { cancelled } = await this.#studio.call('jobs.cancel', { jobId });
    return cancelled;
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

  async refresh(): Promise<void> {
    const info = await this.#studio.call('studio.info', {});
    this.engine = info.engine;
    this.libraryPath = info.libraryPath;
    this.version = info.version;
  }
}

export class AppState {
  readonly studio = Studio.connect();
  readonly toasts = new Toasts();
  readonly status = new StudioStatus(this.studio);
  readonly projects = new ProjectsState(this.studio);
  readonly jobs = new JobsState(this.studio);
  readonly library = new LibraryState(this.studio);
  /** Reports a failed call to the user; never rethrows, so a failure cannot take a view down. */
  readonly report = (err: unknown): void => this.toasts.error(err);

  constructor() {
    const refreshProjects = debounce(() => this.projects.refresh().catch(this.report), CHANGE_DEBOUNCE_MS);
    const reloadLibrary = debounce(() => this.library.reload().catch(this.report), CHANGE_DEBOUNCE_MS);
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
    await Promise.all([this.status.refresh().catch(this.report), this.projects.refresh().catch(this.report)]);
  }

  /** Reloads what missed events could have changed; each failure is reported on its own. */
  async refreshAll(): Promise<void> {
    await Promise.all([
      this.status.refresh().catch(this.report),
      this.projects.refresh().catch(this.report),
      this.jobs.refresh(this.projects.currentId).catch(this.report),
      this.library.reload().catch(this.report),
    ]);
  }
}

export const [getAppState, setAppState] = createContext<AppState>();

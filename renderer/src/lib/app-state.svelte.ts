// The app's shared state as rune classes, created once in App.svelte and provided through typed context.
import { createContext } from 'svelte';
import type { EngineInfo, Job, JobProgress, Project } from '../../../main/api/contract';
import { Studio, type ConnectionState } from './studio';
import { Toasts } from './toasts.svelte';

const LAST_PROJECT_KEY = 'gan-studio.lastProjectId';

export class ProjectsState {
  items = $state.raw<Project[]>([]);
  currentId = $state<number | null>(null);
  current = $derived(this.items.find((p) => p.id === this.currentId) ?? null);

  constructor(private readonly studio: Studio) {}

  async refresh(): Promise<void> {
    this.items = await this.studio.call('projects.list', {});
    const remembered = Number(localStorage.getItem(LAST_PROJECT_KEY));
    if (!this.items.some((p) => p.id === this.currentId)) {
      this.currentId = this.items.find((p) => p.id === remembered)?.id ?? this.items[0]?.id ?? null;
    }
  }

  async create(name: string): Promise<void> {
    const project = await this.studio.call('projects.create', { name });
    await this.refresh();
    this.select(project.id);
  }

  select(id: number | null): void {
    this.currentId = id;
    if (id !== null) localStorage.setItem(LAST_PROJECT_KEY, String(id));
  }
}

export class JobsState {
  items = $state.raw<Job[]>([]);
  progress = $state.raw<Record<number, JobProgress>>({});

  constructor(private readonly studio: Studio) {
    studio.on('job.state', (job) => {
      const others = this.items.filter((j) => j.id !== job.id);
      this.items = [job, ...others].sort((a, b) => b.id - a.id);
    });
    studio.on('job.progress', (p) => {
      this.progress = { ...this.progress, [p.jobId]: p };
    });
  }

  async refresh(projectId: number | null): Promise<void> {
    this.items = await this.studio.call('jobs.list', projectId === null ? {} : { projectId });
  }

  async cancel(jobId: number): Promise<void> {
    await this.studio.call('jobs.cancel', { jobId });
  }
}

export class EngineStatus {
  info = $state.raw<EngineInfo | null>(null);
  libraryPath = $state('');
  version = $state('');
  connection = $state<ConnectionState>('connecting');

  constructor(private readonly studio: Studio) {
    studio.on('engine.state', (info) => (this.info = info));
    studio.onConnection((state) => {
      this.connection = state;
      if (state === 'open') void this.refresh();
    });
  }

  async refresh(): Promise<void> {
    const info = await this.studio.call('studio.info', {});
    this.info = info.engine;
    this.libraryPath = info.libraryPath;
    this.version = info.version;
  }
}

export class AppState {
  readonly studio = new Studio();
  readonly toasts = new Toasts();
  readonly projects = new ProjectsState(this.studio);
  readonly jobs = new JobsState(this.studio);
  readonly engine = new EngineStatus(this.studio);
}

export const [getAppState, setAppState] = createContext<AppState>();

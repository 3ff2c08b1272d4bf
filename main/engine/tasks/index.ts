// Registry of the work the engine process can run; main/jobs names a task, the engine looks it up here.
import type { TaskContext } from '../engine-protocol.js';
import { importFolderTask } from './import-folder.js';

export type EngineTask = (params: unknown, ctx: TaskContext) => Promise<unknown>;

export const engineTasks: Record<string, EngineTask> = {
  'library.importFolder': importFolderTask,
};

// Implementation of every contract method on top of the library, the job manager and the engine.
import type { EngineHost } from '../engine/engine-host.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { Library } from '../library/library.js';
import { uploadFiles } from '../library/upload.js';
import type { EventBus } from './event-bus.js';
import type { Handlers } from './dispatch.js';

export interface HandlerContext {
  version: string;
  library: Library;
  jobs: JobManager;
  engine: EngineHost;
  events: EventBus;
}

export function createHandlers({ version, library, jobs, engine, events }: HandlerContext): Handlers {
  const assetsChanged = (projectId: number) => events.emit('library.changed', { projectId, what: 'assets' });
  return {
    'studio.info': () => ({ version, libraryPath: library.home, engine: engine.info() }),

    'projects.list': () => library.listProjects(),
    'projects.create': ({ name }) => {
      const project = library.createProject(name);
      events.emit('library.changed', { projectId: project.id, what: 'projects' });
      return project;
    },
    'projects.delete': ({ projectId }) => {
      const deleted = library.deleteProject(projectId);
      events.emit('library.changed', { projectId, what: 'projects' });
      return { deleted };
    },

    'assets.list': ({ projectId, tag, limit, offset }) =>
      library.listAssets(projectId, { ...(tag === undefined ? {} : { tag }), limit, offset }),
    'assets.upload': async ({ projectId, files }) => {
      const outcome = await uploadFiles(library, projectId, files);
      if (outcome.imported.length > 0) assetsChanged(projectId);
      return outcome;
    },
    'assets.importFolder': ({ projectId, path, recursive }) => {
      const job = jobs.start('library.importFolder', projectId, { path, recursive });
      return { jobId: job.id };
    },
    'assets.delete': ({ projectId, assetIds }) => {
      const deleted = library.deleteAssets(projectId, assetIds);
      assetsChanged(projectId);
      return { deleted };
    },
    'assets.tag': ({ projectId, assetIds, tag, remove }) => {
      const changed = library.tagAssets(projectId, assetIds, tag, remove);
      events.emit('library.changed', { projectId, what: 'tags' });
      return { changed };
    },
    'tags.list': ({ projectId }) => library.listTags(projectId),

    'jobs.list': ({ projectId, limit }) => library.listRuns({ ...(projectId === undefined ? {} : { projectId }), limit }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
}

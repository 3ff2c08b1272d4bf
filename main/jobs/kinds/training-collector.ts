// How main/ folds a training task's streamed items into the library, for every family: losses and held-out metrics as
// rows, sample grids as assets (the job's preview), checkpoints in the outcome, the finished model as a library model.
import type { JobProgress, ModelFamily, TrainingJobKind, TrainingOutcome } from '../../api/contract.js';
import { ingestImageFile } from '../../data/image-ingest.js';
import type { Library } from '../../library/library.js';
import { latestCheckpoint } from '../../model-files/checkpoint.js';
import { PUBLISH_OUTCOME, PUBLISH_PROGRESS, type JobCollector } from '../job-kind.js';

export { rootRunOf } from '../../api/contract.js'; // one definition, shared with the renderer

/**
 * Where a resumed job starts: its run's latest checkpoint, read before the engine is asked, so a job stopped before the
 * engine even loaded it still records that step rather than 0. Total: the run's length as its first job recorded it.
 */
export async function resumedPosition(library: Library, jobId: number, root: number, runDir: string): Promise<{ step: number; total: number } | null> {
  if (root === jobId) return null;
  const checkpoint = await latestCheckpoint(runDir);
  if (checkpoint === null) return null;
  return { step: checkpoint.step, total: Math.max(checkpoint.step, library.getRun(root).total) };
}

/** Quality measures (held-out test_… of image-to-image runs, KID of generators), as against losses. */
const isHeldOut = (name: string): boolean => name.startsWith('test_') || name === 'kid';

export interface TrainingJobInfo {
  library: Library;
  projectId: number;
  projectFolder: string;
  root: number; // the run's first job
  name: string; // of the model being trained
  family: ModelFamily;
  modelFolder: string; // relative to the project
  modelConfig: Record<string, unknown> & { imageSize: number }; // stored on the library's model row
  describe(step: number): string; // the model's description once finished
  startsAt: { step: number; total: number } | null; // a resumed job: its checkpoint (resumedPosition)
}

/** Training tasks all stream engine-api.ts's TrainingItem. */
export function trainingCollector(info: TrainingJobInfo): JobCollector<TrainingJobKind> {
  const { library, projectId, root } = info;
  const start = info.startsAt;
  const outcome: TrainingOutcome = { run: root, step: start?.step ?? 0, checkpointStep: start?.step ?? null, modelId: null, metrics: {}, samples: 0, latestSample: null };
  // The run's own step and length; unknown for a new run until its first step (its first reports count images read).
  let position = start === null ? null : { ...start };
  let evaluation: JobProgress['evaluation'];
  return {
    onItem(item) {
      switch (item.kind) {
        case 'resumed':
          outcome.checkpointStep = item.step;
          outcome.step = item.step;
          position = { step: item.step, total: Math.max(position?.total ?? 0, item.step) };
          // Steps after the checkpoint are trained again; their earlier metrics would be duplicates.
          library.deleteMetricsAfter(root, item.step);
          return;
        case 'dataset':
          outcome.dataset = { train: item.train, test: item.test, skipped: item.skipped, notices: item.notices, ...(item.domains === undefined ? {} : { domains: item.domains }) };
          // Shown while the run trains: an artist should learn at once that images were cropped or skipped.
          return PUBLISH_OUTCOME;
        case 'metrics':
          outcome.step = Math.max(outcome.step, item.step);
          position = { step: outcome.step, total: item.total ?? Math.max(position?.total ?? 0, outcome.step) };
          for (const [name, value] of Object.entries(item.values)) library.addMetric(root, item.step, name, value);
          // Quality measures are the run's headline numbers, and travel on its progress (the losses already do).
          if (Object.keys(item.values).some((name) => name.startsWith('test_'))) outcome.metrics = item.values;
          if ('kid' in item.values) outcome.metrics = { ...outcome.metrics, kid: item.values['kid']! };
          if (Object.keys(item.values).some(isHeldOut)) {
            evaluation = { step: item.step, values: Object.fromEntries(Object.entries(item.values).filter(([name]) => isHeldOut(name))) };
            return PUBLISH_PROGRESS;
          }
          return;
        case 'checkpoint':
          outcome.checkpointStep = item.step;
          return;
        case 'model': {
          const model = library.addModel({
            projectId,
            name: info.name,
            family: info.family,
            source: 'trained',
            config: info.modelConfig,
            folder: info.modelFolder,
            description: info.describe(item.step),
            runId: root,
          });
          outcome.modelId = model.id;
          return;
        }
        case 'sample':
          outcome.samples++;
          return ingestImageFile(item.path, info.projectFolder).then((image) => {
            const { asset } = library.addIngestedAsset(projectId, { ...image, name: `${info.name} step ${item.step}.png` }, 'sample');
            library.tagAssets(projectId, [asset.id], `run ${root}`, false);
            outcome.latestSample = { assetId: asset.id, step: item.step };
            return { assetId: asset.id, step: item.step };
          });
      }
    },
    result: () => outcome,
    progress: () => ({ ...(outcome.latestSample === null ? {} : { sample: outcome.latestSample }), ...(evaluation === undefined ? {} : { evaluation }) }),
    position: () => position,
  };
}

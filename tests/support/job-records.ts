// Job records for renderer tests, made as the library reads them: through the contract's Job schema, so settings left
// out take their defaults and a record of a shape main/ does not store cannot be made.
import { Job, TrainingOutcome, type JobKind } from '../../main/api/contract.js';

/** A record's columns and its params and outcome as stored (training settings without projectId take project 1). */
export interface JobFields {
  id: number;
  kind?: JobKind;
  params: Record<string, unknown>;
  result?: unknown;
  status?: Job['status'];
  step?: number;
  total?: number;
}

export function jobRecord({ id, kind = 'train.pix2pix', params, result = null, status = 'succeeded', step = 0, total = 0 }: JobFields): Job {
  return Job.parse({
    id,
    projectId: 1,
    kind,
    params: kind.startsWith('train.') ? { projectId: 1, ...params } : params,
    status,
    step,
    total,
    error: null,
    result,
    createdAt: '2025-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
  });
}

/** A training outcome: what a job that stopped at once stores, with `over` on top. */
export const trainingOutcome = (over: Partial<TrainingOutcome> = {}): TrainingOutcome =>
  TrainingOutcome.parse({ run: 1, step: 0, checkpointStep: null, modelId: null, metrics: {}, samples: 0, ...over });

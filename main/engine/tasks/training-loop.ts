// The part of every training task that is the same for each family: step until done or paused, stream losses,
// sample and checkpoint on schedule, checkpoint on pause so a later job continues exactly.

import path from 'node:path';
import { StudioError } from '../../api/errors.js';
import { writeFileAtomic } from '../../library/atomic-write.js';
import { latestCheckpoint, saveCheckpoint, type CheckpointRef } from '../../model-files/checkpoint.js';
import type { DriveSchedule, SteppedRun } from '../../../models/common/training-host.js';
import type { TrainingItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { mkdirInLiveProject } from '../../library/project-paths.js';

export interface TrainingSchedule extends DriveSchedule {
  runDir: string;
}

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains `run` up to its end or `untilStep`: metrics after each step, `sampleNow` every sampleEvery steps (and once
 * before the first), a checkpoint every checkpointEvery steps and at the stop. A pause (the signal) checkpoints and
 * ends the task as CANCELLED. Returns with the last checkpoint written; the caller saves the model when the run is done.
 */
export async function driveTraining(
  run: SteppedRun,
  schedule: TrainingSchedule,
  ctx: EngineTaskContext<TrainingItem>,
  hooks: { sampleNow(): Promise<void>; evaluateNow?(): Promise<void>; checkpointProvenance(): Record<string, unknown> },
): Promise<void> {
  const emit = (item: TrainingItem): void => ctx.emitItem(item);
  const checkpointNow = async (): Promise<void> => {
    const ref = await saveCheckpoint(schedule.runDir, await run.snapshot(), { provenance: hooks.checkpointProvenance() });
    emit({ kind: 'checkpoint', step: ref.step, dir: ref.dir });
  };
  const until = Math.min(run.totalSteps, schedule.untilStep ?? Number.POSITIVE_INFINITY);
  if (run.stepCount === 0) await hooks.sampleNow(); // the untrained starting point
  while (run.stepCount < until) {
    if (ctx.signal.aborted) {
      await checkpointNow();
      throw new StudioError('CANCELLED', `Paused at step ${run.stepCount}; resuming continues from there.`);
    }
    const { values, stage } = run.step();
    const step = run.stepCount;
    emit({ kind: 'metrics', step, total: run.totalSteps, values });
    ctx.onProgress({ stage, step, total: run.totalSteps, metrics: values });
    if (step % schedule.sampleEvery === 0) await hooks.sampleNow();
    if (schedule.evaluateEvery !== undefined && step % schedule.evaluateEvery === 0) await hooks.evaluateNow?.();
    if (step % schedule.checkpointEvery === 0) await checkpointNow();
    await yieldToEvents(); // lets a pause request, and previews of other models, in between steps
  }
  const finished = run.stepCount >= run.totalSteps;
  if (finished && schedule.evaluateEvery !== undefined && run.stepCount % schedule.evaluateEvery !== 0) await hooks.evaluateNow?.();
  if (run.stepCount % schedule.checkpointEvery !== 0) await checkpointNow();
  if (finished && run.stepCount % schedule.sampleEvery !== 0) await hooks.sampleNow();
}

/** The checkpoint a task starts from: the run's own latest, else a folder from elsewhere (`continueFrom`), else none. */
export async function startingCheckpoint(runDir: string, continueFrom: string | undefined): Promise<CheckpointRef | null> {
  return (await latestCheckpoint(runDir)) ?? (continueFrom === undefined ? null : { dir: continueFrom, step: -1 });
}

/**
 * Refuses to continue from a checkpoint whose `keys` settings differ from the job's: the checkpoint's settings drive
 * the run, so settings that say otherwise are a mistake worth stopping for.
 */
export function checkCheckpointSettings<C>(dir: string, saved: C, wanted: C, keys: ReadonlyArray<keyof C>): void {
  for (const key of keys) {
    if (saved[key] !== wanted[key]) {
      throw new StudioError('MODEL_INCOMPATIBLE', `The checkpoint ${dir} was made with ${String(key)} ${String(saved[key])}; these settings say ${String(wanted[key])}.`);
    }
  }
}

/** Writes a sample grid as <runDir>/samples/step-NNNNNN.png and returns its path. */
export async function saveSampleGrid(runDir: string, step: number, png: Buffer): Promise<string> {
  const file = path.join(runDir, 'samples', `step-${String(step).padStart(6, '0')}.png`);
  await mkdirInLiveProject(path.dirname(file));
  await writeFileAtomic(file, png);
  return file;
}

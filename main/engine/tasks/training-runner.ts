// The engine task of every family's training: runs the family's own task (models/<family>/training-task.ts) against
// the studio's side of models/common/training-host.ts, implemented here once with the engine's helpers and bound to
// the job's params (its run folder, the checkpoint it continues, where the model goes). index.ts registers one per
// family in models/family-engines.ts, so a new family adds nothing here.
import path from 'node:path';
import { StudioError } from '../../api/errors.js';
import { contactSheet } from '../../data/contact-sheet.js';
import { augmentPair } from '../../data/augment.js';
import { loadPairedDataset } from '../../data/prepare-pairs.js';
import { loadFamilyCheckpoint, loadFineTuneSource } from '../../model-files/checkpoint.js';
import { hostTensors, saveModel } from '../../model-files/model-folder.js';
import type { FamilyEngine } from '../../../models/common/family-engine.js';
import type { TrainingHost } from '../../../models/common/training-host.js';
import type { TrainingRunParams } from '../../../models/common/training-params.js';
import type { z } from 'zod';
import type { TrainingItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { kidEvaluation, loadTrainingFolder } from './image-folder-training.js';
import { checkCheckpointSettings, driveTraining, saveSampleGrid, startingCheckpoint } from './training-loop.js';

/** The studio's side of a training task of `family`, for the job whose params are `params`. */
function trainingHost(family: FamilyEngine, params: z.output<typeof TrainingRunParams>, ctx: EngineTaskContext<TrainingItem>): TrainingHost {
  const emit = (item: TrainingItem): void => ctx.emitItem(item);
  return {
    emit,
    refusal: (code, message) => new StudioError(code, message),
    progress: (stage) => ctx.onProgress({ stage, step: 0, total: 0 }),
    readImageFolder: (options) => loadTrainingFolder(ctx, options),
    readPairedDataset: async (dir) => ({ train: await loadPairedDataset(dir, 'train'), test: await loadPairedDataset(dir, 'test'), augment: augmentPair }),
    async startingCheckpoint<S>(needs: { runTensors?: boolean } = {}) {
      const checkpoint = await startingCheckpoint(params.runDir, params.continueFrom);
      return checkpoint === null ? null : { dir: checkpoint.dir, snapshot: await loadFamilyCheckpoint<S>(checkpoint.dir, family.name, undefined, needs) };
    },
    checkSettings: checkCheckpointSettings,
    loadFineTuneSource: (dir) => loadFineTuneSource(dir, family.name),
    async writeSampleGrid(step, rows, size) {
      const file = await saveSampleGrid(params.runDir, step, await contactSheet(rows, size));
      emit({ kind: 'sample', step, path: file });
    },
    kidEvaluation: (reals, count, sample, run, metrics) => kidEvaluation(ctx, reals, count, sample, run, metrics),
    drive: (run, schedule, hooks) => driveTraining(run, { ...schedule, runDir: params.runDir }, ctx, hooks),
    async saveModel({ config, parts, steps, provenance }) {
      const tensors = new Map(Object.entries(parts).flatMap(([part, tree]) => [...hostTensors(tree, part)]));
      await saveModel(
        params.modelDir,
        {
          family: family.name,
          config,
          tensors,
          licence: params.licence ?? { spdx: 'LicenseRef-user-trained' },
          provenance: { run: path.basename(params.runDir), steps, ...provenance },
        },
        { fp16: params.fp16 },
      );
    },
  };
}

/** The engine task that trains `family`: its params were validated against the descriptor's `training.task.params`. */
export function trainingTask(family: FamilyEngine): (params: z.output<typeof TrainingRunParams>, ctx: EngineTaskContext<TrainingItem>) => Promise<unknown> {
  return (params, ctx) => family.train(params as never, trainingHost(family, params, ctx));
}

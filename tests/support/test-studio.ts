// A real studio on a throw-away library, for integration tests: calls through the CLI's own caller (a value, or a
// StudioError naming the code) and a wait for a job's end.
import path from 'node:path';
import type { Job, MethodName, ParamsIn, ResultOf } from '../../main/api/contract.js';
import { call as cliCall } from '../../main/cli/call.js';
import type { EngineSpawner } from '../../main/engine/engine-host.js';
import type { TrialSpawner } from '../../main/engine/onnx/trial-spawner.js';
import { openStudio, type Studio } from '../../main/studio.js';
import { tempDir } from './temp-home.js';
import { nextEvent } from './wait.js';

export interface TestStudio {
  studio: Studio;
  /** The throw-away folder: the library is in library/, shipped models (if any) in models/; tests may add more. */
  dir: string;
  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<ResultOf<M>>;
  /** The job's record once it has ended, however it ended. */
  finish(jobId: number, timeoutMs?: number): Promise<Job>;
  close(): Promise<void>;
}

const ended = (job: Job): boolean => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status);

/**
 * `builtinModels` writes the shipped models the studio should see into the folder it is given; `onnxTrialSeconds`
 * shortens the time limit of an imported ONNX file's test runs; `trialSpawner` starts their processes;
 * `engineSpawner` starts the engine's (a test may observe what crosses that boundary).
 */
export async function openTestStudio(options: { builtinModels?: (dir: string) => Promise<unknown>; onnxTrialSeconds?: number; trialSpawner?: TrialSpawner; engineSpawner?: EngineSpawner } = {}): Promise<TestStudio> {
  const home = await tempDir();
  const models = path.join(home.dir, 'models');
  try {
    await options.builtinModels?.(models);
    const studio = await openStudio({
      home: path.join(home.dir, 'library'),
      ...(options.builtinModels === undefined ? {} : { builtinModelsDir: models }),
      ...(options.onnxTrialSeconds === undefined ? {} : { onnxTrialSeconds: options.onnxTrialSeconds }),
      ...(options.trialSpawner === undefined ? {} : { trialSpawner: options.trialSpawner }),
      ...(options.engineSpawner === undefined ? {} : { engineSpawner: options.engineSpawner }),
    });
    return {
      studio,
      dir: home.dir,
      call: (method, params) => cliCall(studio, method, params),
      finish: (jobId, timeoutMs = 180_000) => nextEvent(studio.events, 'job.state', (j) => j.id === jobId && ended(j), timeoutMs),
      close: async () => {
        await studio.close();
        await home.remove();
      },
    };
  } catch (err) {
    await home.remove();
    throw err;
  }
}

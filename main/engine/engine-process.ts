// Entry of the engine process: selects a backend, then runs tasks sent by main/ with progress and cancellation.
// It runs apart from the studio so native crashes and heavy compute never freeze or take down the UI.
// tfjs-core's Node build registers no gradient functions; tfjs-layers' import registers them for training.
import '@tensorflow/tfjs-layers';
import { StudioError, toErrorShape } from '../api/errors.js';
import { selectBackend } from './backend-ladder.js';
import { exitWithParent } from './child-lifetime.js';
import { parentChannel } from './engine-channel.js';
import type { TaskProgress } from './engine-protocol.js';
import { InteractiveModels } from './interactive-models.js';
import { engineTasks } from './tasks/index.js';

const PROGRESS_INTERVAL_MS = 100;
exitWithParent();
const channel = parentChannel();
const running = new Map<number, AbortController>();
const models = new InteractiveModels();

function throttledProgress(taskId: number): (progress: TaskProgress) => void {
  let lastSent = 0;
  return (progress) => {
    const now = Date.now();
    // Always send the last step so bars reach 100%; otherwise at most every PROGRESS_INTERVAL_MS.
    if (now - lastSent < PROGRESS_INTERVAL_MS && progress.step < progress.total) return;
    lastSent = now;
    channel.send({ type: 'progress', taskId, progress });
  };
}

async function runTask(taskId: number, taskName: string, params: unknown): Promise<void> {
  const controller = new AbortController();
  running.set(taskId, controller);
  try {
    const task = engineTasks[taskName];
    if (!task) throw new StudioError('ENGINE_ERROR', `The engine has no task "${taskName}".`);
    const result = await task(params, {
      signal: controller.signal,
      onProgress: throttledProgress(taskId),
      emitItem: (item) => channel.send({ type: 'item', taskId, item }),
      models,
    });
    channel.send({ type: 'done', taskId, result: result ?? null });
  } catch (err) {
    const shape = controller.signal.aborted ? { code: 'CANCELLED' as const, message: 'Cancelled.' } : toErrorShape(err);
    if (shape.code === 'INTERNAL') shape.code = 'ENGINE_ERROR';
    channel.send({ type: 'failed', taskId, error: shape });
  } finally {
    running.delete(taskId);
  }
}

channel.onMessage((message) => {
  switch (message.type) {
    case 'run':
      void runTask(message.taskId, message.task, message.params);
      break;
    case 'cancel':
      running.get(message.taskId)?.abort();
      break;
    case 'shutdown':
      process.exit(0);
  }
});

const backend = await selectBackend();
channel.send({ type: 'ready', backend });

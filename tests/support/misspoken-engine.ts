// A stand-in engine process for tests/unit/engine/engine-host-contract.test.ts: it speaks the real engine protocol over
// the real channel (main/engine/engine-channel.ts), but answers with what no real task sends, so the test sees how
// EngineHost treats a result or item that does not match its task's spec (engine-api.ts). Per task:
//   sketch.edges          'done' with a wrong-shaped result
//   stylegan.mix          'done' with a well-formed result (the protocol itself is spoken right)
//   esrgan.upscale        an 'item' of the wrong shape, then waits; 'failed' CANCELLED once cancelled
//   dataset.preparePairs  an 'item', though the task streams none, then waits like esrgan.upscale
//   train.pggan           a well-formed 'metrics' item whose loss is NaN and KID Infinity (a diverging run), then 'done'
import { parentChannel } from '../../main/engine/engine-channel.js';

const channel = parentChannel();
process.on('disconnect', () => process.exit(0)); // never outlives the test that started it
const waiting = new Set<number>();

channel.onMessage((message) => {
  switch (message.type) {
    case 'run':
      switch (message.task) {
        case 'sketch.edges':
          channel.send({ type: 'done', taskId: message.taskId, result: { edgesPngBase64: 42, width: 16 } });
          return;
        case 'stylegan.mix':
          channel.send({ type: 'done', taskId: message.taskId, result: { imagePngBase64: 'iVBORw0KGgo=', size: 16, ms: 1 } });
          return;
        case 'esrgan.upscale':
          channel.send({ type: 'item', taskId: message.taskId, item: { kind: 'upscaled', index: 'first', output: '/x.png' } });
          waiting.add(message.taskId);
          return;
        case 'dataset.preparePairs':
          channel.send({ type: 'item', taskId: message.taskId, item: { pairs: 1 } });
          waiting.add(message.taskId);
          return;
        case 'train.pggan':
          channel.send({ type: 'item', taskId: message.taskId, item: { kind: 'metrics', step: 1, values: { loss: Number.NaN, kid: Number.POSITIVE_INFINITY } } });
          channel.send({ type: 'done', taskId: message.taskId, result: { steps: 1, modelDir: null } });
          return;
        default:
          channel.send({ type: 'failed', taskId: message.taskId, error: { code: 'ENGINE_ERROR', message: `No stand-in for "${message.task}".` } });
      }
      return;
    case 'cancel':
      if (waiting.delete(message.taskId)) channel.send({ type: 'failed', taskId: message.taskId, error: { code: 'CANCELLED', message: 'Cancelled.' } });
      return;
    case 'shutdown':
      process.exit(0);
  }
});

channel.send({ type: 'ready', backend: { name: 'cpu', device: 'a stand-in engine', skipped: [] } });

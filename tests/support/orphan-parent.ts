// A throw-away parent for tests/unit/engine/child-lifetime.test.ts: a studio's EngineHost whose engine is importing a
// graph that never ends, with the test runner the host started for it (`engine`; prints {"child": enginePid,
// "runner": runnerPid}), or an ONNX test runner stuck in one (`trial`; prints {"child": pid}) once it is busy, then
// waits to be killed.
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childExecArgv } from '../../main/engine/child-entry.js';
import { EventBus } from '../../main/service/event-bus.js';
import { EngineHost, nodeForkSpawner } from '../../main/engine/engine-host.js';
import type { TrialRequest, TrialToHost } from '../../main/engine/onnx/onnx-trial.js';
import { nodeTrialSpawner } from '../../main/engine/onnx/trial-spawner.js';
import { endlessGraph } from './hostile-onnx-corpus.js';

const mode = process.argv[2];
const report = (pid: number | null | undefined, runner?: number | null): void => void process.stdout.write(`${JSON.stringify({ child: pid, ...(runner === undefined ? {} : { runner }) })}\n`);

if (mode === 'engine') {
  // The engine busy importing a graph that never ends, as after a force-quit mid-import.
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-studio-orphan-'));
  const { bytes, manifest } = endlessGraph();
  writeFileSync(path.join(dir, 'endless.onnx'), bytes);
  writeFileSync(path.join(dir, 'endless.onnx.json'), JSON.stringify(manifest));
  let runner: number | null = null;
  const host = new EngineHost(nodeForkSpawner, new EventBus(), {
    trialSpawner: () => {
      const handle = nodeTrialSpawner();
      runner = handle.pid;
      return handle;
    },
  });
  await host.start();
  const params = { onnxPath: path.join(dir, 'endless.onnx'), manifestPath: path.join(dir, 'endless.onnx.json'), modelDir: path.join(dir, 'model'), trialSeconds: 600 };
  void host.run('models.importOnnx', params).result.catch(() => {});
  setTimeout(() => report(host.info().pid, runner), 2500);
} else if (mode === 'trial') {
  const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main/engine/onnx/onnx-trial-process.ts');
  const runner = fork(entry, [], { execArgv: childExecArgv(true), stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const { bytes } = endlessGraph();
  const shape = [1, 3, 16, 16];
  const request: TrialRequest = { kind: 'image', bytes, input: { name: 'input', shape }, output: { name: 'output', shape }, fill: 0 };
  runner.on('message', (message: TrialToHost) => {
    if (message.type !== 'ready') return;
    runner.send(request);
    // Well inside ONNX Runtime's endless run by then: the runner's main thread is blocked for good.
    setTimeout(() => report(runner.pid), 1500);
  });
} else {
  throw new Error('usage: orphan-parent.ts engine|trial');
}
setInterval(() => {}, 60_000);

// The test runs of an imported ONNX file happen in a process the studio (main/, the engine's host) starts, not the
// engine: in the packaged Electron app the engine cannot start one (see main/engine/onnx/trial-spawner.ts). A real
// studio runs imports with our own Node spawner, observed: each process it starts is recorded with its parent pid.
// The runner's parent is the studio's process, the engine has no runner among its children, and the runner still
// dies at its time limit, on cancel, and when the engine itself dies.
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeForkSpawner } from '../../../main/engine/engine-host.js';
import type { EngineToHost } from '../../../main/engine/engine-protocol.js';
import { nodeTrialSpawner, type TrialSpawner } from '../../../main/engine/onnx/trial-spawner.js';
import { buildHostileCorpus, endlessGraph, type HostileCorpus } from '../../support/hostile-onnx-corpus.js';
import { tempDir } from '../../support/temp-home.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';

const TRIAL_SECONDS = 2;

/** Field 4 of /proc/<pid>/stat: the parent's pid. */
const ppidOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

/** True while `pid` runs (a zombie has ended). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The command lines of `pid`'s children, found through /proc. */
function childrenOf(pid: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (ppidOf(Number(entry)) === pid) found.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.runIf(process.platform === 'linux')('the test runs of an ONNX import', () => {
  let t: TestStudio;
  let corpus: HostileCorpus;
  let projectId: number;
  let endless: { onnxPath: string; manifestPath: string };
  /** Every test process the studio's spawner started: its pid and, read at its start, its parent's. */
  const started: Array<{ pid: number; ppid: number }> = [];
  const observedSpawner: TrialSpawner = () => {
    const handle = nodeTrialSpawner();
    started.push({ pid: handle.pid!, ppid: ppidOf(handle.pid!) });
    return handle;
  };
  const startedSince = async (count: number): Promise<{ pid: number; ppid: number }> => {
    await until(() => started.length > count, 20_000, 'a test process');
    return started[count]!;
  };

  beforeAll(async () => {
    t = await openTestStudio({ onnxTrialSeconds: TRIAL_SECONDS, trialSpawner: observedSpawner });
    corpus = await buildHostileCorpus(path.join(t.dir, 'corpus'));
    projectId = (await t.call('projects.create', { name: 'Trials' })).id;
    const { bytes, manifest } = endlessGraph();
    endless = { onnxPath: path.join(t.dir, 'endless.onnx'), manifestPath: path.join(t.dir, 'endless.onnx.json') };
    await writeFile(endless.onnxPath, bytes);
    await writeFile(endless.manifestPath, JSON.stringify(manifest));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('imports good files through test processes the studio started, one per import', async () => {
    for (const name of ['control-tanh', 'control-stylegan2']) {
      const c = corpus.cases.find((k) => k.name === name)!;
      const before = started.length;
      // A generous limit: the StyleGAN2's 10 000-z w̄ estimate (its progress reported through the host) on a busy machine.
      const task = t.studio.engine.run('models.importOnnx', { onnxPath: c.onnxPath, manifestPath: c.manifestPath, modelDir: path.join(t.dir, name), trialSeconds: 30 });
      expect(await task.result, name).toMatchObject({ family: name === 'control-tanh' ? 'pix2pix' : 'stylegan2' });
      expect(started.length, name).toBe(before + 1);
      expect(started.at(-1)!.ppid, name).toBe(process.pid); // the studio's process, not the engine
      await until(() => !running(started.at(-1)!.pid), 2000, `${name}'s runner to end`); // killed once it answered
    }
  }, 60_000);

  it('runs a graph that never ends in a child of the studio, not of the engine, and refuses it at its limit', async () => {
    const before = started.length;
    const startedAt = Date.now();
    const result = t.studio.dispatch('models.importOnnx', { projectId, onnxPath: endless.onnxPath, manifestPath: endless.manifestPath });
    const runner = await startedSince(before);
    // Read while the runner is stuck in the endless run.
    await new Promise((r) => setTimeout(r, 500));
    expect(running(runner.pid)).toBe(true);
    expect(ppidOf(runner.pid)).toBe(process.pid);
    const enginePid = t.studio.engine.info().pid!;
    expect(enginePid).not.toBe(process.pid);
    expect(childrenOf(enginePid).filter((cmd) => cmd.includes('onnx-trial-process'))).toEqual([]);
    expect(childrenOf(process.pid).some((cmd) => cmd.includes('onnx-trial-process'))).toBe(true);

    expect(await result).toMatchObject({
      ok: false,
      error: { code: 'MODEL_INCOMPATIBLE', message: `The model did not finish a test run within ${TRIAL_SECONDS} s; it may loop forever or be far too large for this computer.` },
    });
    expect(Date.now() - startedAt).toBeLessThan((TRIAL_SECONDS + 8) * 1000);
    await until(() => !running(runner.pid), 2000, 'the runner to end');
  }, 60_000);

  it('kills the studio-started runner when the import is cancelled', async () => {
    const before = started.length;
    const task = t.studio.engine.run('models.importOnnx', { onnxPath: endless.onnxPath, manifestPath: endless.manifestPath, modelDir: path.join(t.dir, 'cancelled'), trialSeconds: 600 });
    const runner = await startedSince(before);
    await new Promise((r) => setTimeout(r, 500));
    expect(running(runner.pid)).toBe(true);
    const cancelledAt = Date.now();
    t.studio.engine.cancel(task.taskId);
    await expect(task.result).rejects.toMatchObject({ code: 'CANCELLED' });
    await until(() => !running(runner.pid), 2000, 'the runner to end');
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
  }, 60_000);

  it('kills the runner when the engine that asked for it dies, and the engine comes back', async () => {
    const before = started.length;
    const task = t.studio.engine.run('models.importOnnx', { onnxPath: endless.onnxPath, manifestPath: endless.manifestPath, modelDir: path.join(t.dir, 'crashed'), trialSeconds: 600 });
    const runner = await startedSince(before);
    await new Promise((r) => setTimeout(r, 500));
    expect(running(runner.pid)).toBe(true);
    process.kill(t.studio.engine.info().pid!, 'SIGKILL');
    await expect(task.result).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    await until(() => !running(runner.pid), 2000, 'the runner to end');
    // The restarted engine imports again, through a new runner of the studio's.
    await until(() => t.studio.engine.info().state === 'ready', 30_000, 'the engine to restart');
    const control = corpus.cases.find((k) => k.name === 'control-tanh')!;
    expect(await t.studio.dispatch('models.importOnnx', { projectId, onnxPath: control.onnxPath, manifestPath: control.manifestPath, name: 'After the crash' })).toMatchObject({ ok: true });
    expect(started.at(-1)!.ppid).toBe(process.pid);
  }, 90_000);
});

describe('the engine side of a test run', () => {
  it('asks its host for the run, and withdraws it when its task is cancelled', async () => {
    const scratch = await tempDir();
    const dir = scratch.dir;
    const engine = nodeForkSpawner(); // a real engine; this test is its host, and runs no test process
    const messages: EngineToHost[] = [];
    engine.onMessage((message) => messages.push(message));
    try {
      await until(() => messages.some((m) => m.type === 'ready'), 60_000, 'the engine');
      const { bytes, manifest } = endlessGraph();
      await writeFile(path.join(dir, 'e.onnx'), bytes);
      await writeFile(path.join(dir, 'e.onnx.json'), JSON.stringify(manifest));
      engine.send({ type: 'run', taskId: 7, task: 'models.importOnnx', params: { onnxPath: path.join(dir, 'e.onnx'), manifestPath: path.join(dir, 'e.onnx.json'), modelDir: path.join(dir, 'm'), trialSeconds: 42 } });
      await until(() => messages.some((m) => m.type === 'trial'), 20_000, "the engine's trial request");
      const trial = messages.find((m) => m.type === 'trial')!;
      expect(trial).toMatchObject({ type: 'trial', taskId: 7, timeLimitS: 42, request: { kind: 'image', input: { name: 'input' }, output: { name: 'output' } } });
      const trialId = (trial as Extract<EngineToHost, { type: 'trial' }>).trialId;
      engine.send({ type: 'cancel', taskId: 7 });
      await until(() => messages.some((m) => m.type === 'failed'), 5000, 'the task to end');
      const after = messages.slice(messages.indexOf(trial) + 1);
      expect(after).toEqual([
        { type: 'trial-cancel', trialId },
        { type: 'failed', taskId: 7, error: { code: 'CANCELLED', message: 'Cancelled.' } },
      ]);
    } finally {
      engine.kill();
      await scratch.remove();
    }
  }, 90_000);
});

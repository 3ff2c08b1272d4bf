// EngineHost checks the engine API's specs (main/engine/engine-api.ts) at the process boundary: params that do not
// match their task's spec are refused before anything is sent, and a result or item the engine sends that does not
// match fails the task with ENGINE_ERROR naming it, and stops it, without reaching the caller's handlers. The engine
// itself checks params on arrival too. Hosts here drive a real engine process, or a real process that speaks the
// engine protocol wrongly on purpose (tests/support/misspoken-engine.ts); their handles are observed, not replaced.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/service/event-bus.js';
import { StudioError } from '../../../main/api/errors.js';
import { forkChild } from '../../../main/engine/child-entry.js';
import { EngineHost, nodeForkSpawner, type EngineProcessHandle, type EngineSpawner } from '../../../main/engine/engine-host.js';
import type { EngineToHost, HostToEngine } from '../../../main/engine/engine-protocol.js';

/** `spawner`'s processes, with every message the host sends them and every one they send back recorded. */
function observed(spawner: EngineSpawner): { spawner: EngineSpawner; sent: HostToEngine[]; received: EngineToHost[]; handle(): EngineProcessHandle } {
  const sent: HostToEngine[] = [];
  const received: EngineToHost[] = [];
  let last: EngineProcessHandle | null = null;
  return {
    sent,
    received,
    handle: () => last!,
    spawner: () => {
      const handle = spawner();
      handle.onMessage((message) => received.push(message));
      last = handle;
      return {
        get pid() {
          return handle.pid;
        },
        send: (message) => {
          sent.push(message);
          handle.send(message);
        },
        onMessage: (listener) => handle.onMessage(listener),
        onExit: (listener) => handle.onExit(listener),
        onError: (listener) => handle.onError(listener),
        kill: () => handle.kill(),
      };
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<StudioError> {
  const outcome = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(StudioError);
  return outcome as StudioError;
}

describe('EngineHost with the real engine', () => {
  const engine = observed(nodeForkSpawner);
  const host = new EngineHost(engine.spawner, new EventBus());
  beforeAll(() => host.start(), 60_000);
  afterAll(() => host.stop());

  it('refuses params that do not match the task spec before sending anything: nothing runs', async () => {
    const runsBefore = engine.sent.filter((m) => m.type === 'run').length;
    const empty = host.run('stylegan.generate', { modelFolder: '/nowhere', seeds: [], truncationPsi: 1, noiseMode: 'const' });
    const error = await failure(empty.result);
    expect(error.code).toBe('ENGINE_ERROR');
    expect(error.message).toContain('"stylegan.generate"');
    expect(error.message).toContain('seeds');
    // What TypeScript would refuse, as an untyped caller could still pass it.
    const wrongType = host.run('library.importFolder', { dir: 42, recursive: true, projectFolder: '/p' } as never);
    expect((await failure(wrongType.result)).message).toMatch(/"library\.importFolder".*dir/s);
    expect(engine.sent.filter((m) => m.type === 'run')).toHaveLength(runsBefore);
  });

  it('runs a task whose params match, and resolves its result as checked against the spec', async () => {
    const png = await sharp({ create: { width: 24, height: 24, channels: 3, background: '#808080' } }).png().toBuffer();
    const edges = await host.run('sketch.edges', { size: 16, image: { pngBase64: png.toString('base64') } }).result;
    expect(edges).toMatchObject({ width: 16, height: 16 });
    expect(typeof edges.edgesPngBase64).toBe('string');
  }, 60_000);

  it('the engine checks params on arrival too: a run sent past the host fails with ENGINE_ERROR', async () => {
    const taskId = 1_000_000;
    const answer = new Promise<EngineToHost>((resolve) =>
      engine.handle().onMessage((message) => {
        if ('taskId' in message && message.taskId === taskId) resolve(message);
      }),
    );
    engine.handle().send({ type: 'run', taskId, task: 'sketch.edges', params: { size: 'large' } });
    const message = await answer;
    expect(message).toMatchObject({ type: 'failed', error: { code: 'ENGINE_ERROR' } });
    expect(message.type === 'failed' && message.error.message).toMatch(/"sketch\.edges".*size/s);
  }, 30_000);
});

describe('EngineHost with an engine that answers out of spec', () => {
  const entry = { path: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../support/misspoken-engine.ts'), fromSource: true };
  const engine = observed(() => forkChild(entry, 'misspoken-engine'));
  const host = new EngineHost(engine.spawner, new EventBus());
  beforeAll(() => host.start(), 30_000);
  afterAll(() => host.stop());

  it('fails the task with ENGINE_ERROR naming it when its result does not match the spec', async () => {
    const error = await failure(host.run('sketch.edges', { size: 16, image: { path: '/x.png' } }).result);
    expect(error.code).toBe('ENGINE_ERROR');
    expect(error.message).toContain('"sketch.edges"');
    expect(error.message).toContain('edgesPngBase64');
  });

  it('resolves a result that matches (the stand-in speaks the protocol right otherwise)', async () => {
    await expect(host.run('stylegan.mix', { modelFolder: '/m', sources: [{ seed: 1, truncationPsi: 1 }], layerWeights: [[1]], noiseMode: 'const' }).result).resolves.toEqual({
      imagePngBase64: 'iVBORw0KGgo=',
      size: 16,
      ms: 1,
    });
  });

  it('fails the task on an item that does not match, never calling onItem, and tells the engine to stop it', async () => {
    const items: unknown[] = [];
    const task = host.run('esrgan.upscale', { files: [{ input: '/a.png', output: '/b.png' }], model: 'slim', scale: 2 }, { onItem: (item) => items.push(item) });
    const error = await failure(task.result);
    expect(error.code).toBe('ENGINE_ERROR');
    expect(error.message).toContain('"esrgan.upscale"');
    expect(items).toEqual([]);
    expect(engine.sent).toContainEqual({ type: 'cancel', taskId: task.taskId });
  });

  it('fails a task that streams no items when it sends one', async () => {
    const task = host.run('dataset.preparePairs', { source: { kind: 'side-by-side', dir: '/d' }, outDir: '/o', storedSize: 286, heldOutFraction: 0.05, seed: 's' });
    const error = await failure(task.result);
    expect(error.code).toBe('ENGINE_ERROR');
    expect(error.message).toContain('"dataset.preparePairs" streams no items');
    expect(engine.sent).toContainEqual({ type: 'cancel', taskId: task.taskId });
    // The host and its engine go on: the next task is answered.
    await expect(host.run('stylegan.mix', { modelFolder: '/m', sources: [{ seed: 2, truncationPsi: 1 }], layerWeights: [[1]], noiseMode: 'const' }).result).resolves.toMatchObject({ size: 16 });
  });

  it('passes a measured value that is NaN or infinite (a diverging run), as z.number() alone would not', async () => {
    const items: unknown[] = [];
    const params = { runDir: '/r', dataDir: '/d', modelDir: '/m', totalKimg: 1, seed: 0, checkpointEvery: 1, sampleEvery: 1, config: { resolution: 8, fmapBase: 8, fmapMax: 8, batchSize: 1, lodTrainingKimg: 1, lodTransitionKimg: 0 } };
    await expect(host.run('train.pggan', params, { onItem: (item) => items.push(item) }).result).resolves.toEqual({ steps: 1, modelDir: null });
    expect(items).toEqual([{ kind: 'metrics', step: 1, values: { loss: Number.NaN, kid: Number.POSITIVE_INFINITY } }]);
  });
});

/** A process that cannot be started (a binary that is not there): its child_process reports 'error', with no pid. */
function unstartable(): EngineProcessHandle {
  const child = spawn(path.join(os.tmpdir(), `no-such-engine-${process.pid}`), [], { stdio: 'ignore' });
  return {
    get pid() {
      return child.pid ?? null;
    },
    send: () => {},
    onMessage: () => {},
    onExit: (listener) => child.once('exit', (code, signal) => listener(signal === null ? `exit code ${code}` : `killed by ${signal}`)),
    onError: (listener) => child.on('error', listener),
    kill: () => child.kill('SIGKILL'),
  };
}

describe('EngineHost whose engine process could not be started', () => {
  let spawns = 0;
  const host = new EngineHost(() => (++spawns === 1 ? unstartable() : nodeForkSpawner()), new EventBus());
  afterAll(() => host.stop());

  it("takes the fork's 'error' as an exit: it restarts the engine once, and the task queued meanwhile runs", async () => {
    await host.start();
    const png = await sharp({ create: { width: 24, height: 24, channels: 3, background: '#808080' } }).png().toBuffer();
    const edges = await host.run('sketch.edges', { size: 16, image: { pngBase64: png.toString('base64') } }).result;
    expect(edges).toMatchObject({ width: 16, height: 16 });
    expect(spawns).toBe(2);
    expect(host.info().restarts).toBe(1);
  }, 60_000);
});

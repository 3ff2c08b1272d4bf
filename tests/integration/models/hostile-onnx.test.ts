// The hostile ONNX corpus (tests/support/hostile-onnx-corpus.ts) through the real import: every file is refused with
// its precise code and message, no message carries a byte of the user's private file, a graph that never ends is
// stopped at its time limit (or when cancelled) and the engine goes on with the next task. The slow cases run in
// tests/soak/hostile-models.ts.
import { readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostileCorpus, SECRET, type HostileCorpus } from '../../support/hostile-onnx-corpus.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';

/** The test runs' time limit, in seconds: short, so the endless graph is refused quickly. */
const TRIAL_SECONDS = 2;

describe('importing hostile ONNX files', () => {
  let t: TestStudio;
  let corpus: HostileCorpus;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({ onnxTrialSeconds: TRIAL_SECONDS });
    corpus = await buildHostileCorpus(path.join(t.dir, 'corpus'));
    projectId = (await t.call('projects.create', { name: 'Hostile' })).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses every file of the corpus precisely, quoting nothing private, each within its limit', async () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(30);
    const modelsBefore = (await t.call('models.list', { projectId })).length; // the shipped ones
    const outcomes = [];
    for (const c of corpus.cases) {
      const started = Date.now();
      const result = await t.studio.dispatch('models.importOnnx', { projectId, onnxPath: c.onnxPath, manifestPath: c.manifestPath });
      const ms = Date.now() - started;
      outcomes.push({ name: c.name, ms, outcome: result.ok ? 'ok' : { code: result.error.code, message: result.error.message } });
    }
    for (const [i, c] of corpus.cases.entries()) {
      const { outcome, ms } = outcomes[i]!;
      if (c.expect === 'ok') expect(outcome, c.name).toBe('ok');
      else expect(outcome, c.name).toMatchObject({ code: c.expect.code, message: expect.stringMatching(c.expect.phrase) });
      expect(JSON.stringify(outcome), c.name).not.toContain(SECRET);
      // A refusal by inspection is immediate; one that runs the file waits for it at most the limit (and the start of
      // the test process).
      expect(ms, c.name).toBeLessThan((TRIAL_SECONDS + 8) * 1000);
    }
    expect(outcomes.find((o) => o.name === 'endless-loop')).toMatchObject({ outcome: { message: `The model did not finish a test run within ${TRIAL_SECONDS} s; it may loop forever or be far too large for this computer.` } });
    // Only the controls were kept.
    expect((await t.call('models.list', { projectId })).length).toBe(modelsBefore + corpus.cases.filter((c) => c.expect === 'ok').length);
  }, 180_000);

  it('goes on with the next task after a graph that never ends', async () => {
    const endless = corpus.cases.find((c) => c.name === 'endless-loop')!;
    const control = corpus.cases.find((c) => c.name === 'control-tanh')!;
    const refused = t.studio.dispatch('models.importOnnx', { projectId, onnxPath: endless.onnxPath, manifestPath: endless.manifestPath });
    const next = t.studio.dispatch('models.importOnnx', { projectId, onnxPath: control.onnxPath, manifestPath: control.manifestPath, name: 'After the endless one' });
    // The engine is not held: the good file, sent second, is imported before the endless one is even refused.
    expect(await Promise.race([next.then(() => 'next'), refused.then(() => 'endless')])).toBe('next');
    expect(await next).toMatchObject({ ok: true, value: { name: 'After the endless one' } });
    expect(await refused).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/did not finish a test run within 2 s/) } });
  }, 60_000);

  it('stops the test run of a graph that never ends when the import is cancelled', async () => {
    const endless = corpus.cases.find((c) => c.name === 'endless-loop')!;
    const task = t.studio.engine.run('models.importOnnx', { onnxPath: endless.onnxPath, manifestPath: endless.manifestPath, modelDir: path.join(t.dir, 'cancelled'), trialSeconds: 600 });
    await new Promise((r) => setTimeout(r, 1500));
    const cancelledAt = Date.now();
    t.studio.engine.cancel(task.taskId);
    await expect(task.result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
  }, 60_000);

  it.runIf(process.platform === 'linux')('runs the engine in an empty working directory of its own', () => {
    const cwd = readlinkSync(`/proc/${t.studio.engine.info().pid}/cwd`);
    expect(cwd).not.toBe(process.cwd());
    expect(path.basename(cwd)).toMatch(/^gan-studio-engine-/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

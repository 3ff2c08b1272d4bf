// Soak: SIGKILL the studio process, and separately its engine process, at seeded random moments of a training run, a
// folder import and a model export; after each kill the studio starts again on the same home and must find its
// database intact, every file with its row and every row with its files, and a training run that resumes losing at
// most one checkpoint interval. One JSON line per trial, then a summary line; exits 1 on any failure.
// Usage: node --import tsx tests/soak/kill-at-random.ts [--trials N (per target, default 20)] [--time-limit SECONDS] [--seed S]
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listCheckpoints } from '../../main/model-files/checkpoint.js';
import { writeNoiseFolder } from '../support/images.js';
import { processGone, startStudioProcess, type StudioProcess } from '../support/studio-process.js';
import { tempDir } from '../support/temp-home.js';
import { writeTinyPix2pixBuiltin } from '../support/tiny-models.js';

type Target = 'studio' | 'engine';
type Phase = 'training' | 'import' | 'export';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '20' }, 'time-limit': { type: 'string', default: '1800' }, seed: { type: 'string' } } });
const trials = Number(values.trials);
const timeLimitMs = Number(values['time-limit']) * 1000;
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(trials) || trials < 1 || !(timeLimitMs > 0) || !Number.isInteger(seed)) throw new Error('usage: kill-at-random.ts [--trials N] [--time-limit SECONDS] [--seed S]');

/** mulberry32: a small seeded generator, so a failing run can be replayed with --seed. */
function seeded(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(seed);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const CHECKPOINT_EVERY = 4;
// How long after its start each phase may be killed: about its length on a 2-core machine with the tiny settings below.
const WINDOW_MS: Record<Phase, number> = { training: 5000, import: 3000, export: 3000 };

const started = Date.now();
const work = await tempDir('gan-studio-soak-');
const trainImages = path.join(work.dir, 'train-images');
const importImages = path.join(work.dir, 'import-images');
const modelsDir = path.join(work.dir, 'models');
await writeNoiseFolder(trainImages, 8, 40);
await writeNoiseFolder(importImages, 30, 384);
await mkdir(modelsDir, { recursive: true });
await writeTinyPix2pixBuiltin(modelsDir);
console.log(JSON.stringify({ soak: 'kill-at-random', seed, trialsPerTarget: trials, timeLimitS: timeLimitMs / 1000 }));

interface Started {
  jobId: number | null;
  lastTrainingStep: () => number;
  settled: Promise<unknown>;
}

async function startPhase(studio: StudioProcess, projectId: number, phase: Phase): Promise<Started> {
  if (phase === 'export') {
    const model = (await studio.call('models.list', { projectId, family: 'pix2pix' }))[0]!;
    return { jobId: null, lastTrainingStep: () => 0, settled: studio.call('models.exportOnnx', { projectId, modelId: model.id }).catch(() => null) };
  }
  const { jobId } =
    phase === 'import'
      ? await studio.call('assets.importFolder', { projectId, path: importImages })
      : await studio.call('train.stylegan2', { projectId, name: 'soak', dataDir: trainImages, resolution: 32, channelBase: 256, channelMax: 16, mappingLayers: 2, batchSize: 4, totalKimg: 0.4, seed: 1, sampleEvery: 5, checkpointEvery: CHECKPOINT_EVERY });
  let last = 0;
  void studio.next('job.progress', (p) => {
    if (p.jobId === jobId && p.stage.startsWith('Training')) last = Math.max(last, p.step);
    return false;
  }, 10 * 60_000).catch(() => undefined);
  return { jobId, lastTrainingStep: () => last, settled: studio.finish(jobId, 5 * 60_000).catch(() => null) };
}

async function trial(n: number, target: Target, phase: Phase, atMs: number): Promise<Record<string, unknown>> {
  const home = path.join(work.dir, `home-${target}-${n}`);
  const report: Record<string, unknown> = { soak: 'kill-at-random', trial: n, target, phase, atMs };
  const failures: string[] = [];
  let studio = await startStudioProcess(home, modelsDir);
  try {
    const project = await studio.call('projects.create', { name: `Soak ${n}` });
    const running = await startPhase(studio, project.id, phase);
    await sleep(atMs);
    const enginePid = studio.enginePid();
    if (target === 'studio') {
      await studio.kill();
      if (enginePid !== null && !(await processGone(enginePid))) failures.push(`the engine (process ${enginePid}) outlived its studio`);
    } else {
      if (enginePid !== null) process.kill(enginePid, 'SIGKILL');
      await running.settled;
      await studio.close();
    }
    const seenStep = running.lastTrainingStep();
    const runDir = path.join(project.folder, 'runs', `run-${running.jobId}`);
    const checkpointBefore = phase === 'training' ? ((await listCheckpoints(runDir))[0]?.step ?? 0) : null;

    studio = await startStudioProcess(home, modelsDir);
    report['repaired'] = studio.repaired;
    const audit = await studio.audit();
    if (audit.integrity !== 'ok') failures.push(`integrity_check: ${audit.integrity}`);
    if (audit.filesWithoutRows.length > 0) failures.push(`files without rows: ${audit.filesWithoutRows.slice(0, 5).join(', ')}`);
    if (audit.rowsWithoutFiles.length > 0) failures.push(`rows without files: ${audit.rowsWithoutFiles.slice(0, 5).join(', ')}`);

    if (phase === 'training' && running.jobId !== null) {
      const job = (await studio.call('jobs.list', { projectId: project.id, limit: 10 })).find((j) => j.id === running.jobId)!;
      report['status'] = job.status;
      if (job.status !== 'succeeded') {
        // Resumed and stopped at once: the record keeps the step the resume starts from.
        const { jobId } = await studio.call('train.resume', { jobId: job.id });
        await studio.call('jobs.cancel', { jobId });
        const resumed = await studio.finish(jobId, 120_000);
        Object.assign(report, { seenStep, checkpointBefore, resumedStep: resumed.step });
        if (resumed.step !== checkpointBefore) failures.push(`resumed at step ${resumed.step}, the last checkpoint before the kill was step ${checkpointBefore}`);
        if (seenStep - resumed.step > CHECKPOINT_EVERY) failures.push(`lost ${seenStep - resumed.step} steps, more than one checkpoint interval (${CHECKPOINT_EVERY})`);
      }
    }
    await studio.close();
    // And once more: what the resume and the close left must also hold together.
    studio = await startStudioProcess(home, modelsDir);
    const after = await studio.audit();
    if (after.integrity !== 'ok' || after.filesWithoutRows.length + after.rowsWithoutFiles.length > 0) failures.push(`after the next start: ${JSON.stringify(after).slice(0, 300)}`);
    await studio.close();
  } catch (err) {
    failures.push(`trial error: ${(err as Error).message}`);
    await studio.kill().catch(() => undefined);
  }
  return { ...report, ok: failures.length === 0, ...(failures.length === 0 ? {} : { failures }) };
}

const phases: Phase[] = ['training', 'import', 'export'];
let run = 0;
let failed = 0;
let stoppedByTime = false;
try {
  for (const target of ['studio', 'engine'] as const) {
    for (let i = 0; i < trials; i++) {
      if (Date.now() - started > timeLimitMs) {
        stoppedByTime = true;
        break;
      }
      const phase = phases[Math.floor(random() * phases.length)]!;
      const atMs = Math.round(100 + random() * WINDOW_MS[phase]);
      const result = await trial(++run, target, phase, atMs);
      if (!result['ok']) failed++;
      console.log(JSON.stringify(result));
    }
  }
} finally {
  await work.remove();
}
console.log(JSON.stringify({ soak: 'kill-at-random', summary: true, seed, trials: run, failed, ok: failed === 0 && run > 0, stoppedByTime, seconds: Math.round((Date.now() - started) / 1000) }));
process.exit(failed === 0 && run > 0 ? 0 : 1);

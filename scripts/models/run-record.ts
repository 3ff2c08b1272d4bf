// Brings a demo model's run record (assets/training/<id>/run.json) up to date from the library its training runs in:
// one session per training job, loss means per 250 iterations, KID, where the run stands and its kept checkpoint.
// Demo models train across sessions on machines that do not outlive them, so the record in the repository is the
// run's memory: sessions already in it are kept as they are and the library's jobs are added after them.
//   node --import tsx scripts/models/run-record.ts --library LIB --record assets/training/ID/run.json \
//     --machine "2 cores, shared with …" [--checkpoint step-NNNNNN]
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { required } from './ship-common.js';

const { values: args } = parseArgs({
  options: { library: { type: 'string' }, record: { type: 'string' }, machine: { type: 'string' }, checkpoint: { type: 'string' } },
});

/** Loss means are kept per bucket of this many iterations, as every run record so far. */
const BUCKET = 250;
/** Metrics that are not losses: progress and evaluation figures, kept apart or not at all. */
const NOT_LOSSES = new Set(['kimg', 'kid']);
/** Job settings that name this machine's folders: left out of a record that lives in the repository. */
const MACHINE_PATHS = new Set(['projectId', 'dataDir', 'dataA', 'dataB', 'photos', 'continueFrom']);

type Series = Array<[number, number]>;

interface Session {
  date: string;
  job: number;
  iterations_done: number;
  status: string;
  started: string;
  stopped: string | null;
  machine: string;
  settings?: Record<string, unknown>;
}

interface RunRecord {
  sessions?: Session[];
  iterations_done?: number;
  kimg_done?: number;
  checkpoint?: string;
  kid_by_iteration?: Series;
  losses_mean_per_250_iterations?: Record<string, Series>;
  [key: string]: unknown;
}

interface RunRow {
  id: number;
  params: string;
  status: string;
  step: number;
  started_at: string | null;
  finished_at: string | null;
}

/** Merges `fresh` points into `kept` by iteration (fresh wins), in iteration order. */
function mergeSeries(kept: Series = [], fresh: Series): Series {
  const byStep = new Map(kept);
  for (const [step, value] of fresh) byStep.set(step, value);
  return [...byStep].sort((a, b) => a[0] - b[0]);
}

const round = (v: number): number => Number(v.toPrecision(6));

const recordPath = path.resolve(required(args, 'record'));
const record = JSON.parse(await readFile(recordPath, 'utf8')) as RunRecord;
const db = new Database(path.join(path.resolve(required(args, 'library')), 'library.sqlite'), { readonly: true, fileMustExist: true });
try {
  const runs = db.prepare("SELECT id, params, status, step, started_at, finished_at FROM runs WHERE kind LIKE 'train.%' ORDER BY id").all() as RunRow[];
  if (runs.length === 0) throw new Error('The library has no training runs.');
  const sessions = record.sessions ?? [];
  const known = new Set(sessions.map((s) => s.started));
  for (const run of runs) {
    if (run.started_at === null || known.has(run.started_at)) continue;
    const params = JSON.parse(run.params) as Record<string, unknown>;
    const settings = Object.fromEntries(Object.entries(params).filter(([key]) => !MACHINE_PATHS.has(key)));
    // A fine-tune's source is part of the recipe: kept, named relative to the repository like the shipped model's.
    if (typeof params['fineTuneFrom'] === 'string') settings['fineTuneFrom'] = path.relative(process.cwd(), params['fineTuneFrom']);
    sessions.push({
      date: run.started_at.slice(0, 10),
      job: run.id,
      iterations_done: run.step,
      status: run.status,
      started: run.started_at,
      stopped: run.finished_at,
      machine: required(args, 'machine'),
      settings,
    });
  }
  record.sessions = sessions;

  const metrics = db.prepare('SELECT step, name, value FROM metrics WHERE value IS NOT NULL ORDER BY step').all() as Array<{ step: number; name: string; value: number }>;
  const buckets = new Map<string, Map<number, number[]>>();
  const kid: Series = [];
  for (const { step, name, value } of metrics) {
    if (name === 'kid') kid.push([step, round(value)]);
    if (NOT_LOSSES.has(name)) continue;
    const perBucket = buckets.get(name) ?? new Map<number, number[]>();
    const bucket = Math.ceil(step / BUCKET) * BUCKET;
    perBucket.set(bucket, [...(perBucket.get(bucket) ?? []), value]);
    buckets.set(name, perBucket);
  }
  const losses = record.losses_mean_per_250_iterations ?? {};
  for (const [name, perBucket] of buckets) {
    const means: Series = [...perBucket].map(([bucket, values]) => [bucket, round(values.reduce((a, b) => a + b, 0) / values.length)]);
    losses[name] = mergeSeries(losses[name], means);
  }
  record.losses_mean_per_250_iterations = losses;
  if (kid.length > 0) record.kid_by_iteration = mergeSeries(record.kid_by_iteration, kid);

  const last = runs.at(-1)!;
  const batchSize = (JSON.parse(last.params) as { batchSize?: number }).batchSize;
  record.iterations_done = last.step;
  if (batchSize !== undefined) record.kimg_done = (last.step * batchSize) / 1000;
  if (args.checkpoint !== undefined) record.checkpoint = args.checkpoint;
} finally {
  db.close();
}
await writeFile(recordPath, `${JSON.stringify(record, null, 1)}\n`);
console.log(`${recordPath}: ${record.sessions.length} sessions, ${record.iterations_done} iterations`);

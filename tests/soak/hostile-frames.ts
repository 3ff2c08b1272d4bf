// Soak: a real studio in browser-window mode (loopback, temp home) fed thousands of seeded hostile WebSocket frames
// covering every contract method and every path-like field. Passes when every frame gets an answer (an error value,
// or a result where the input happened to be valid), the server still answers at the end, and nothing was written
// outside the library home. Run: node --import tsx tests/soak/hostile-frames.ts [--frames N] [--seed S] [--time-limit SECONDS]
import { mkdir, mkdtemp, readdir, lstat, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { errorCodes } from '../../main/api/errors.js';
import { methodNames, type MethodName } from '../../main/api/contract.js';
import { openStudio } from '../../main/studio.js';
import { startBrowserServer } from '../../main/transport/ws/server.js';

export interface SoakOptions {
  frames: number;
  seed: number;
  timeLimitS: number;
  /** One JSON line per method and the summary line; the integration test collects them instead of printing. */
  print: (line: string) => void;
}

export interface SoakSummary {
  soak: 'hostile-frames';
  seed: number;
  frames: number;
  answered: number;
  errors: number;
  results: number;
  errorCodes: Record<string, number>;
  unanswered: number;
  badShape: number;
  internal: number;
  crashes: number;
  reconnects: number;
  late: number; // answers that came after their frame had timed out (each also counted as unanswered)
  aliveAtEnd: boolean;
  writtenOutside: string[];
  coveredMethods: number;
  seconds: number;
  passed: boolean;
}

/** mulberry32: small, fast and the same on every machine, so a seed names one exact run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Places {
  outside: string; // the sentinel tree frames aim at; must not change
  project: string; // the soak project's folder (its links lead outside)
  pics: string; // a real folder of pictures, outside the library: reading it is allowed
}

/** Values a path-like field is fed: traversal, absolute paths outside, links out of the project, NUL, junk. */
function hostilePaths(p: Places): unknown[] {
  return [
    '../../outside', '../../../../../../etc/passwd', 'a/../../b', 'relative', './x', '', '.', '..', '~/x',
    p.outside, path.join(p.outside, 'secret.txt'), path.join(p.outside, 'new-folder'), `${p.outside}/../outside/./x`,
    path.join(p.project, 'escape'), path.join(p.project, 'escape', 'x.png'), path.join(p.project, 'exports', 'out-link', 'x'),
    'out-link', 'out-link/deeper', '/dev/null', '/dev/zero', '/proc/self/environ', '/', 'C:\\Windows\\System32', '\\\\server\\share\\x',
    `/tmp/a\0b`, 'x\0', `${p.outside}\0.png`, 'file:///etc/passwd', 'a'.repeat(5000), `/${'a/'.repeat(3000)}`,
    p.pics, path.join(p.pics, 'a.png'), 42, -1, null, true, [], {}, ['/x'], { path: '/x' },
  ];
}

const hostileValues = (r: () => number): unknown[] => [
  null, undefined, true, 0, -1, -(2 ** 53), 2 ** 53 + 7, 1e308, -1e308, 1.5, Number.MAX_SAFE_INTEGER, 'x', '', 'x'.repeat(2000 + Math.floor(r() * 20000)),
  '\0', '<script>', [], [null], {}, { __proto__: { polluted: 1 } }, JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: { prototype: { polluted: 1 } } },
  nested(50 + Math.floor(r() * 200)), Array.from({ length: 5000 }, (_, i) => i),
];

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A plausible call of each method (ids that exist or nearly), and which of its fields are paths. */
function templates(p: Places): Record<MethodName, { params: Record<string, unknown>; paths: string[] }> {
  const t = (params: Record<string, unknown>, paths: string[] = []) => ({ params, paths });
  return {
    'studio.info': t({}),
    'projects.list': t({}),
    'projects.create': t({ name: 'Soak' }),
    'projects.delete': t({ projectId: 99 }), // never the soak's own project: its links are part of the check
    'assets.list': t({ projectId: 1, limit: 10 }),
    'assets.upload': t({ projectId: 1, files: [{ name: 'a.png', dataBase64: PNG_1PX }] }, ['files.0.name']),
    'assets.importFolder': t({ projectId: 1, path: p.pics, recursive: false }, ['path']),
    'assets.delete': t({ projectId: 1, assetIds: [1] }),
    'assets.tag': t({ projectId: 1, assetIds: [1], tag: 'x' }),
    'assets.lineage': t({ projectId: 1, assetId: 1 }),
    'tags.list': t({ projectId: 1 }),
    'jobs.list': t({ projectId: 1 }),
    'models.list': t({}),
    'sketch.render': t({ modelId: 1, sketchPngBase64: PNG_1PX }),
    'sketch.edges': t({ modelId: 1, source: { assetId: 1 } }),
    'stylegan.generate': t({ modelId: 1, seeds: [1] }),
    'stylegan.save': t({ projectId: 1, modelId: 1, seeds: [1] }),
    'stylegan.layout': t({ modelId: 1 }),
    'stylegan.mix': t({ modelId: 1, sources: [{ kind: 'seed', seed: 1 }], layerWeights: [[1]] }),
    'stylegan.saveMix': t({ projectId: 1, modelId: 1, sources: [{ kind: 'seed', seed: 1 }], layerWeights: [[1]] }),
    'stylegan.invert': t({ projectId: 1, modelId: 1, assetId: 1, steps: 10 }),
    'stylegan.interpolate': t({ projectId: 1, modelId: 1, keyframes: [{ kind: 'seed', seed: 1 }, { kind: 'seed', seed: 2 }] }),
    'upscale.assets': t({ projectId: 1, assetIds: [1] }),
    'transfer.images': t({ projectId: 1, modelId: 1, direction: 'AtoB', folder: p.pics, exportDir: 'out' }, ['folder', 'files.0', 'exportDir']),
    'sketch.save': t({ projectId: 1, modelId: 1, sketchPngBase64: PNG_1PX }),
    'assets.export': t({ projectId: 1, assetId: 1, format: 'png' }),
    'models.exportOnnx': t({ projectId: 1, modelId: 1 }),
    'models.exportTfjs': t({ projectId: 1, modelId: 1 }),
    'models.importOnnx': t({ projectId: 1, onnxPath: path.join(p.outside, 'm.onnx') }, ['onnxPath', 'manifestPath']),
    'datasets.list': t({ projectId: 1 }),
    'datasets.prepare': t({ projectId: 1, name: 'd', source: { kind: 'photos', dir: p.pics } }, ['source.dir', 'source.aDir', 'source.bDir', 'name']),
    'train.start': t({ projectId: 1, dataset: 'd', name: 'n', epochs: 0, epochsDecay: 0 }, ['continueFrom', 'dataset']),
    'train.stylegan2': t({ projectId: 1, name: 'n', dataDir: p.pics, totalKimg: 0.001 }, ['dataDir', 'continueFrom', 'fineTuneFrom']),
    'train.pggan': t({ projectId: 1, name: 'n', dataDir: p.pics, totalKimg: 0.001 }, ['dataDir', 'continueFrom']),
    'train.fineTuneModels': t({ projectId: 1 }),
    'train.cyclegan': t({ projectId: 1, name: 'n', dataA: p.pics, dataB: p.pics, epochs: 0, epochsDecay: 0 }, ['dataA', 'dataB', 'continueFrom']),
    'train.resume': t({ jobId: 1 }),
    'runs.metrics': t({ jobId: 1 }),
    'jobs.cancel': t({ jobId: 1 }),
  };
}

function setAt(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = /^\d+$/.test(keys[keys.indexOf(key) + 1] ?? '') ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  // defineProperty, so "__proto__" becomes an own key that JSON.stringify sends, as a hostile client would.
  Object.defineProperty(node, keys.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

type Frame = { kind: string; method: string; data: string | Buffer; id: number | null };

/** Frame `i` of the run: every method in turn (so each is covered), its params mutated; some frames are raw junk. */
function makeFrame(i: number, r: () => number, places: Places, calls: ReturnType<typeof templates>): Frame {
  const roll = r();
  if (roll < 0.12) {
    const junk: Array<[string, string | Buffer]> = [
      ['non-json', '{not json'], ['json-null', 'null'], ['json-number', String(r() * 1e6)], ['json-string', '"call"'], ['json-array', '[1,{"id":1}]'],
      ['json-bool', 'false'], ['empty', ''], ['binary', Buffer.from(Array.from({ length: 1 + Math.floor(r() * 64) }, () => Math.floor(r() * 256)))],
      ['deep-nesting', '['.repeat(20000) + ']'.repeat(20000)], ['deep-object', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
      ['no-id', JSON.stringify({ type: 'call', method: 'projects.list', params: {} })], ['string-id', JSON.stringify({ type: 'call', id: 'x', method: 'studio.info', params: {} })],
      ['huge-frame', JSON.stringify({ type: 'call', id: 1, method: 'projects.create', params: { name: 'x'.repeat(1_000_000 + Math.floor(r() * 3_000_000)) } })],
    ];
    const [kind, data] = pick(r, junk);
    // A huge frame carries id 1; the rest have no readable id and are answered with id null.
    return { kind, method: `(${kind})`, data, id: kind === 'huge-frame' ? 1 : null };
  }
  const method = roll < 0.16 ? pick(r, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'fs.readFile', 'studio', '', 'x'.repeat(10000)]) : methodNames[i % methodNames.length]!;
  const template = Object.hasOwn(calls, method) ? calls[method as MethodName] : { params: {}, paths: [] as string[] };
  const params = structuredClone(template.params);
  const mutations = Math.floor(r() * 3);
  let kind = 'call';
  if (template.paths.length > 0 && r() < 0.6) {
    setAt(params, pick(r, template.paths), pick(r, hostilePaths(places)));
    kind = 'path';
  }
  for (let m = 0; m < mutations; m++) {
    const keys = Object.keys(params);
    const key = keys.length > 0 && r() < 0.8 ? pick(r, keys) : pick(r, ['__proto__', 'constructor', 'prototype', 'extra', 'projectId']);
    setAt(params, key, pick(r, hostileValues(r)));
    kind = kind === 'path' ? 'path+values' : 'values';
  }
  const idRoll = r();
  const id = idRoll < 0.05 ? -Math.floor(r() * 1e9) - 1 : idRoll < 0.07 ? Number.MAX_SAFE_INTEGER : 1 + Math.floor(r() * 1e9);
  const wrapper: Record<string, unknown> = { type: 'call', id, method, params: r() < 0.03 ? pick(r, [null, 'x', [1], 7]) : params };
  // JSON.stringify drops a "__proto__" own key made by JSON.parse only if it is not own: these are own, so they travel.
  return { kind, method, data: JSON.stringify(wrapper), id };
}

interface Answer {
  type: string;
  id: unknown;
  result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

/**
 * A socket that hands back the answer to the frame just sent, matched by id (id null for frames without a readable id),
 * so an answer that comes after its frame timed out is counted as late, never taken for the next frame's. Reconnects
 * when the server closed the socket.
 */
class Client {
  #ws!: WebSocket;
  #waiting: { id: number | null; wake: (answer: Answer | null) => void } | null = null;
  reconnects = 0;
  late = 0;
  constructor(readonly url: string, readonly origin: string) {}

  async open(): Promise<void> {
    this.#ws = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(this.url, { headers: { Origin: this.origin }, maxPayload: 256 * 1024 * 1024 });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
    this.#ws.on('message', (data) => {
      const answer = JSON.parse(data.toString()) as Answer;
      if (answer.type !== 'result') return;
      const waiting = this.#waiting;
      if (waiting !== null && answer.id === waiting.id) {
        this.#waiting = null;
        waiting.wake(answer);
      } else this.late++;
    });
    this.#ws.on('close', () => {
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.wake(null);
    });
    this.#ws.on('error', () => undefined);
  }

  /** Sends one frame and resolves with its answer, or null when none came (socket closed, or timeout). */
  async exchange(data: string | Buffer, id: number | null, timeoutMs: number): Promise<Answer | null> {
    if (this.#ws.readyState !== WebSocket.OPEN) {
      this.reconnects++;
      await this.open();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting = null;
        resolve(null);
      }, timeoutMs);
      this.#waiting = {
        id,
        wake: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
      };
      this.#ws.send(data, { binary: Buffer.isBuffer(data) });
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** path → size and mtime of everything under `root` (links not followed), to tell whether anything changed. */
async function snapshot(root: string, skip: ReadonlySet<string> = new Set(), depth = 6): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, level: number): Promise<void> => {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (skip.has(name)) continue;
      const full = path.join(dir, name);
      const info = await lstat(full).catch(() => null);
      if (info === null) continue;
      out.set(full, info.isDirectory() ? 'dir' : `${info.size}:${info.mtimeMs}`);
      if (info.isDirectory() && level < depth) await walk(full, level + 1);
    }
  };
  await walk(root, 0);
  return out;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [file, state] of after) if (before.get(file) !== state) changed.push(file);
  for (const file of before.keys()) if (!after.has(file)) changed.push(`${file} (removed)`);
  return changed;
}

export async function runHostileFrames(options: SoakOptions): Promise<SoakSummary> {
  const started = Date.now();
  let crashes = 0;
  const onCrash = (err: unknown) => {
    crashes++;
    options.print(JSON.stringify({ crash: String(err instanceof Error ? err.stack ?? err.message : err).slice(0, 500) }));
  };
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);

  const home = await mkdtemp(path.join(tmpdir(), 'gan-studio-soak-'));
  const places: Places = { outside: path.join(home, 'outside'), project: '', pics: path.join(home, 'outside', 'pics') };
  const rendererDir = path.join(home, 'renderer');
  await mkdir(places.pics, { recursive: true });
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  await writeFile(path.join(places.outside, 'secret.txt'), 'must stay as it is');
  await writeFile(path.join(places.pics, 'a.png'), Buffer.from(PNG_1PX, 'base64'));
  await mkdir(path.join(home, 'models'));

  // The engine starts now, as in browser-window mode (main/cli/browser-mode.ts): engine calls queue until it is up.
  const studio = await openStudio({ home: path.join(home, 'library'), builtinModelsDir: path.join(home, 'models') });
  const project = studio.library.createProject('Soak');
  places.project = project.folder;
  // Links out of the project: a frame that reaches through them must be refused, never write there.
  await mkdir(path.join(project.folder, 'exports'), { recursive: true });
  await symlink(places.outside, path.join(project.folder, 'escape'));
  await symlink(places.outside, path.join(project.folder, 'exports', 'out-link'));
  const server = await startBrowserServer(studio, { rendererDir });
  const origin = `http://127.0.0.1:${server.port}`;
  const client = new Client(`ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(server.token)}`, origin);
  await client.open();

  const cwd = process.cwd();
  const outsideBefore = await snapshot(places.outside);
  const cwdBefore = await snapshot(cwd, new Set(['node_modules', '.git', 'dist']), 2);
  const homeBefore = new Set(await readdir(home));

  const calls = templates(places);
  const r = rng(options.seed);
  const perMethod = new Map<string, { frames: number; results: number; errors: Record<string, number> }>();
  const codes: Record<string, number> = {};
  const problems: string[] = [];
  let sent = 0;
  let answered = 0;
  let results = 0;
  let errors = 0;
  let unanswered = 0;
  let badShape = 0;
  let internal = 0;
  const known = new Set<string>(errorCodes);
  for (let i = 0; i < options.frames; i++) {
    if ((Date.now() - started) / 1000 > options.timeLimitS) break;
    const frame = makeFrame(i, r, places, calls);
    sent++;
    const stats = perMethod.get(frame.method) ?? { frames: 0, results: 0, errors: {} };
    perMethod.set(frame.method, stats);
    stats.frames++;
    // Generous: the first call that needs the engine waits for its process to start, slow on a busy machine.
    const answer = await client.exchange(frame.data, frame.id, 120_000);
    if (answer === null) {
      unanswered++;
      problems.push(`frame ${i} (${frame.kind} ${frame.method.slice(0, 40)}): no answer ${String(frame.data).slice(0, 300)}`);
      continue;
    }
    answered++;
    const result = answer.result;
    if (result?.ok === true) {
      results++;
      stats.results++;
      // A job a frame happened to start validly is stopped at once: the soak is about the boundary, not training.
      const jobId = (result.value as { jobId?: unknown } | null)?.jobId;
      if (typeof jobId === 'number') studio.jobs.cancel(jobId);
    } else if (result?.ok === false && typeof result.error?.message === 'string' && known.has(result.error.code)) {
      errors++;
      codes[result.error.code] = (codes[result.error.code] ?? 0) + 1;
      stats.errors[result.error.code] = (stats.errors[result.error.code] ?? 0) + 1;
      if (result.error.code === 'INTERNAL') {
        internal++;
        problems.push(`frame ${i} (${frame.kind} ${frame.method}): INTERNAL ${result.error.message.slice(0, 200)}`);
      }
    } else {
      badShape++;
      problems.push(`frame ${i}: malformed answer ${JSON.stringify(answer).slice(0, 200)}`);
    }
  }

  // Jobs cancelled above finish in the engine; wait for them before judging the file system.
  for (let waited = 0; waited < 60_000; waited += 250) {
    if (!studio.library.listRuns({ limit: 1000 }).some((j) => j.status === 'queued' || j.status === 'running')) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const ping = await client.exchange(JSON.stringify({ type: 'call', id: 424242, method: 'studio.info', params: {} }), 424242, 10_000);
  const aliveAtEnd = ping?.id === 424242 && ping.result?.ok === true;
  client.close();

  const writtenOutside = [
    ...changes(outsideBefore, await snapshot(places.outside)),
    ...changes(cwdBefore, await snapshot(cwd, new Set(['node_modules', '.git', 'dist']), 2)),
    ...(await readdir(home)).filter((name) => !homeBefore.has(name)).map((name) => path.join(home, name)),
  ];
  await server.close();
  await studio.close();
  await rm(home, { recursive: true, force: true });
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);

  for (const [method, stats] of [...perMethod].sort(([a], [b]) => a.localeCompare(b))) {
    options.print(JSON.stringify({ method: method.length > 60 ? `${method.slice(0, 20)}…(${method.length} chars)` : method, ...stats }));
  }
  for (const problem of problems.slice(0, 20)) options.print(JSON.stringify({ problem }));
  const coveredMethods = methodNames.filter((m) => perMethod.has(m)).length;
  const summary: SoakSummary = {
    soak: 'hostile-frames',
    seed: options.seed,
    frames: sent,
    answered,
    errors,
    results,
    errorCodes: codes,
    unanswered,
    badShape,
    internal,
    crashes,
    reconnects: client.reconnects,
    late: client.late,
    aliveAtEnd,
    writtenOutside,
    coveredMethods,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    passed: false,
  };
  summary.passed = unanswered === 0 && badShape === 0 && internal === 0 && crashes === 0 && aliveAtEnd && writtenOutside.length === 0 && (sent < methodNames.length || coveredMethods === methodNames.length);
  options.print(JSON.stringify(summary));
  return summary;
}

function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const frames = Number(argValue(args, '--frames') ?? 2000);
  const seed = Number(argValue(args, '--seed') ?? Date.now() % 2 ** 31);
  const timeLimitS = Number(argValue(args, '--time-limit') ?? 600);
  if (![frames, seed, timeLimitS].every((n) => Number.isFinite(n) && n >= 0)) {
    console.error('usage: node --import tsx tests/soak/hostile-frames.ts [--frames N] [--seed S] [--time-limit SECONDS]');
    process.exit(2);
  }
  console.log(JSON.stringify({ soak: 'hostile-frames', seed, frames, timeLimitS }));
  const summary = await runHostileFrames({ frames, seed, timeLimitS, print: (line) => console.log(line) });
  process.exit(summary.passed ? 0 : 1);
}

// Checkpoints of training runs: <runDir>/checkpoints/step-000123/ holds a model folder (every network, float32) plus
// state.json (the run's position and random streams, the optimizers' step and manifest) and optimizer.bin (Adam's m, v),
// and for runs that keep tensors besides their networks (CycleGAN's image pools) run-tensors.bin.
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../api/errors.js';
import type { AdamMoments, AdamState } from '../../models/common/adam.js';
import type { TrainingSnapshot } from '../../models/common/training-host.js';
import type { HostTensor } from '../../models/common/host-tensor.js';
import type { CycleGANSnapshot } from '../../models/cyclegan/train.js';
import type { PGGANSnapshot } from '../../models/pggan/train.js';
import type { Pix2pixSnapshot } from '../../models/pix2pix/train.js';
import type { StyleGAN2Snapshot } from '../../models/stylegan/train.js';
import { writeFolderAtomic, type FolderIo } from './atomic-folder.js';
import { familyNamed } from '../../models/families.js';
import { encodeModelFolder, isDiscriminatorTensor, MODEL_JSON as MODEL_JSON_FILE, readModelFolder, readModelJson, refuse, WEIGHTS_BIN, type ModelLicence, type ModelProvenance } from './model-folder.js';
import { parseUntrustedJson } from './untrusted-json.js';

export const CHECKPOINT_FORMAT_VERSION = 1;
export const STATE_JSON = 'state.json';
export const OPTIMIZER_BIN = 'optimizer.bin';
export const RUN_TENSORS_BIN = 'run-tensors.bin';
const CHECKPOINTS = 'checkpoints';
const stepFolder = /^step-(\d{6,})$/;

// What a run hands to a checkpoint: declared in models/common, beside the training tasks that make them.
export type { TrainingSnapshot } from '../../models/common/training-host.js';

export interface CheckpointRef {
  dir: string;
  step: number;
}

export interface SaveCheckpointOptions {
  keep?: number; // the last K checkpoints kept (default 3); older ones are removed after the new one is complete
  licence?: ModelLicence; // of the weights (default: LicenseRef-unreleased, a run's own intermediate result)
  provenance?: Partial<Omit<ModelProvenance, 'steps' | 'createdAt'>>;
  io?: FolderIo; // how files reach the disk (tests inject a failing one)
}

const MomentEntry = z.object({ name: z.string().min(1), length: z.number().int().min(0), byteOffset: z.number().int().min(0) }).strict();
const BinFile = z.object({ byteLength: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
const RunTensorEntry = z.object({ name: z.string().min(1), shape: z.array(z.number().int().min(0)), byteOffset: z.number().int().min(0) }).strict();
const StateJson = z
  .object({
    formatVersion: z.literal(CHECKPOINT_FORMAT_VERSION),
    family: z.string(),
    step: z.number().int().min(0),
    run: z.unknown(),
    // Per optimizer: its step and rate, and where each variable's m (then v, right after it) lies in optimizer.bin.
    optimizers: z.record(z.string(), z.object({ step: z.number().int().min(0), learningRate: z.number().min(0), moments: z.array(MomentEntry) }).strict()),
    optimizerBin: BinFile,
    // run-tensors.bin: float32 little-endian, each tensor at its byteOffset (absent when the run keeps none).
    runTensors: BinFile.extend({ tensors: z.array(RunTensorEntry) }).strict().optional(),
  })
  .strict();
type StateJson = z.infer<typeof StateJson>;

export const checkpointsFolder = (runDir: string): string => path.join(runDir, CHECKPOINTS);
export const checkpointFolder = (runDir: string, step: number): string => path.join(checkpointsFolder(runDir), `step-${String(step).padStart(6, '0')}`);

/** optimizer.bin: for each optimizer, for each variable, m then v, float32 little-endian. */
function encodeOptimizers(optimizers: Readonly<Record<string, AdamState>>): { bin: Buffer; manifest: StateJson['optimizers'] } {
  const chunks: Uint8Array[] = [];
  const manifest: StateJson['optimizers'] = {};
  let byteOffset = 0;
  for (const [network, { step, learningRate, moments }] of Object.entries(optimizers)) {
    const entries: z.infer<typeof MomentEntry>[] = [];
    for (const [name, { m, v }] of moments) {
      if (m.length !== v.length) throw new Error(`checkpoint: ${network} moments of ${name} differ in length`);
      entries.push({ name, length: m.length, byteOffset });
      for (const a of [m, v]) chunks.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      byteOffset += 8 * m.length;
    }
    manifest[network] = { step, learningRate, moments: entries };
  }
  return { bin: Buffer.concat(chunks, byteOffset), manifest };
}

/** run-tensors.bin: each tensor's float32 values one after the other. */
function encodeRunTensors(tensors: ReadonlyMap<string, HostTensor>): { bin: Buffer; entries: z.infer<typeof RunTensorEntry>[] } {
  const chunks: Uint8Array[] = [];
  const entries: z.infer<typeof RunTensorEntry>[] = [];
  let byteOffset = 0;
  for (const [name, { shape, data }] of tensors) {
    if (shape.reduce((n, d) => n * d, 1) !== data.length) throw new Error(`checkpoint: run tensor ${name} has ${data.length} values for shape [${shape.join(', ')}]`);
    entries.push({ name, shape: [...shape], byteOffset });
    chunks.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    byteOffset += data.byteLength;
  }
  return { bin: Buffer.concat(chunks, byteOffset), entries };
}

const sha256Of = (bin: Buffer): string => createHash('sha256').update(bin).digest('hex');

/**
 * Writes `<runDir>/checkpoints/step-NNNNNN/` atomically (temp sibling, fsync, rename: see atomic-folder.ts), then
 * removes all but the last `keep`. A failure while writing leaves every earlier checkpoint as it was.
 */
export async function saveCheckpoint(runDir: string, snapshot: TrainingSnapshot, options: SaveCheckpointOptions = {}): Promise<CheckpointRef> {
  const keep = options.keep ?? 3;
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`saveCheckpoint: keep must be a positive integer, got ${keep}`);
  const { step } = snapshot.state;
  const { files } = encodeModelFolder({
    family: snapshot.family,
    config: snapshot.config,
    tensors: snapshot.weights,
    licence: options.licence ?? { spdx: 'LicenseRef-unreleased' },
    provenance: { run: null, dataset: null, metrics: {}, ...options.provenance, steps: step },
  });
  const { bin, manifest } = encodeOptimizers(snapshot.optimizers);
  const runTensors = snapshot.runTensors === undefined ? null : encodeRunTensors(snapshot.runTensors);
  const state: StateJson = {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    family: snapshot.family,
    step,
    run: snapshot.state,
    optimizers: manifest,
    optimizerBin: { byteLength: bin.byteLength, sha256: sha256Of(bin) },
    ...(runTensors === null ? {} : { runTensors: { byteLength: runTensors.bin.byteLength, sha256: sha256Of(runTensors.bin), tensors: runTensors.entries } }),
  };
  const dir = checkpointFolder(runDir, step);
  const runTensorsFile = runTensors === null ? [] : [{ name: RUN_TENSORS_BIN, data: runTensors.bin }];
  await writeFolderAtomic(dir, [...files, { name: OPTIMIZER_BIN, data: bin }, ...runTensorsFile, { name: STATE_JSON, data: `${JSON.stringify(state)}\n` }], options.io);
  await pruneCheckpoints(runDir, keep);
  return { dir, step };
}

async function stepFolders(runDir: string): Promise<CheckpointRef[]> {
  let names: string[];
  try {
    names = await fsp.readdir(checkpointsFolder(runDir));
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: stepFolder.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
    .map(({ name, match }) => ({ dir: path.join(checkpointsFolder(runDir), name), step: Number(match[1]) }))
    .sort((x, y) => y.step - x.step);
}

async function readStateJson(dir: string): Promise<StateJson> {
  const text = await fsp.readFile(path.join(dir, STATE_JSON), 'utf8').catch(() => null);
  if (text === null) throw refuse(dir, 'missing', `${STATE_JSON} is missing`);
  const json = parseUntrustedJson(text);
  if (!json.ok) throw refuse(dir, 'missing', `${STATE_JSON} is not JSON (${json.problem})`);
  const raw = json.value;
  const parsed = StateJson.safeParse(raw);
  if (!parsed.success) throw refuse(dir, 'format', `${STATE_JSON} is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const fileSize = (file: string): Promise<number> => fsp.stat(file).then((s) => s.size, () => -1);

/** A cheap completeness check (both JSON files valid, both binaries the declared size); sha256 is checked on load. */
async function isComplete({ dir, step }: CheckpointRef): Promise<boolean> {
  try {
    const [meta, state] = await Promise.all([readModelJson(dir), readStateJson(dir)]);
    if (state.step !== step || state.family !== meta.family) return false;
    const [weights, optimizer, runTensors] = await Promise.all([fileSize(path.join(dir, WEIGHTS_BIN)), fileSize(path.join(dir, OPTIMIZER_BIN)), fileSize(path.join(dir, RUN_TENSORS_BIN))]);
    return weights === meta.weights.byteLength && optimizer === state.optimizerBin.byteLength && (state.runTensors === undefined || runTensors === state.runTensors.byteLength);
  } catch {
    return false;
  }
}

/** The run's complete checkpoints, newest first (folders that fail the completeness check are left out). */
export async function listCheckpoints(runDir: string): Promise<CheckpointRef[]> {
  const found: CheckpointRef[] = [];
  for (const ref of await stepFolders(runDir)) if (await isComplete(ref)) found.push(ref);
  return found;
}

/** The newest complete checkpoint of the run, or null; incomplete or damaged folders are skipped. */
export async function latestCheckpoint(runDir: string): Promise<CheckpointRef | null> {
  for (const ref of await stepFolders(runDir)) if (await isComplete(ref)) return ref;
  return null;
}

/** Keeps the newest `keep` step folders; removes older ones and leftovers of interrupted writes (one writer per run). */
async function pruneCheckpoints(runDir: string, keep: number): Promise<void> {
  const folder = checkpointsFolder(runDir);
  const complete = await listCheckpoints(runDir);
  const kept = new Set(complete.slice(0, keep).map((ref) => ref.dir));
  const oldestKept = complete[Math.min(keep, complete.length) - 1]?.step ?? 0;
  for (const ref of await stepFolders(runDir)) {
    // Incomplete folders newer than the kept ones are left alone: they are nobody's to judge here.
    if (!kept.has(ref.dir) && ref.step <= oldestKept) await fsp.rm(ref.dir, { recursive: true, force: true });
  }
  for (const name of await fsp.readdir(folder)) {
    if (/^\.step-\d+\.(tmp|old)-/.test(name)) await fsp.rm(path.join(folder, name), { recursive: true, force: true });
  }
}

/** Reads a checkpoint folder back, verifying both binaries' sha256 and the run state's schema for its family. */
export async function loadCheckpoint(dir: string): Promise<TrainingSnapshot<{ step: number } & Record<string, unknown>>> {
  const { meta, tensors } = await readModelFolder(dir);
  const state = await readStateJson(dir);
  if (state.family !== meta.family) throw refuse(dir, 'format', `${STATE_JSON} is for ${state.family}, model.json for ${meta.family}`);
  const runState = familyNamed(meta.family)!.runStateSchema.safeParse(state.run);
  if (!runState.success) throw refuse(dir, 'format', `${STATE_JSON} run state is malformed: ${z.prettifyError(runState.error)}`);
  let bin: Buffer;
  try {
    bin = await fsp.readFile(path.join(dir, OPTIMIZER_BIN));
  } catch {
    throw refuse(dir, 'missing', `${OPTIMIZER_BIN} is missing`);
  }
  if (bin.byteLength !== state.optimizerBin.byteLength) {
    throw refuse(dir, 'truncated', `${OPTIMIZER_BIN} has ${bin.byteLength} bytes, ${STATE_JSON} lists ${state.optimizerBin.byteLength}`);
  }
  const sha256 = sha256Of(bin);
  if (sha256 !== state.optimizerBin.sha256) throw refuse(dir, 'checksum', `${OPTIMIZER_BIN} is corrupted: its sha256 is ${sha256}, ${STATE_JSON} expects ${state.optimizerBin.sha256}`);
  const optimizers: Record<string, AdamState> = {};
  for (const [network, { step, learningRate, moments }] of Object.entries(state.optimizers)) {
    const decoded = new Map<string, AdamMoments>();
    for (const { name, length, byteOffset } of moments) {
      if (byteOffset + 8 * length > bin.byteLength) throw refuse(dir, 'truncated', `${OPTIMIZER_BIN} ends inside the moments of ${name}`);
      const copy = (from: number): Float32Array => new Float32Array(new Uint8Array(bin.subarray(from, from + 4 * length)).buffer);
      decoded.set(name, { m: copy(byteOffset), v: copy(byteOffset + 4 * length) });
    }
    optimizers[network] = { step, learningRate, moments: decoded };
  }
  const runTensors = state.runTensors === undefined ? undefined : await readRunTensors(dir, state.runTensors);
  return {
    family: meta.family,
    config: meta.config,
    state: runState.data as { step: number } & Record<string, unknown>,
    weights: tensors,
    optimizers,
    ...(runTensors === undefined ? {} : { runTensors }),
  };
}

/** run-tensors.bin read back against its manifest in state.json (size, sha256, every tensor inside the file). */
async function readRunTensors(dir: string, manifest: NonNullable<StateJson['runTensors']>): Promise<Map<string, HostTensor>> {
  let bin: Buffer;
  try {
    bin = await fsp.readFile(path.join(dir, RUN_TENSORS_BIN));
  } catch {
    throw refuse(dir, 'missing', `${RUN_TENSORS_BIN} is missing`);
  }
  if (bin.byteLength !== manifest.byteLength) throw refuse(dir, 'truncated', `${RUN_TENSORS_BIN} has ${bin.byteLength} bytes, ${STATE_JSON} lists ${manifest.byteLength}`);
  const sha256 = sha256Of(bin);
  if (sha256 !== manifest.sha256) throw refuse(dir, 'checksum', `${RUN_TENSORS_BIN} is corrupted: its sha256 is ${sha256}, ${STATE_JSON} expects ${manifest.sha256}`);
  const tensors = new Map<string, HostTensor>();
  for (const { name, shape, byteOffset } of manifest.tensors) {
    const byteLength = 4 * shape.reduce((n, d) => n * d, 1);
    if (byteOffset + byteLength > bin.byteLength) throw refuse(dir, 'truncated', `${RUN_TENSORS_BIN} ends inside ${name}`);
    tensors.set(name, { shape, data: new Float32Array(new Uint8Array(bin.subarray(byteOffset, byteOffset + byteLength)).buffer) });
  }
  return tensors;
}

/**
 * A checkpoint as a run snapshot of `family` (refused if it holds another family or lacks one of `optimizers`, or,
 * when `needs.runTensors`, its run tensors); its run state was checked against the family's descriptor. Each family's
 * training task reads its checkpoints with this.
 */
export async function loadFamilyCheckpoint<S>(
  dir: string,
  family: string,
  optimizers: readonly string[] = ['generator', 'discriminator'],
  needs: { runTensors?: boolean } = {},
): Promise<S> {
  const snapshot = await loadCheckpoint(dir);
  if (snapshot.family !== family) throw refuse(dir, 'family', `this is a ${snapshot.family} checkpoint, not ${family}`);
  for (const name of optimizers) if (snapshot.optimizers[name] === undefined) throw refuse(dir, 'format', `${STATE_JSON} lacks the ${name}'s optimizer`);
  if (needs.runTensors === true) {
    // CycleGAN's image pools (run tensors, possibly none yet) are part of its run's state.
    if (snapshot.runTensors === undefined) throw refuse(dir, 'format', `${STATE_JSON} lists no ${RUN_TENSORS_BIN}: the image pools are missing`);
    return { ...snapshot, weights: new Map(snapshot.weights), runTensors: new Map(snapshot.runTensors) } as unknown as S;
  }
  return { ...snapshot, weights: new Map(snapshot.weights) } as unknown as S;
}

export const loadPix2pixCheckpoint = (dir: string): Promise<Pix2pixSnapshot> => loadFamilyCheckpoint(dir, 'pix2pix');
export const loadStyleGAN2Checkpoint = (dir: string): Promise<StyleGAN2Snapshot> => loadFamilyCheckpoint(dir, 'stylegan2');
export const loadPGGANCheckpoint = (dir: string): Promise<PGGANSnapshot> => loadFamilyCheckpoint(dir, 'pggan');

/**
 * Checks, when a job is created, that `dir` is something a StyleGAN2 run can fine-tune from: a checkpoint folder, a run
 * folder with a complete checkpoint, or a StyleGAN2 model folder that keeps its discriminator. Reads only the JSON
 * (the weights are read and verified when the run starts), so a wrong path fails at once with a clear sentence
 * instead of minutes later in the engine. Returns the folder as given, made absolute.
 */
export async function checkStyleGAN2FineTuneSource(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  const stats = await fsp.stat(absolute).catch(() => null);
  if (stats === null) throw new StudioError('NOT_FOUND', `There is nothing to fine-tune from at ${absolute}: it does not exist.`);
  if (!stats.isDirectory()) {
    throw new StudioError('INVALID_PARAMS', `${absolute} is a file; fine-tuning starts from a folder: a checkpoint, a training run or a StyleGAN2 model.`);
  }
  const checkpoint = (await latestCheckpoint(absolute).catch(() => null))?.dir ?? absolute;
  const isCheckpoint = (await fileSize(path.join(checkpoint, STATE_JSON))) >= 0;
  if (!isCheckpoint && (await fileSize(path.join(checkpoint, MODEL_JSON_FILE))) < 0) {
    throw new StudioError('INVALID_PARAMS', `${absolute} is not a checkpoint, a training run or a model folder: it holds no ${STATE_JSON}, no complete checkpoints/ and no ${MODEL_JSON_FILE}.`);
  }
  const meta = await readModelJson(checkpoint, 'stylegan2');
  if (!isCheckpoint && !meta.tensors.some((t) => isDiscriminatorTensor(t.name))) {
    throw refuse(checkpoint, 'architecture', 'the model keeps no discriminator to fine-tune with: start from a training run of it instead.');
  }
  return absolute;
}

/**
 * What a run of `family` can fine-tune from: a training checkpoint (a run folder means its latest), or a model folder
 * that keeps its discriminator beside its generator (the shipped demo models do; a model without one has nothing to
 * start D from, and a fresh D would first undo what G knows). `fromModel`: the weights are a model folder's.
 */
export async function loadFineTuneSource(dir: string, family: string): Promise<{ dir: string; config: unknown; weights: Map<string, HostTensor>; fromModel: boolean }> {
  const checkpoint = (await latestCheckpoint(dir))?.dir ?? dir;
  if ((await fileSize(path.join(checkpoint, STATE_JSON))) >= 0) {
    const snapshot = await loadFamilyCheckpoint<TrainingSnapshot>(checkpoint, family);
    return { dir: checkpoint, config: snapshot.config, weights: new Map(snapshot.weights), fromModel: false };
  }
  const { folder, meta, tensors } = await readModelFolder(dir, { family });
  if (![...tensors.keys()].some(isDiscriminatorTensor)) {
    throw refuse(folder, 'architecture', 'the model keeps no discriminator to fine-tune with: start from a training run of it instead');
  }
  return { dir: folder, config: meta.config, weights: new Map(tensors), fromModel: true };
}

/** A CycleGAN checkpoint: its image pools (run tensors, possibly none yet) are part of the run's state. */
export const loadCycleGANCheckpoint = (dir: string): Promise<CycleGANSnapshot> => loadFamilyCheckpoint(dir, 'cyclegan', undefined, { runTensors: true });

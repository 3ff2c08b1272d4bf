// The saved-model folder (ARCHITECTURE.md, models/): model.json (format, family, config, tensor manifest, sha256,
// licence, provenance) beside weights.bin, written atomically and refused with a precise message when it does not fit.
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { endianness } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { HostTensor } from '../../models/common/host-tensor.js';
import { namedVariables, type ParamTree } from '../../models/common/param-tree.js';
import { StudioError } from '../api/errors.js';
import { readableFolder, writeFolderAtomic, type FolderFile, type FolderIo } from './atomic-folder.js';
import { decodeFloat16, encodeFloat16 } from './float16.js';
import type { FamilyEngine } from '../../models/common/family-engine.js';
import { familyEngines } from '../../models/family-engines.js';
import { parseUntrustedJson } from './untrusted-json.js';

/** model.json's `formatVersion`; a folder from a newer studio is refused, never guessed at. */
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

const TensorEntry = z
  .object({
    name: z.string().min(1), // the variable's path in its network, e.g. generator.levels.0.down.conv.filter
    shape: z.array(z.number().int().min(0)),
    dtype: z.enum(['float32', 'float16']), // little-endian in weights.bin
    byteOffset: z.number().int().min(0),
    byteLength: z.number().int().min(0),
  })
  .strict();
export type TensorEntry = z.infer<typeof TensorEntry>;

const ModelLicence = z
  .object({
    spdx: z.string().min(1), // SPDX id of the weights' licence (e.g. MIT, CC-BY-4.0), or LicenseRef-… for others
    attribution: z.string().optional(), // the notice the licence asks to keep (dataset and model credits)
  })
  .strict();
export type ModelLicence = z.infer<typeof ModelLicence>;

const ModelProvenance = z
  .object({
    run: z.string().nullable(), // the training run's id in the library; null for imported or hand-made folders
    steps: z.number().int().min(0), // optimizer steps the weights have seen
    dataset: z.unknown().nullable(), // the recipe the training set was built from (JSON), null if unknown
    metrics: z.record(z.string(), z.number()), // held-out metrics at save time (l1, psnr…)
    fineTunedFrom: z.string().optional(), // the checkpoint, run or model folder a fine-tuned run's networks started from
    createdAt: z.string(), // ISO 8601
  })
  .strict();
export type ModelProvenance = z.infer<typeof ModelProvenance>;

const ModelJson = z
  .object({
    formatVersion: z.literal(MODEL_FORMAT_VERSION),
    family: z.string().min(1),
    config: z.unknown(),
    tensors: z.array(TensorEntry),
    weights: z.object({ file: z.literal(WEIGHTS_BIN), byteLength: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    licence: ModelLicence,
    provenance: ModelProvenance,
  })
  .strict();
export type ModelJson = z.infer<typeof ModelJson>;

/** Why a folder was refused, for the UI to act on (details.reason of a MODEL_INCOMPATIBLE error). */
export type ModelRefusal = 'missing' | 'format' | 'family' | 'config' | 'truncated' | 'checksum' | 'architecture';

export function refuse(dir: string, reason: ModelRefusal, message: string): StudioError {
  return new StudioError('MODEL_INCOMPATIBLE', `${dir}: ${message}`, { reason, dir });
}

const bytesPer = { float32: 4, float16: 2 } as const;
const product = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

// Float32Array views and buffers are in the machine's byte order; the format is little-endian.
if (endianness() !== 'LE') throw new Error('model folders: big-endian hosts are not supported');

/** Every variable of `tree` as host tensors, named by path under `prefix` (e.g. 'generator'). */
export function hostTensors(tree: ParamTree, prefix = ''): Map<string, HostTensor> {
  const tensors = new Map<string, HostTensor>();
  for (const [name, variable] of namedVariables(tree, prefix)) {
    tensors.set(name, { shape: [...variable.shape], data: (variable.dataSync() as Float32Array).slice() });
  }
  return tensors;
}

export interface SaveModelInput {
  family: string;
  config: unknown;
  tensors: ReadonlyMap<string, HostTensor>;
  licence: ModelLicence;
  provenance: Omit<ModelProvenance, 'createdAt'> & { createdAt?: string };
}

export interface SaveModelOptions {
  /**
   * Store filters (rank ≥ 2, nearly all the weights) as float16 to halve the folder; vectors (biases, norm scales,
   * running statistics) stay float32, where a float16 rounding of a small running variance would move every output.
   */
  fp16?: boolean;
  /** How files reach the disk (tests inject a failing one). */
  io?: FolderIo;
}

function familyOf(dir: string, name: string): FamilyEngine {
  const spec = familyEngines.find((family) => family.name === name);
  if (spec === undefined) throw refuse(dir, 'family', `unknown model family "${name}" (this studio reads ${familyEngines.map((family) => family.name).join(', ')})`);
  return spec;
}

function parseConfig(dir: string, spec: FamilyEngine, config: unknown): unknown {
  const parsed = spec.configSchema.safeParse(config);
  if (!parsed.success) throw refuse(dir, 'config', `not a valid ${spec.name} config: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** model.json and weights.bin of `input`: the files of a model folder (a checkpoint adds its own). */
export function encodeModelFolder(input: SaveModelInput, options: Pick<SaveModelOptions, 'fp16'> = {}): { modelJson: ModelJson; files: FolderFile[] } {
  const spec = familyOf('(new model)', input.family);
  const config = parseConfig('(new model)', spec, input.config);
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let byteOffset = 0;
  for (const [name, { shape, data }] of input.tensors) {
    if (product(shape) !== data.length) throw new Error(`saveModel: ${name} has ${data.length} values for shape ${shapeText(shape)}`);
    const dtype = options.fp16 === true && shape.length >= 2 ? 'float16' : 'float32';
    const bytes = dtype === 'float16' ? encodeFloat16(data, name) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    entries.push({ name, shape: [...shape], dtype, byteOffset, byteLength: bytes.byteLength });
    chunks.push(bytes);
    byteOffset += bytes.byteLength;
  }
  const weights = Buffer.concat(chunks, byteOffset);
  for (const [metric, value] of Object.entries(input.provenance.metrics)) {
    if (!Number.isFinite(value)) throw new Error(`saveModel: metric ${metric} is ${value}, which JSON cannot store`);
  }
  const modelJson: ModelJson = {
    formatVersion: MODEL_FORMAT_VERSION,
    family: input.family,
    config,
    tensors: entries,
    weights: { file: WEIGHTS_BIN, byteLength: weights.byteLength, sha256: createHash('sha256').update(weights).digest('hex') },
    licence: input.licence,
    provenance: { ...input.provenance, createdAt: input.provenance.createdAt ?? new Date().toISOString() },
  };
  return {
    modelJson,
    files: [
      { name: WEIGHTS_BIN, data: weights },
      { name: MODEL_JSON, data: `${JSON.stringify(modelJson, null, 2)}\n` },
    ],
  };
}

/** Writes the model folder `dir` atomically: until the new folder is complete, `dir` stays the previous model. */
export async function saveModel(dir: string, input: SaveModelInput, options: SaveModelOptions = {}): Promise<ModelJson> {
  const { modelJson, files } = encodeModelFolder(input, options);
  await writeFolderAtomic(dir, files, options.io);
  return modelJson;
}

/** model.json of `folder`, validated (format version, schema, family, config, manifest consistency). */
export async function readModelJson(folder: string, expectedFamily?: string): Promise<ModelJson> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(folder, MODEL_JSON), 'utf8');
  } catch {
    throw refuse(folder, 'missing', `no ${MODEL_JSON}: not a model folder`);
  }
  const json = parseUntrustedJson(text);
  if (!json.ok) throw refuse(folder, 'format', `${MODEL_JSON} is not valid JSON (${json.problem})`);
  const raw = json.value;
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > MODEL_FORMAT_VERSION) {
    throw refuse(folder, 'format', `${MODEL_JSON} has format version ${version}; this studio reads up to ${MODEL_FORMAT_VERSION}`);
  }
  const parsed = ModelJson.safeParse(raw);
  if (!parsed.success) throw refuse(folder, 'format', `${MODEL_JSON} is malformed: ${z.prettifyError(parsed.error)}`);
  const meta = parsed.data;
  if (expectedFamily !== undefined && meta.family !== expectedFamily) {
    throw refuse(folder, 'family', `this is a ${meta.family} model, not ${expectedFamily}`);
  }
  const spec = familyOf(folder, meta.family);
  meta.config = parseConfig(folder, spec, meta.config);
  // The manifest tiles weights.bin exactly: in order, no gaps or overlaps, each entry the size its shape and dtype need.
  let expectedOffset = 0;
  const names = new Set<string>();
  for (const entry of meta.tensors) {
    if (names.has(entry.name)) throw refuse(folder, 'format', `tensor ${entry.name} is listed twice`);
    names.add(entry.name);
    const needed = product(entry.shape) * bytesPer[entry.dtype];
    if (entry.byteLength !== needed) throw refuse(folder, 'format', `tensor ${entry.name} ${shapeText(entry.shape)} ${entry.dtype} needs ${needed} bytes, the manifest says ${entry.byteLength}`);
    if (entry.byteOffset !== expectedOffset) throw refuse(folder, 'format', `tensor ${entry.name} starts at byte ${entry.byteOffset}, expected ${expectedOffset}`);
    expectedOffset += entry.byteLength;
  }
  if (expectedOffset !== meta.weights.byteLength) {
    throw refuse(folder, 'format', `the tensors take ${expectedOffset} bytes but ${WEIGHTS_BIN} is declared as ${meta.weights.byteLength}`);
  }
  return meta;
}

/** A model folder read and verified: its metadata and every tensor as float32 host values. */
export interface ModelFolderContents {
  folder: string; // the folder read: `dir`, or the previous version an interrupted save set aside
  meta: ModelJson;
  tensors: Map<string, HostTensor>;
}

/** A tensor of a saved discriminator (its path starts "discriminator."): what a fine-tune starts D from. */
export const isDiscriminatorTensor = (name: string): boolean => name.startsWith('discriminator.');

/** Whether a model folder keeps a discriminator, read from its model.json alone. */
export async function keepsDiscriminator(folder: string): Promise<boolean> {
  try {
    return (await readModelJson(folder)).tensors.some((t) => isDiscriminatorTensor(t.name));
  } catch {
    return false;
  }
}

/** Reads and verifies a model folder's files (schema, sizes, sha256); the architecture check is `loadModel`'s. */
export async function readModelFolder(dir: string, options: { family?: string } = {}): Promise<ModelFolderContents> {
  const folder = await readableFolder(dir);
  if (folder === null) throw refuse(dir, 'missing', 'the model folder does not exist');
  const meta = await readModelJson(folder, options.family);
  let weights: Buffer;
  try {
    weights = await fsp.readFile(path.join(folder, WEIGHTS_BIN));
  } catch {
    throw refuse(folder, 'missing', `${WEIGHTS_BIN} is missing`);
  }
  if (weights.byteLength < meta.weights.byteLength) {
    throw refuse(folder, 'truncated', `${WEIGHTS_BIN} is truncated: ${weights.byteLength} bytes of the ${meta.weights.byteLength} that ${MODEL_JSON} lists`);
  }
  if (weights.byteLength > meta.weights.byteLength) {
    throw refuse(folder, 'truncated', `${WEIGHTS_BIN} has ${weights.byteLength} bytes, ${weights.byteLength - meta.weights.byteLength} more than ${MODEL_JSON} lists`);
  }
  const sha256 = createHash('sha256').update(weights).digest('hex');
  if (sha256 !== meta.weights.sha256) {
    throw refuse(folder, 'checksum', `${WEIGHTS_BIN} is corrupted: its sha256 is ${sha256}, ${MODEL_JSON} expects ${meta.weights.sha256}`);
  }
  const tensors = new Map<string, HostTensor>();
  for (const { name, shape, dtype, byteOffset, byteLength } of meta.tensors) {
    const bytes = weights.subarray(byteOffset, byteOffset + byteLength);
    // Copy into a fresh, aligned buffer: the file's buffer may start at any offset, and tensors must not share it.
    const data = dtype === 'float16' ? decodeFloat16(bytes) : new Float32Array(new Uint8Array(bytes).buffer);
    tensors.set(name, { shape, data });
  }
  return { folder, meta, tensors };
}

/** A loaded model: its metadata and its networks by part (`generator`, `discriminator`…), weights in tf variables. */
export interface LoadedModel {
  folder: string;
  meta: ModelJson;
  parts: Record<string, ParamTree>;
  /** Frees every variable of every part. */
  dispose(): void;
}

/**
 * Reads a model folder and builds its networks: besides `readModelFolder`'s checks, every tensor must be one of
 * the config's architecture with that exact shape, and every variable of each saved part must be present.
 * `family` refuses a model of another family (the caller knows what it can run).
 */
export async function loadModel(dir: string, options: { family?: string } = {}): Promise<LoadedModel> {
  const { folder, meta, tensors } = await readModelFolder(dir, options);
  const spec = familyOf(folder, meta.family);
  const saved = new Set([...tensors.keys()].map((name) => name.split('.')[0]!));
  for (const part of saved) {
    if (spec.parts[part] === undefined) throw refuse(folder, 'architecture', `tensors under "${part}." belong to no part of a ${spec.name} model (${Object.keys(spec.parts).join(', ')})`);
  }
  for (const [part, { required }] of Object.entries(spec.parts)) {
    if (required && !saved.has(part)) throw refuse(folder, 'architecture', `the ${part} is missing: no tensor under "${part}."`);
  }
  const parts = spec.create(meta.config, [...saved]);
  const dispose = (): void => {
    for (const tree of Object.values(parts)) for (const v of namedVariables(tree).values()) v.dispose();
  };
  try {
    const variables = new Map<string, tf.Variable>();
    for (const [part, tree] of Object.entries(parts)) for (const [name, v] of namedVariables(tree, part)) variables.set(name, v);
    for (const [name, { shape }] of tensors) {
      const variable = variables.get(name);
      if (variable === undefined) throw refuse(folder, 'architecture', `tensor ${name} is not part of the ${spec.name} architecture its config describes`);
      if (shapeText(shape) !== shapeText(variable.shape)) {
        throw refuse(folder, 'architecture', `tensor ${name} is ${shapeText(shape)} in ${WEIGHTS_BIN}, the config's architecture needs ${shapeText(variable.shape)}`);
      }
    }
    for (const name of variables.keys()) if (!tensors.has(name)) throw refuse(folder, 'architecture', `tensor ${name} of the architecture is missing from ${WEIGHTS_BIN}`);
    for (const [name, variable] of variables) {
      const { data, shape } = tensors.get(name)!;
      tf.tidy(() => variable.assign(tf.tensor(data, shape, 'float32')));
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return { folder, meta, parts, dispose };
}

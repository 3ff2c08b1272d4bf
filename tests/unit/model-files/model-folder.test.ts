// Saved-model folders (main/model-files/model-folder.ts): bit-exact roundtrip, fp16 storage, precise refusals of damaged or
// foreign folders, and atomic replacement that survives a failed write or a crash between its renames.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/api/errors.js';
import type { FolderIo } from '../../../main/model-files/atomic-folder.js';
import { durableIo } from '../../../main/model-files/atomic-folder.js';
import { fromFloat16Bits, toFloat16Bits } from '../../../main/model-files/float16.js';
import type { HostTensor } from '../../../models/common/host-tensor.js';
import { hostTensors, loadModel, saveModel, type ModelJson, type SaveModelInput } from '../../../main/model-files/model-folder.js';
import { countParameters, disposeParams, namedVariables } from '../../../models/common/param-tree.js';
import { pix2pixConfig, pix2pixDemoConfig } from '../../../models/pix2pix/config.js';
import { createPix2pix, createUnetGenerator } from '../../../models/pix2pix/networks.js';
import { tempDir } from '../../support/temp-home.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = pix2pixConfig(32, { ngf: 8, ndf: 8, seed: 3 });
let temp: { dir: string; remove(): Promise<void> };
beforeEach(async () => {
  temp = await tempDir('gan-studio-model-folder-');
});
afterEach(async () => temp.remove());

/** A pix2pix model's G (and optionally D) as save input. */
function modelInput(seed: number, withDiscriminator = true): SaveModelInput {
  const model = createPix2pix({ ...config, seed });
  const tensors = new Map([...hostTensors(model.generator, 'generator'), ...(withDiscriminator ? hostTensors(model.discriminator, 'discriminator') : [])]);
  disposeParams(model);
  return {
    family: 'pix2pix',
    config: { ...config, seed },
    tensors,
    licence: { spdx: 'MIT', attribution: 'test weights' },
    provenance: { run: 'run-1', steps: 12, dataset: { recipe: 'tiny-pairs', pairs: 3 }, metrics: { l1: 0.25, psnr: 14.5 } },
  };
}

function loadedValues(loaded: Awaited<ReturnType<typeof loadModel>>): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  for (const [part, tree] of Object.entries(loaded.parts)) for (const [name, v] of namedVariables(tree, part)) values.set(name, v.dataSync() as Float32Array);
  return values;
}

const sameBits = (x: Float32Array, y: Float32Array): boolean => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

async function refusal(promise: Promise<unknown>): Promise<StudioError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  expect((err as StudioError).code).toBe('MODEL_INCOMPATIBLE');
  return err as StudioError;
}

describe('model folder', () => {
  it('saves model.json + weights.bin and loads every tensor bit for bit (G, D, running statistics)', async () => {
    const dir = path.join(temp.dir, 'edges2shoes');
    const input = modelInput(3);
    await saveModel(dir, input);
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
    expect(json.formatVersion).toBe(1);
    expect(json.family).toBe('pix2pix');
    expect(json.licence.spdx).toBe('MIT');
    expect(json.provenance).toMatchObject({ run: 'run-1', steps: 12, metrics: { l1: 0.25, psnr: 14.5 } });
    expect(json.tensors[0]).toEqual({ name: 'generator.levels.0.down.conv.filter', shape: [4, 4, 3, 8], dtype: 'float32', byteOffset: 0, byteLength: 4 * 4 * 3 * 8 * 4 });
    const totalValues = [...input.tensors.values()].reduce((n, t) => n + t.data.length, 0);
    expect((await fs.stat(path.join(dir, 'weights.bin'))).size).toBe(totalValues * 4);
    const loaded = await loadModel(dir, { family: 'pix2pix' });
    const values = loadedValues(loaded);
    expect([...values.keys()]).toEqual([...input.tensors.keys()]);
    expect([...input.tensors].filter(([name, t]) => !sameBits(t.data, values.get(name)!)).map(([name]) => name)).toEqual([]);
    expect(values.has('generator.levels.1.down.norm.bn.runningVar')).toBe(true);
    loaded.dispose();
  });

  it('stores filters in float16 on request (half the size), vectors in float32', async () => {
    const dir = path.join(temp.dir, 'small');
    const input = modelInput(4, false);
    const meta = await saveModel(dir, input, { fp16: true });
    const fp32Bytes = [...input.tensors.values()].reduce((n, t) => n + 4 * t.data.length, 0);
    expect(meta.weights.byteLength).toBeLessThan(0.52 * fp32Bytes);
    expect(meta.tensors.find((t) => t.name === 'generator.levels.0.down.conv.filter')!.dtype).toBe('float16');
    expect(meta.tensors.find((t) => t.name === 'generator.levels.1.down.norm.bn.runningMean')!.dtype).toBe('float32');
    const loaded = await loadModel(dir);
    expect(Object.keys(loaded.parts)).toEqual(['generator']); // D was not saved and is not built
    const values = loadedValues(loaded);
    for (const [name, { shape, data }] of input.tensors) {
      const expected = shape.length >= 2 ? data.map((x) => fromFloat16Bits(toFloat16Bits(x))) : data;
      expect(sameBits(values.get(name)!, expected), name).toBe(true);
    }
    loaded.dispose();
  });

  it("fits the shipped demo (unet_128, ngf 32: 10.46 M weights) in the 30 MB budget with float16 filters", async () => {
    const demo = pix2pixDemoConfig({ seed: 1 });
    const g = createUnetGenerator(demo);
    expect(countParameters(g)).toBe(10_461_507);
    const dir = path.join(temp.dir, 'demo');
    await saveModel(dir, { ...modelInput(1, false), config: demo, tensors: hostTensors(g, 'generator') }, { fp16: true });
    disposeParams(g);
    const bytes = (await fs.stat(path.join(dir, 'weights.bin'))).size + (await fs.stat(path.join(dir, 'model.json'))).size;
    expect(bytes).toBeLessThan(30e6);
    expect(bytes).toBeGreaterThan(20e6);
  });

  it('refuses a corrupted weights.bin by its sha256', async () => {
    const dir = path.join(temp.dir, 'm');
    await saveModel(dir, modelInput(5));
    const file = path.join(dir, 'weights.bin');
    const bytes = await fs.readFile(file);
    bytes.writeUInt8(bytes.readUInt8(1000) ^ 0x40, 1000);
    await fs.writeFile(file, bytes);
    const err = await refusal(loadModel(dir));
    expect(err.message).toMatch(/weights\.bin is corrupted: its sha256 is [0-9a-f]{64}, model\.json expects [0-9a-f]{64}/);
    expect(err.details).toMatchObject({ reason: 'checksum' });
  });

  it('refuses a truncated weights.bin with both sizes', async () => {
    const dir = path.join(temp.dir, 'm');
    const meta = await saveModel(dir, modelInput(5));
    await fs.truncate(path.join(dir, 'weights.bin'), 1000);
    const err = await refusal(loadModel(dir));
    expect(err.message).toContain(`weights.bin is truncated: 1000 bytes of the ${meta.weights.byteLength} that model.json lists`);
    expect(err.details).toMatchObject({ reason: 'truncated' });
  });

  it('refuses another family, an unknown family and a newer format', async () => {
    const dir = path.join(temp.dir, 'm');
    await saveModel(dir, modelInput(5));
    expect((await refusal(loadModel(dir, { family: 'cyclegan' }))).message).toContain('this is a pix2pix model, not cyclegan');
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(file, JSON.stringify({ ...json, family: 'stylegan9' }));
    expect((await refusal(loadModel(dir))).message).toContain('unknown model family "stylegan9" (this studio reads pix2pix, cyclegan, stylegan2, pggan)');
    await fs.writeFile(file, JSON.stringify({ ...json, formatVersion: 2 }));
    expect((await refusal(loadModel(dir))).message).toContain('format version 2; this studio reads up to 1');
    await fs.rm(file);
    expect((await refusal(loadModel(dir))).details).toMatchObject({ reason: 'missing' });
  });

  it("refuses weights whose shapes are not the config's architecture, naming the tensor and both shapes", async () => {
    const dir = path.join(temp.dir, 'm');
    await saveModel(dir, modelInput(5));
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(await fs.readFile(file, 'utf8')) as { config: Record<string, unknown> };
    await fs.writeFile(file, JSON.stringify({ ...json, config: { ...json.config, ngf: 16 } }));
    const err = await refusal(loadModel(dir));
    expect(err.message).toContain("tensor generator.levels.0.down.conv.filter is [4, 4, 3, 8] in weights.bin, the config's architecture needs [4, 4, 3, 16]");
    expect(err.details).toMatchObject({ reason: 'architecture' });
    await fs.writeFile(file, JSON.stringify({ ...json, config: { ...json.config, norm: 'group' } }));
    expect((await refusal(loadModel(dir))).message).toMatch(/not a valid pix2pix config:[\s\S]*norm/);
  });

  it('keeps the previous folder loadable when a save fails midway (disk full), and leaves no temp folder', async () => {
    const dir = path.join(temp.dir, 'm');
    const v1 = modelInput(6);
    await saveModel(dir, v1);
    // Writes half of weights.bin, then fails as a full disk would.
    const diskFull: FolderIo = {
      async writeFile(file, data) {
        if (path.basename(file) === 'weights.bin' && typeof data !== 'string') {
          await fs.writeFile(file, data.subarray(0, data.length >> 1));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return durableIo.writeFile(file, data);
      },
    };
    await expect(saveModel(dir, modelInput(7), { io: diskFull })).rejects.toThrow(/ENOSPC/);
    expect(await fs.readdir(temp.dir)).toEqual(['m']);
    const loaded = await loadModel(dir);
    const values = loadedValues(loaded);
    expect([...v1.tensors].every(([name, t]) => sameBits(t.data, values.get(name)!))).toBe(true);
    loaded.dispose();
  });

  it('reads the set-aside previous version after a crash between the two renames; the next save repairs the folder', async () => {
    const dir = path.join(temp.dir, 'm');
    const v1 = modelInput(6);
    await saveModel(dir, v1);
    // The state a crash right after "rename the old folder aside" leaves: no `m`, a complete `.m.old-…`.
    await fs.rename(dir, path.join(temp.dir, '.m.old-1234-abcd'));
    const loaded = await loadModel(dir);
    expect(loaded.folder).toBe(path.join(temp.dir, '.m.old-1234-abcd'));
    const first: HostTensor = v1.tensors.get('generator.levels.0.down.conv.filter')!;
    expect(sameBits(loadedValues(loaded).get('generator.levels.0.down.conv.filter')!, first.data)).toBe(true);
    loaded.dispose();
    const v2 = modelInput(8);
    await saveModel(dir, v2);
    expect(await fs.readdir(temp.dir)).toEqual(['m']);
    const reloaded = await loadModel(dir);
    expect(sameBits(loadedValues(reloaded).get('generator.levels.0.down.conv.filter')!, v2.tensors.get('generator.levels.0.down.conv.filter')!.data)).toBe(true);
    reloaded.dispose();
  });
});

describe('float16', () => {
  it('rounds to nearest even and covers subnormals, the largest half and overflow', () => {
    const roundTrip = (x: number): number => fromFloat16Bits(toFloat16Bits(x));
    expect([1, -2, 0.5, 65504, 2 ** -14, 2 ** -24].map(roundTrip)).toEqual([1, -2, 0.5, 65504, 2 ** -14, 2 ** -24]);
    expect(roundTrip(1 + 2 ** -11)).toBe(1); // tie → even mantissa
    expect(roundTrip(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // tie → even (up)
    expect(roundTrip(2 ** -26)).toBe(0);
    expect(roundTrip(3 * 2 ** -26)).toBe(2 ** -24);
    expect(roundTrip(65520)).toBe(Infinity);
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Number.isNaN(roundTrip(NaN))).toBe(true);
  });
});

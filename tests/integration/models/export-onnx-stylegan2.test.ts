// A StyleGAN2 in and out of ONNX as stylegan2-ada-pytorch's G splits: synthesis (ws → image) and mapping (z → ws).
// The studio's export runs in ONNX Runtime to the studio's own numbers and imports back drawing the same seeds, mixes
// and truncations; a pair PyTorch exported (bench/reference/stylegan2.py) draws PyTorch's pictures; broken pairs are
// refused by name.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxManifest } from '../../../main/engine/tasks/export-onnx.js';
import { candidateName } from '../../../main/library/new-file.js';
import { slugOf } from '../../../main/library/project-store.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyStyleGAN2Builtin } from '../../support/tiny-models.js';

const pixelsOf = (png: string): Promise<Buffer> => sharp(Buffer.from(png, 'base64')).removeAlpha().raw().toBuffer();
const worstDiff = (a: Buffer, b: Buffer): number => a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);

describe('StyleGAN2 as an ONNX pair', () => {
  let t: TestStudio;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyStyleGAN2Builtin(dir);
      },
    });
    projectId = (await t.call('projects.create', { name: 'ONNX pair' })).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('exports mapping and synthesis that re-import drawing the same seeds, truncations and mixes', async () => {
    const [model] = await t.call('models.list', { projectId, family: 'stylegan2' });
    const exported = await t.call('models.exportOnnx', { projectId, modelId: model!.id });
    expect(exported.maxAbsDiff).toBeLessThan(1e-4);
    const manifest = JSON.parse(await readFile(exported.manifestPath, 'utf8')) as OnnxManifest;
    expect(manifest).toMatchObject({ family: 'stylegan2', resolution: 32, inputs: [{ name: 'ws', shape: [1, 8, 512] }], outputs: [{ name: 'image', shape: [1, 3, 32, 32] }] });
    expect(manifest.mapping).toMatchObject({ file: path.basename(exported.path, '.onnx') + '.mapping.onnx', inputs: [{ name: 'z', shape: [1, 512] }] });
    expect(manifest.wAvg).toHaveLength(512);

    const imported = await t.call('models.importOnnx', { projectId, onnxPath: exported.path, name: 'Round trip' });
    expect(imported).toMatchObject({ family: 'stylegan2', source: 'imported', imageSize: 32 });
    for (const settings of [{ truncationPsi: 1 }, { truncationPsi: 0.5, truncationCutoff: 4 }]) {
      const [ours, theirs] = await Promise.all([model!.id, imported.id].map((modelId) => t.call('stylegan.generate', { modelId, seeds: [3, 11], noiseMode: 'const', ...settings })));
      for (const i of [0, 1]) expect(worstDiff(await pixelsOf(ours!.imagesPngBase64[i]!), await pixelsOf(theirs!.imagesPngBase64[i]!))).toBeLessThanOrEqual(1);
    }
    const layout = await t.call('stylegan.layout', { modelId: imported.id });
    expect(layout.numWs).toBe(8);
    const mix = (modelId: number, weights: number[][]) =>
      t.call('stylegan.mix', { modelId, sources: [{ kind: 'seed', seed: 3 }, { kind: 'seed', seed: 11 }], layerWeights: weights, noiseMode: 'const' });
    const coarseFromB = Array.from({ length: 8 }, (_, l) => (l < 4 ? [0, 1] : [1, 0]));
    const [mixOurs, mixTheirs] = await Promise.all([mix(model!.id, coarseFromB), mix(imported.id, coarseFromB)]);
    expect(worstDiff(await pixelsOf(mixOurs.imagePngBase64), await pixelsOf(mixTheirs.imagePngBase64))).toBeLessThanOrEqual(1);
    // Weights (1, 0, …) on every layer give source A exactly.
    const onlyA = await mix(imported.id, Array.from({ length: 8 }, () => [1, 0]));
    const seedA = await t.call('stylegan.generate', { modelId: imported.id, seeds: [3], noiseMode: 'const' });
    expect(worstDiff(await pixelsOf(onlyA.imagePngBase64), await pixelsOf(seedA.imagesPngBase64[0]!))).toBe(0);

    // The noise is baked into the file: other noise modes are refused in words, not drawn wrongly.
    expect(await t.studio.dispatch('stylegan.generate', { modelId: imported.id, seeds: [3], noiseMode: 'random' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/constant noise/) } });
  }, 180_000);

  it('imports the pair PyTorch exported and draws PyTorch\'s pictures, truncation included', async () => {
    const imported = await t.call('models.importOnnx', { projectId, onnxPath: path.resolve('tests/fixtures/torch-stylegan2-32.onnx') });
    expect(imported).toMatchObject({ name: 'PyTorch StyleGAN2 (test fixture)', family: 'stylegan2', imageSize: 32 });
    const expected = JSON.parse(await readFile('tests/fixtures/torch-stylegan2-32.expected.json', 'utf8')) as Record<string, { head: number[]; sum: number }>;
    for (const [seed, psi] of [[0, 1], [7, 1], [7, 0.5]] as const) {
      const drawn = await t.call('stylegan.generate', { modelId: imported.id, seeds: [seed], truncationPsi: psi, noiseMode: 'const' });
      const rgb = await pixelsOf(drawn.imagesPngBase64[0]!);
      const want = expected[`seed${seed}_psi${psi.toFixed(1)}`]!;
      expect(Math.max(...want.head.map((v, i) => Math.abs(v - rgb[i]!)))).toBeLessThanOrEqual(1);
      // Rounding of a last-bit difference may move a few of the 3 072 values by one.
      expect(Math.abs(rgb.reduce((a, b) => a + b, 0) - want.sum)).toBeLessThanOrEqual(16);
    }
  }, 120_000);

  it('refuses a pair whose parts are missing or do not fit, and keeps nothing of it', async () => {
    const dir = path.join(t.dir, 'bad-pairs');
    await mkdir(dir, { recursive: true });
    const fixture = path.resolve('tests/fixtures/torch-stylegan2-32.onnx');
    const manifest = JSON.parse(await readFile(`${fixture}.json`, 'utf8')) as OnnxManifest & { mapping: NonNullable<OnnxManifest['mapping']> };
    const attempt = async (name: string, edit: (m: typeof manifest) => unknown, withMapping = true) => {
      await copyFile(fixture, path.join(dir, `${name}.onnx`));
      if (withMapping) await copyFile(path.join(path.dirname(fixture), manifest.mapping.file), path.join(dir, manifest.mapping.file));
      await writeFile(path.join(dir, `${name}.onnx.json`), JSON.stringify(edit(structuredClone(manifest))));
      return t.studio.dispatch('models.importOnnx', { projectId, onnxPath: path.join(dir, `${name}.onnx`) });
    };
    const before = (await t.call('models.list', { projectId })).length;
    expect(await attempt('escape', (m) => ({ ...m, mapping: { ...m.mapping, file: '../mapping.onnx' } }))).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/mapping.file is the name of an .onnx file/) } });
    expect(await attempt('layers', (m) => ({ ...m, inputs: [{ name: 'ws', shape: [1, 10, 64] }] }))).toMatchObject({ ok: false, error: { message: 'A 32 px StyleGAN2 synthesis takes 8 ws; the manifest says 10.' } });
    expect(await attempt('wdim', (m) => ({ ...m, mapping: { ...m.mapping, outputs: [{ name: 'ws', shape: [1, 8, 32] }] } }))).toMatchObject({ ok: false, error: { message: 'The mapping gives ws of [8, 32] but the synthesis takes [8, 64].' } });
    expect(await attempt('zdim', (m) => ({ ...m, mapping: { ...m.mapping, inputs: [{ name: 'z', shape: [1, 512] }] } }))).toMatchObject({ ok: false, error: { message: `input 'z' is [1, 64] in the mapping file ${manifest.mapping.file}, the manifest says [1, 512].` } });
    await writeFile(path.join(dir, 'torch-stylegan2-32.mapping.onnx'), 'not onnx');
    expect(await attempt('broken-mapping', (m) => m, false)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^The mapping file .* is not an ONNX file/) } });
    expect((await t.call('models.list', { projectId })).length).toBe(before);
  }, 120_000);
  it('removes the .onnx and .mapping.onnx it wrote when the export fails after its claim', async () => {
    const [model] = await t.call('models.list', { projectId, family: 'stylegan2' });
    const exportsDir = path.join(t.studio.library.getProject(projectId).folder, 'exports');
    await mkdir(exportsDir, { recursive: true });
    const wanted = path.join(exportsDir, `${slugOf(model!.name, 'model')}-${model!.id}.onnx`);
    const before = readdirSync(exportsDir);
    // A folder where each free name's manifest would go: the network files are written, then the manifest fails.
    const blockers: string[] = [];
    for (let n = 1; n <= 20; n++) {
      const candidate = candidateName(wanted, n);
      if (existsSync(candidate)) continue;
      mkdirSync(`${candidate}.json`);
      blockers.push(path.basename(`${candidate}.json`));
    }
    try {
      expect(await t.studio.dispatch('models.exportOnnx', { projectId, modelId: model!.id })).toMatchObject({ ok: false });
      expect(readdirSync(exportsDir).sort()).toEqual([...before, ...blockers].sort());
    } finally {
      for (const blocker of blockers) rmSync(path.join(exportsDir, blocker), { recursive: true, force: true });
    }
  }, 120_000);
});

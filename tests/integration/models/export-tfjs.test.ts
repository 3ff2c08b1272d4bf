// Exporting studio models as TensorFlow.js GraphModels: the folder loads from disk with tfjs-converter, as a web page
// or a Node script would load it, and draws the studio's own pictures (a pix2pix sketch rendering; a StyleGAN2 seed
// through mapping/ then synthesis/), an imported ONNX model is refused in words, and an export that fails part way leaves no folder.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfjsExportManifest } from '../../../main/engine/tasks/export-tfjs.js';
import { seedLatent } from '../../../models/common/numpy-random-state.js';
import { noiseImage } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyPix2pixBuiltin, writeTinyStyleGAN2Builtin } from '../../support/tiny-models.js';

/** model.json and its shard read from `folder` as files, the way tf.loadGraphModel('file://…') would. */
async function loadFolder(folder: string): Promise<GraphModel> {
  const json = JSON.parse(await readFile(path.join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => readFile(path.join(folder, p))));
    return [tf.io.getWeightSpecs(manifest), Buffer.concat(shards).buffer.slice(0) as ArrayBuffer];
  });
  return loadGraphModel(tf.io.fromMemory(artifacts));
}

const rgbOf = (png: string): Promise<Buffer> => sharp(Buffer.from(png, 'base64')).removeAlpha().raw().toBuffer();
const toRgb = (t: tf.Tensor): Uint8Array => Uint8Array.from(t.dataSync(), (v) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5))));
const worst = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((w, v, i) => Math.max(w, Math.abs(v - b[i]!)), 0);

describe('models.exportTfjs', () => {
  let t: TestStudio;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyPix2pixBuiltin(dir, { imageSize: 64 });
        await writeTinyStyleGAN2Builtin(dir);
      },
    });
    projectId = (await t.call('projects.create', { name: 'TF.js' })).id;
    await tf.setBackend('cpu');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('writes a pix2pix GraphModel that renders a sketch as the studio does', async () => {
    const [model] = await t.call('models.list', { projectId, family: 'pix2pix' });
    const exported = await t.call('models.exportTfjs', { projectId, modelId: model!.id });
    expect(exported.maxAbsDiff).toBeLessThan(1e-4);
    const manifest = JSON.parse(await readFile(exported.manifestPath, 'utf8')) as TfjsExportManifest;
    expect(manifest).toMatchObject({ family: 'pix2pix', resolution: 64, networks: [{ part: 'generator', folder: '.', input: { name: 'input', shape: [1, 64, 64, 3] } }] });

    const sketch = await noiseImage(64, 64, 'png', 31);
    const studioRgb = await rgbOf((await t.call('sketch.render', { modelId: model!.id, sketchPngBase64: sketch.toString('base64') })).imagePngBase64);
    const graph = await loadFolder(exported.path);
    const pixels = await sharp(sketch).removeAlpha().raw().toBuffer();
    const out = tf.tidy(() => graph.execute({ input: tf.tensor4d(Float32Array.from(pixels, (v) => v / 127.5 - 1), [1, 64, 64, 3]) }) as tf.Tensor);
    expect(worst(toRgb(out), studioRgb)).toBeLessThanOrEqual(1);
    tf.dispose(out);
    graph.dispose();
  }, 120_000);

  it('writes a StyleGAN2 as mapping/ and synthesis/ that draw a seed as the studio does', async () => {
    const [model] = await t.call('models.list', { projectId, family: 'stylegan2' });
    const exported = await t.call('models.exportTfjs', { projectId, modelId: model!.id });
    expect(exported.maxAbsDiff).toBeLessThan(1e-4);
    const manifest = JSON.parse(await readFile(exported.manifestPath, 'utf8')) as TfjsExportManifest;
    expect(manifest.networks.map((n) => [n.part, n.folder, n.input.name, n.output.name])).toEqual([['synthesis', 'synthesis', 'ws', 'image'], ['mapping', 'mapping', 'z', 'ws']]);
    expect(manifest.wAvg).toHaveLength(512);

    const [mappingNet, synthesisNet] = await Promise.all([loadFolder(path.join(exported.path, 'mapping')), loadFolder(path.join(exported.path, 'synthesis'))]);
    const image = tf.tidy(() => {
      const ws = mappingNet.execute({ z: tf.tensor2d(seedLatent(5, 512), [1, 512]) }) as tf.Tensor;
      return synthesisNet.execute({ ws }) as tf.Tensor;
    });
    const studioRgb = await rgbOf((await t.call('stylegan.generate', { modelId: model!.id, seeds: [5], noiseMode: 'const' })).imagesPngBase64[0]!);
    expect(worst(toRgb(image), studioRgb)).toBeLessThanOrEqual(1);
    tf.dispose(image);
    mappingNet.dispose();
    synthesisNet.dispose();
  }, 120_000);

  it('removes its claimed folder when the export fails part way: no half folder is left looking like an export', async () => {
    const [model] = await t.call('models.list', { projectId, family: 'stylegan2' });
    const exportsDir = path.join(t.studio.library.getProject(projectId).folder, 'exports');
    const before = new Set(existsSync(exportsDir) ? readdirSync(exportsDir) : []);
    // Once the engine has claimed its folder, files where its network folders go make the export fail part way.
    let claimed: string | undefined;
    const watch = setInterval(() => {
      const found = existsSync(exportsDir) ? readdirSync(exportsDir).find((n) => !before.has(n)) : undefined;
      if (found === undefined || claimed !== undefined) return;
      claimed = path.join(exportsDir, found);
      for (const part of ['synthesis', 'mapping']) writeFileSync(path.join(claimed, part), 'in the way');
      clearInterval(watch);
    }, 1);
    try {
      const failed = await t.studio.dispatch('models.exportTfjs', { projectId, modelId: model!.id });
      expect(failed).toMatchObject({ ok: false });
    } finally {
      clearInterval(watch);
    }
    expect(claimed).toBeDefined();
    expect(existsSync(claimed!)).toBe(false);
    expect(new Set(readdirSync(exportsDir))).toEqual(before);
  }, 120_000);

  it('refuses what it cannot export, by name', async () => {
    const onnx = await t.call('models.importOnnx', { projectId, onnxPath: path.resolve('tests/fixtures/torch-pix2pix-32.onnx') });
    expect(await t.studio.dispatch('models.exportTfjs', { projectId, modelId: onnx.id })).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/imported ONNX network/) } });
  }, 60_000);
});

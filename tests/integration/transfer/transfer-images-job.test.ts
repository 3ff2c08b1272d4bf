// Domain transfer with a CycleGAN as the artist runs it, through the real studio, engine process and library: a folder
// (a subfolder, a broken file, a picture that is not square) translated A → B into an export folder, the same pictures
// B → A by asset id, lineage rows, pixels equal to the generator run directly, and a cancelled batch keeping its part.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import '@tensorflow/tfjs-backend-cpu'; // loadModel builds the generators in this process too
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferOutcome } from '../../../main/api/contract.js';
import { decodeRgb } from '../../../main/data/image-pixels.js';
import { readPngText } from '../../../main/generation/png-text.js';
import { loadModel, type LoadedModel } from '../../../main/model-files/model-folder.js';
import type { ResnetGeneratorWeights } from '../../../models/cyclegan/networks.js';
import { translateImages } from '../../../models/cyclegan/train.js';
import { noiseImage, writeNoiseFolder } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyCycleGANBuiltin, writeTinyPix2pixBuiltin } from '../../support/tiny-models.js';
import { nextEvent } from '../../support/wait.js';

const SIZE = 32;
const rawPixels = async (file: string): Promise<Buffer> => sharp(file).raw().toBuffer();
const maxAbsDiff = (a: Uint8Array, b: Uint8Array): number => a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i]!)), 0);
const meanAbsDiff = (a: Uint8Array, b: Uint8Array): number => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;

describe('transfer.images job', () => {
  let t: TestStudio;
  let projectId: number;
  let modelId: number;
  let pix2pixId: number;
  let cyclegan: LoadedModel;
  let input: string;
  let atoB: TransferOutcome;
  /** G run in this process with tfjs on the picture as the studio decodes it (centre square, resized). */
  const direct = async (generator: 'generatorAB' | 'generatorBA', file: string): Promise<Uint8Array> =>
    translateImages(cyclegan.parts[generator] as ResnetGeneratorWeights, [await decodeRgb(file, SIZE)], SIZE)[0]!;

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyPix2pixBuiltin(dir, { imageSize: SIZE });
        cyclegan = await loadModel(await writeTinyCycleGANBuiltin(dir, { imageSize: SIZE }));
      },
    });
    projectId = (await t.call('projects.create', { name: 'Horses' })).id;
    const listed = await t.call('models.list', { projectId });
    modelId = listed.find((m) => m.family === 'cyclegan')!.id;
    pix2pixId = listed.find((m) => m.family === 'pix2pix')!.id;
    input = path.join(t.dir, 'horses');
    await mkdir(path.join(input, 'sub'), { recursive: true });
    await writeFile(path.join(input, 'cat.png'), await noiseImage(40, 40, 'png', 1));
    await writeFile(path.join(input, 'wide.png'), await noiseImage(60, 40, 'png', 2));
    await writeFile(path.join(input, 'sub', 'dog.png'), await noiseImage(SIZE, SIZE, 'png', 3));
    await writeFile(path.join(input, 'broken.png'), (await noiseImage(40, 40, 'png', 4)).subarray(0, 100));
  }, 60_000);
  afterAll(async () => {
    cyclegan?.dispose();
    await t?.close();
  });

  it('translates a folder A → B into the export folder, files each result with its source, and names the broken file', async () => {
    const { jobId } = await t.call('transfer.images', { projectId, modelId, direction: 'AtoB', folder: input, recursive: true });
    const job = await t.finish(jobId);
    expect(job).toMatchObject({ status: 'succeeded', step: 4, total: 4 });
    atoB = job.result as TransferOutcome;
    const project = t.studio.library.getProject(projectId);
    expect(atoB.exportDir).toBe(path.join(project.folder, 'exports', `transfer-${jobId}`));
    expect(atoB.translated).toBe(3);
    expect(atoB.rejected).toEqual([{ name: 'broken.png', code: 'INVALID_IMAGE', message: expect.stringContaining('broken.png') }]);
    expect(atoB.notices).toEqual(['1 image was not square: centre-cropped to a square.', '2 images were resized to 32 px.']);
    expect(atoB.items.map((item) => [item.name, path.relative(atoB.exportDir, item.exportPath)])).toEqual([
      ['cat.png', 'cat-AtoB.png'],
      [path.join('sub', 'dog.png'), path.join('sub', 'dog-AtoB.png')],
      ['wide.png', 'wide-AtoB.png'],
    ]);

    for (const item of atoB.items) {
      const exported = readFileSync(item.exportPath);
      expect(await sharp(exported).metadata()).toMatchObject({ width: SIZE, height: SIZE });
      // The folder's picture became an asset first, so the generation points at it.
      expect(t.studio.library.getAsset(item.sourceAssetId)).toMatchObject({ projectId, name: item.name, origin: 'import' });
      const output = t.studio.library.getAsset(item.outputAssetId);
      expect(output).toMatchObject({ projectId, origin: 'generation', width: SIZE, height: SIZE, name: path.basename(item.exportPath) });
      expect(t.studio.library.getGeneration(item.generationId)).toMatchObject({
        operation: 'transfer',
        modelId,
        outputAssetId: item.outputAssetId,
        params: { direction: 'AtoB', model: { id: modelId, name: 'Tiny CycleGAN', family: 'cyclegan' } },
        parents: [{ assetId: item.sourceAssetId, role: 'source' }],
      });
      const recipe = JSON.parse(readPngText(exported)['gan-studio']!) as { generation: { id: number; operation: string; parents: unknown[] } };
      expect(recipe.generation).toMatchObject({ id: item.generationId, operation: 'transfer', parents: [{ assetId: item.sourceAssetId, role: 'source' }] });
      // The library's copy and the exported file hold the same pixels.
      expect((await rawPixels(t.studio.library.assetFilePath(item.outputAssetId, 'full'))).equals(await rawPixels(item.exportPath))).toBe(true);
    }
    // Compiled in ONNX Runtime, the engine computes what tfjs computes: the not-square picture pixel for pixel (±1 level).
    const wide = atoB.items.find((item) => item.name === 'wide.png')!;
    expect(maxAbsDiff(await rawPixels(wide.exportPath), await direct('generatorAB', path.join(input, 'wide.png')))).toBeLessThanOrEqual(1);
  }, 60_000);

  it('translates the same pictures B → A by asset id into a chosen folder, differently from A → B', async () => {
    const exportDir = path.join(t.dir, 'zebras');
    const before = t.studio.library.listAssets(projectId, { limit: 100, offset: 0 }).total;
    const { jobId } = await t.call('transfer.images', { projectId, modelId, direction: 'BtoA', assetIds: atoB.items.map((item) => item.sourceAssetId), exportDir });
    const job = await t.finish(jobId);
    expect(job.status).toBe('succeeded');
    const btoA = job.result as TransferOutcome;
    expect(btoA).toMatchObject({ direction: 'BtoA', exportDir, translated: 3, rejected: [] });
    expect(btoA.items.map((item) => path.relative(exportDir, item.exportPath))).toEqual(['cat-BtoA.png', path.join('sub', 'dog-BtoA.png'), 'wide-BtoA.png']);
    expect(btoA.items.map((item) => item.sourceAssetId)).toEqual(atoB.items.map((item) => item.sourceAssetId));
    expect(t.studio.library.listAssets(projectId, { limit: 100, offset: 0 }).total).toBe(before + 3); // outputs only: no source imported again
    for (const [i, item] of btoA.items.entries()) {
      expect(t.studio.library.getGeneration(item.generationId)).toMatchObject({ params: { direction: 'BtoA' }, parents: [{ assetId: item.sourceAssetId, role: 'source' }] });
      expect(meanAbsDiff(await rawPixels(item.exportPath), await rawPixels(atoB.items[i]!.exportPath))).toBeGreaterThan(5);
    }
    const cat = btoA.items[0]!;
    expect(maxAbsDiff(await rawPixels(cat.exportPath), await direct('generatorBA', path.join(input, 'cat.png')))).toBeLessThanOrEqual(1);
  }, 60_000);

  it('refuses a model of another family, two sources at once and a folder that does not exist', async () => {
    expect(await t.studio.dispatch('transfer.images', { projectId, modelId: pix2pixId, direction: 'AtoB', folder: input })).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE' } });
    expect(await t.studio.dispatch('transfer.images', { projectId, modelId, direction: 'AtoB', folder: input, assetIds: [1] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', message: expect.stringContaining('exactly one of assetIds, folder or files') },
    });
    expect(await t.studio.dispatch('transfer.images', { projectId, modelId, direction: 'AtoB', folder: path.join(t.dir, 'nowhere') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('anchors a relative exportDir inside the project’s exports/, and refuses one that climbs out or a relative source', async () => {
    const projectFolder = t.studio.library.getProject(projectId).folder;
    const cwdBefore = (await readdir(process.cwd())).sort();
    const { jobId } = await t.call('transfer.images', { projectId, modelId, direction: 'AtoB', files: [path.join(input, 'cat.png')], exportDir: 'relative/out' });
    const outcome = (await t.finish(jobId)).result as TransferOutcome;
    expect(outcome.exportDir).toBe(path.join(projectFolder, 'exports', 'relative', 'out'));
    expect(await readdir(outcome.exportDir)).toEqual(['cat-AtoB.png']);
    expect((await readdir(process.cwd())).sort()).toEqual(cwdBefore); // nothing written where the studio was started

    for (const exportDir of ['../../escaped', 'a/../../b', 'x\0y']) {
      const refused = await t.studio.dispatch('transfer.images', { projectId, modelId, direction: 'AtoB', files: [path.join(input, 'cat.png')], exportDir });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    }
    expect(await t.studio.dispatch('transfer.images', { projectId, modelId, direction: 'AtoB', folder: 'horses' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', message: expect.stringContaining('Give an absolute path') },
    });
    expect(existsSync(path.join(projectFolder, 'escaped'))).toBe(false);
    // A link inside exports/ that leads out of the project is refused too.
    await mkdir(path.join(t.dir, 'elsewhere'));
    await symlink(path.join(t.dir, 'elsewhere'), path.join(projectFolder, 'exports', 'link'));
    expect(await t.studio.dispatch('transfer.images', { projectId, modelId, direction: 'AtoB', files: [path.join(input, 'cat.png')], exportDir: 'link/out' })).toMatchObject({ ok: false, error: { code: 'PATH_OUTSIDE_PROJECT' } });
    expect(await readdir(path.join(t.dir, 'elsewhere'))).toEqual([]);
  }, 60_000);

  it('cancels between pictures and keeps every picture it finished, filed and exported', async () => {
    const many = path.join(t.dir, 'many');
    await writeNoiseFolder(many, 30, 384, 100);
    const { jobId } = await t.call('transfer.images', { projectId, modelId, direction: 'AtoB', folder: many });
    await nextEvent(t.studio.events, 'job.progress', (p) => p.jobId === jobId && p.step >= 2);
    expect(await t.call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    const job = await t.finish(jobId);
    expect(job.status).toBe('cancelled');
    const outcome = job.result as TransferOutcome;
    expect(outcome.translated).toBeGreaterThanOrEqual(2);
    expect(outcome.translated).toBeLessThan(30);
    expect(outcome.items.map((item) => item.name)).toEqual(Array.from({ length: outcome.translated }, (_, i) => `noise-${String(i).padStart(4, '0')}.png`));
    expect((await readdir(outcome.exportDir)).sort()).toEqual(outcome.items.map((item) => path.basename(item.exportPath)).sort());
    for (const item of outcome.items) {
      expect(existsSync(t.studio.library.assetFilePath(item.outputAssetId, 'full'))).toBe(true);
      expect(t.studio.library.getGeneration(item.generationId).parents).toEqual([{ assetId: item.sourceAssetId, role: 'source' }]);
    }
  }, 60_000);
});

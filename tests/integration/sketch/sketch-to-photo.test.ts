// Sketch-to-photo through the real studio: a builtin pix2pix model served from a models folder, rendered by the real
// engine process (compiled to one ONNX Runtime session), saved with lineage and exported with its recipe embedded.
// What the engine sends back is recorded (its process is the real one, observed, not replaced).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SketchSaveRenderResult } from '../../../main/engine/engine-api.js';
import { nodeForkSpawner, type EngineSpawner } from '../../../main/engine/engine-host.js';
import type { EngineToHost } from '../../../main/engine/engine-protocol.js';
import { readPngText } from '../../../main/generation/png-text.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyPix2pixBuiltin } from '../../support/tiny-models.js';

/** A transparent RGBA sketch of `width × height` with black strokes: a rectangle outline and a diagonal of `thickness`. */
async function sketchPng(width: number, height: number, diagonal: boolean): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect x="20" y="20" width="${width - 40}" height="${height - 40}" fill="none" stroke="black" stroke-width="3"/>
    ${diagonal ? `<line x1="0" y1="0" x2="${width}" y2="${height}" stroke="black" stroke-width="4"/>` : ''}</svg>`;
  return (await sharp(Buffer.from(svg)).png().toBuffer()).toString('base64');
}

async function pixels(pngBase64: string): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(Buffer.from(pngBase64, 'base64')).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

const meanAbsDiff = (a: Buffer, b: Buffer): number => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
const stdDev = (a: Buffer): number => {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
};

describe('sketch to photo', () => {
  let t: TestStudio;
  /** Every message the engine process sent the studio. */
  const fromEngine: EngineToHost[] = [];
  const engineSpawner: EngineSpawner = () => {
    const handle = nodeForkSpawner();
    handle.onMessage((message) => fromEngine.push(message));
    return handle;
  };
  let modelId: number;
  let projectId: number;

  // The CLI's own caller: a value, or an error naming the code.

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyPix2pixBuiltin(dir, { imageSize: 64 });
      },
      engineSpawner,
    });
    projectId = (await t.call('projects.create', { name: 'Sketches' })).id;
    const listed = await t.call('models.list', { projectId, family: 'pix2pix' });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'Tiny sketch model', family: 'pix2pix', source: 'builtin', imageSize: 64, projectId: null });
    modelId = listed[0]!.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('renders any-size RGBA sketches at the model size, the same sketch to the same image, another sketch differently', async () => {
    const plain = await sketchPng(200, 150, false);
    const first = await t.call('sketch.render', { modelId, sketchPngBase64: plain });
    const again = await t.call('sketch.render', { modelId, sketchPngBase64: plain });
    const other = await t.call('sketch.render', { modelId, sketchPngBase64: await sketchPng(200, 150, true) });
    const [a, b, c] = await Promise.all([pixels(first.imagePngBase64), pixels(again.imagePngBase64), pixels(other.imagePngBase64)]);
    expect([a.width, a.height, a.channels]).toEqual([64, 64, 3]);
    expect(first.ms).toBeGreaterThan(0);
    expect(stdDev(a.data)).toBeGreaterThan(1); // not a blank image
    expect(a.data.equals(b.data)).toBe(true); // dropout off: deterministic
    expect(meanAbsDiff(a.data, c.data)).toBeGreaterThan(0.5); // the diagonal stroke changed the picture
  }, 60_000);

  it('encodes the render of a stroke once: the engine sends only the image, and the view gets that PNG byte for byte', async () => {
    const before = fromEngine.length;
    const rendered = await t.call('sketch.render', { modelId, sketchPngBase64: await sketchPng(200, 150, true) });
    const done = fromEngine.slice(before).filter((m) => m.type === 'done');
    expect(done).toHaveLength(1);
    // No second encoding (the sketch as the model saw it) is made, sent and dropped on the preview path.
    expect(Object.keys(done[0]!.result as object).sort()).toEqual(['height', 'imagePngBase64', 'ms', 'width']);
    expect(done[0]!.result).toEqual({ imagePngBase64: rendered.imagePngBase64, width: 64, height: 64, ms: rendered.ms });
  }, 60_000);

  it('turns a photo into black-on-white edges at the model size', async () => {
    const photo = await sharp({ create: { width: 120, height: 120, channels: 3, background: '#ffffff' } })
      .composite([{ input: await sharp({ create: { width: 60, height: 60, channels: 3, background: '#c03020' } }).png().toBuffer(), left: 30, top: 30 }])
      .png()
      .toBuffer();
    const { edgesPngBase64, width } = await t.call('sketch.edges', { modelId, source: { imagePngBase64: photo.toString('base64') } });
    const edges = await pixels(edgesPngBase64);
    expect(width).toBe(64);
    const dark = edges.data.filter((v) => v < 128).length / edges.data.length;
    expect(dark).toBeGreaterThan(0.005); // the square's outline
    expect(dark).toBeLessThan(0.2); // thin lines on white, not a filled square
  }, 60_000);

  it('refuses a model of another family and a corrupt sketch with clear errors, and keeps working', async () => {
    const cyclegan = t.studio.library.addModel({ projectId, name: 'Horses to zebras', family: 'cyclegan', source: 'imported', config: { imageSize: 64 }, folder: 'models/h2z', description: '' });
    const wrongFamily = await t.studio.dispatch('sketch.render', { modelId: cyclegan.id, sketchPngBase64: await sketchPng(64, 64, false) });
    expect(wrongFamily).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE' } });
    if (!wrongFamily.ok) expect(wrongFamily.error.message).toContain('cyclegan');
    const corrupt = await t.studio.dispatch('sketch.render', { modelId, sketchPngBase64: Buffer.from('not a png at all').toString('base64') });
    expect(corrupt).toMatchObject({ ok: false, error: { code: 'INVALID_IMAGE' } });
    const missing = await t.studio.dispatch('sketch.render', { modelId: 9999, sketchPngBase64: await sketchPng(64, 64, false) });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await t.call('sketch.render', { modelId, sketchPngBase64: await sketchPng(64, 64, true) })).width).toBe(64);
  }, 60_000);

  it('saves sketch and result with lineage and exports PNG, JPEG and WebP with the recipe embedded', async () => {
    const sketch = await sketchPng(64, 64, true);
    const saved = await t.call('sketch.save', { projectId, modelId, sketchPngBase64: sketch });
    expect(saved.sketchAsset.origin).toBe('sketch');
    expect(saved.outputAsset.origin).toBe('generation');
    const generation = t.studio.library.getGeneration(saved.generationId);
    expect(generation).toMatchObject({ operation: 'sketch2photo', modelId, outputAssetId: saved.outputAsset.id, parents: [{ assetId: saved.sketchAsset.id, role: 'sketch' }] });
    // The saved output is the image the live preview showed.
    const preview = await t.call('sketch.render', { modelId, sketchPngBase64: sketch });
    const stored = await sharp(t.studio.library.assetFilePath(saved.outputAsset.id, 'full')).raw().toBuffer();
    expect(stored.equals((await pixels(preview.imagePngBase64)).data)).toBe(true);

    const png = await t.call('assets.export', { projectId, assetId: saved.outputAsset.id, format: 'png' });
    expect(path.dirname(png.path)).toBe(path.join(t.studio.library.getProject(projectId).folder, 'exports'));
    const recipe = JSON.parse(readPngText(readFileSync(png.path))['gan-studio']!) as { generation: { operation: string; params: { model: { name: string } } } };
    expect(recipe.generation.operation).toBe('sketch2photo');
    expect(recipe.generation.params.model.name).toBe('Tiny sketch model');
    for (const format of ['jpeg', 'webp'] as const) {
      const exported = await t.call('assets.export', { projectId, assetId: saved.outputAsset.id, format });
      const meta = await sharp(exported.path).metadata();
      expect(meta.format).toBe(format === 'jpeg' ? 'jpeg' : 'webp');
      expect(meta.exif?.toString('latin1')).toContain('sketch2photo');
    }
    // A second export of the same image does not overwrite the first.
    const second = await t.call('assets.export', { projectId, assetId: saved.outputAsset.id, format: 'png' });
    expect(second.path).not.toBe(png.path);
    expect(existsSync(png.path)).toBe(true);
  }, 60_000);

  it('stores the PNGs the engine encoded for a save as they are: the sketch as the model saw it, and the image', async () => {
    const before = fromEngine.length;
    const saved = await t.call('sketch.save', { projectId, modelId, sketchPngBase64: await sketchPng(200, 150, false) });
    const done = fromEngine.slice(before).filter((m) => m.type === 'done');
    expect(done).toHaveLength(1);
    const { sketchPngBase64, imagePngBase64 } = SketchSaveRenderResult.parse(done[0]!.result);
    const stored = (assetId: number): Buffer => readFileSync(t.studio.library.assetFilePath(assetId, 'full'));
    expect(stored(saved.sketchAsset.id).equals(Buffer.from(sketchPngBase64, 'base64'))).toBe(true);
    expect(stored(saved.outputAsset.id).equals(Buffer.from(imagePngBase64, 'base64'))).toBe(true);
    expect(saved.sketchAsset).toMatchObject({ width: 64, height: 64 }); // the model's input, not the 200 × 150 drawing
  }, 60_000);

  it('refuses to export an image of another project', async () => {
    const other = (await t.call('projects.create', { name: 'Other' })).id;
    const saved = await t.call('sketch.save', { projectId, modelId, sketchPngBase64: await sketchPng(64, 64, false) });
    const refused = await t.studio.dispatch('assets.export', { projectId: other, assetId: saved.outputAsset.id, format: 'png' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 60_000);
});

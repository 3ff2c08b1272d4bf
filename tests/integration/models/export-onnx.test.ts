// Exporting a studio model to ONNX: the file runs in plain ONNX Runtime (as another tool would run it, from its
// manifest) and gives the picture the studio gives for the same sketch; importing it back gives the same pictures, and
// broken or mismatched files are refused with precise messages.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxManifest } from '../../../main/engine/tasks/export-onnx.js';
import { noiseImage } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyPix2pixBuiltin } from '../../support/tiny-models.js';

const { onnx } = onnxProto;

describe('models.exportOnnx', () => {
  let t: TestStudio;

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyPix2pixBuiltin(dir, { imageSize: 64 });
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('writes an ONNX file and manifest that plain ONNX Runtime runs to the studio\'s own picture', async () => {
    const projectId = (await t.call('projects.create', { name: 'Export' })).id;
    const [model] = await t.call('models.list', { projectId });
    const exported = await t.call('models.exportOnnx', { projectId, modelId: model!.id });
    expect(path.dirname(exported.path)).toBe(path.join(t.studio.library.getProject(projectId).folder, 'exports'));
    expect(exported.maxAbsDiff).toBeLessThan(1e-4);
    const manifest = JSON.parse(await readFile(exported.manifestPath, 'utf8')) as OnnxManifest;
    expect(manifest).toMatchObject({ family: 'pix2pix', resolution: 64, inputs: [{ name: 'input', shape: [1, 3, 64, 64], range: [-1, 1] }] });

    // The studio's picture of a sketch, and ONNX Runtime's from the exported file on the same pixels.
    const sketch = await noiseImage(64, 64, 'png', 21);
    const rendered = await t.call('sketch.render', { modelId: model!.id, sketchPngBase64: sketch.toString('base64') });
    const studioPixels = await sharp(Buffer.from(rendered.imagePngBase64, 'base64')).raw().toBuffer();
    const rgb = await sharp(sketch).removeAlpha().raw().toBuffer();
    const input = new Float32Array(3 * 64 * 64);
    for (let c = 0; c < 3; c++) for (let p = 0; p < 64 * 64; p++) input[c * 64 * 64 + p] = rgb[p * 3 + c]! / 127.5 - 1;
    const session = await ort.InferenceSession.create(exported.path);
    const { output } = await session.run({ [manifest.inputs[0]!.name]: new ort.Tensor('float32', input, manifest.inputs[0]!.shape) });
    const values = output!.data as Float32Array;
    let worst = 0;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 64 * 64; p++) {
        const pixel = Math.min(255, Math.max(0, Math.round((values[c * 64 * 64 + p]! + 1) * 127.5)));
        worst = Math.max(worst, Math.abs(pixel - studioPixels[p * 3 + c]!));
      }
    }
    expect(worst).toBeLessThanOrEqual(1); // rounding of a last-bit difference at most
    await session.release();
  }, 120_000);

  it('imports the exported file back with the same pictures, and refuses broken or mismatched files precisely', async () => {
    const projectId = (await t.call('projects.list', {}))[0]!.id;
    const [model] = await t.call('models.list', { projectId });
    const exported = await t.call('models.exportOnnx', { projectId, modelId: model!.id });
    const imported = await t.call('models.importOnnx', { projectId, onnxPath: exported.path, name: 'Round trip' });
    expect(imported).toMatchObject({ name: 'Round trip', family: 'pix2pix', source: 'imported', imageSize: 64, projectId });
    const sketch = (await noiseImage(64, 64, 'png', 22)).toString('base64');
    const [ours, theirs] = await Promise.all([model!.id, imported.id].map((modelId) => t.call('sketch.render', { modelId, sketchPngBase64: sketch })));
    const [a, b] = await Promise.all([ours!, theirs!].map((r) => sharp(Buffer.from(r.imagePngBase64, 'base64')).raw().toBuffer()));
    expect(a!.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b![i]!)), 0)).toBeLessThanOrEqual(1);

    const dir = path.join(t.dir, 'bad');
    await mkdir(dir, { recursive: true });
    const manifest = JSON.parse(await readFile(exported.manifestPath, 'utf8')) as OnnxManifest;
    const bytes = await readFile(exported.path);
    const attempt = async (name: string, file: Uint8Array, manifestJson: unknown) => {
      await writeFile(path.join(dir, `${name}.onnx`), file);
      await writeFile(path.join(dir, `${name}.onnx.json`), JSON.stringify(manifestJson));
      return t.studio.dispatch('models.importOnnx', { projectId, onnxPath: path.join(dir, `${name}.onnx`) });
    };
    expect(await attempt('truncated', bytes.subarray(0, bytes.length / 3), manifest)).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/not an ONNX file|cannot run/) } });
    const wrongSize = { ...manifest, resolution: 128, inputs: [{ ...manifest.inputs[0], shape: [1, 3, 128, 128] }], outputs: [{ ...manifest.outputs[0], shape: [1, 3, 128, 128] }] };
    expect(await attempt('wrong-size', bytes, wrongSize)).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE', message: "input 'input' is [1, 3, 64, 64] in the file, the manifest says [1, 3, 128, 128]." } });
    expect(await attempt('wrong-name', bytes, { ...manifest, inputs: [{ ...manifest.inputs[0], name: 'image' }] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/input is named 'input', the manifest says 'image'/) } });
    expect(await attempt('not-onnx', Buffer.from('{"pickle": "no"}'), manifest)).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE' } });
    expect(await t.studio.dispatch('models.importOnnx', { projectId, onnxPath: path.join(dir, 'missing.onnx') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Nothing half-imported is left listed, and the studio still renders.
    expect((await t.call('models.list', { projectId })).map((m) => m.name).sort()).toEqual(['Round trip', 'Tiny sketch model']);
    expect((await t.call('sketch.render', { modelId: imported.id, sketchPngBase64: sketch })).width).toBe(64);

    // PyTorch leaves sizes symbolic in places (its CycleGAN export's output is [dim_0, 3, dim_2, dim_3]): such a file
    // imports, and the size it really gives is checked by running it.
    const symbolic = onnx.ModelProto.decode(bytes);
    for (const i of [0, 2, 3]) symbolic.graph!.output![0]!.type!.tensorType!.shape!.dim![i] = { dimParam: `Tanhoutput_dim_${i}` };
    const symbolicBytes = onnx.ModelProto.encode(symbolic).finish();
    expect(await attempt('symbolic', symbolicBytes, { ...manifest, name: 'Symbolic sizes' })).toMatchObject({ ok: true, value: { name: 'Symbolic sizes', imageSize: 64 } });
  }, 120_000);

  it('imports a generator PyTorch exported (the junyanz U-Net of bench/reference) and runs it to PyTorch\'s numbers', async () => {
    const projectId = (await t.call('projects.list', {}))[0]!.id;
    const fixture = path.resolve('tests/fixtures/torch-pix2pix-32.onnx'); // made by tests/fixtures/make-torch-pix2pix-onnx.py
    const imported = await t.call('models.importOnnx', { projectId, onnxPath: fixture });
    expect(imported).toMatchObject({ name: 'PyTorch pix2pix (test fixture)', family: 'pix2pix', imageSize: 32, source: 'imported' });
    const rendered = await t.call('sketch.render', { modelId: imported.id, sketchPngBase64: (await noiseImage(50, 40, 'png', 23)).toString('base64') });
    expect([rendered.width, rendered.height]).toEqual([32, 32]);
    // The copy the studio keeps, fed PyTorch's own test input, gives PyTorch's output.
    const expected = JSON.parse(await readFile('tests/fixtures/torch-pix2pix-32.expected.json', 'utf8')) as { output_head: number[]; output_sum: number };
    const kept = path.join(t.studio.library.getProject(projectId).folder, t.studio.library.getModel(imported.id).folder, 'model.onnx');
    const session = await ort.InferenceSession.create(kept);
    const input = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => -1 + (2 * i) / (3 * 32 * 32 - 1));
    const { output } = await session.run({ input: new ort.Tensor('float32', input, [1, 3, 32, 32]) });
    const values = output!.data as Float32Array;
    expected.output_head.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 5));
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(expected.output_sum, 3);
    await session.release();
  }, 60_000);

  it('refuses an unknown model', async () => {
    const projectId = (await t.call('projects.list', {}))[0]!.id;
    expect(await t.studio.dispatch('models.exportOnnx', { projectId, modelId: 999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

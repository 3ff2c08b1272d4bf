// Engine task: checks an ONNX generator (or a StyleGAN2's synthesis + mapping pair) and its manifest
// (main/engine/onnx/onnx-import.ts) and copies them into a model folder of the project. Runs in the engine process so
// that a hostile or broken file can only take the engine down.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../api/errors.js';
import { writeFolderAtomic } from '../../models/atomic-folder.js';
import { checkOnnxGenerator, checkOnnxStyleGAN2, MAX_ONNX_BYTES, ONNX_MANIFEST_FILE, ONNX_MAPPING_FILE, ONNX_MODEL_FILE, parseOnnxManifest, type OnnxImportManifest } from '../onnx/onnx-import.js';

export const ImportOnnxParams = z.object({
  onnxPath: z.string(),
  manifestPath: z.string(),
  modelDir: z.string(),
});

async function readLimited(file: string, limit: number, what: string): Promise<Buffer> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) throw new StudioError('NOT_FOUND', `There is no ${what} at ${file}.`);
  if (info.size > limit) throw new StudioError('MODEL_INCOMPATIBLE', `The ${what} is ${(info.size / 2 ** 20).toFixed(0)} MiB; the limit is ${(limit / 2 ** 20).toFixed(0)} MiB.`);
  return readFile(file);
}

export async function importOnnxTask(raw: unknown): Promise<OnnxImportManifest> {
  const { onnxPath, manifestPath, modelDir } = ImportOnnxParams.parse(raw);
  const bytes = await readLimited(onnxPath, MAX_ONNX_BYTES, 'ONNX file');
  let manifest: unknown;
  try {
    manifest = JSON.parse((await readLimited(manifestPath, 1024 * 1024, 'manifest')).toString('utf8'));
  } catch (err) {
    if (err instanceof StudioError) throw err;
    // Not JSON.parse's message: it quotes the file's bytes, and whatever file a path names must not leak through errors.
    throw new StudioError('MODEL_INCOMPATIBLE', `The manifest ${manifestPath} is not JSON.`);
  }
  const parsed = parseOnnxManifest(manifest);
  if (parsed.family === 'stylegan2') {
    // The mapping file sits beside the manifest (the manifest's schema allows a bare file name only).
    const mappingBytes = await readLimited(path.join(path.dirname(manifestPath), parsed.mapping.file), MAX_ONNX_BYTES, 'mapping ONNX file');
    const checked = checkOnnxStyleGAN2(bytes, mappingBytes, parsed);
    const kept = { ...checked, mapping: { ...checked.mapping, file: ONNX_MAPPING_FILE } };
    await writeFolderAtomic(modelDir, [
      { name: ONNX_MODEL_FILE, data: bytes },
      { name: ONNX_MAPPING_FILE, data: mappingBytes },
      { name: ONNX_MANIFEST_FILE, data: `${JSON.stringify(kept, null, 2)}\n` },
    ]);
    return kept;
  }
  const checked = checkOnnxGenerator(bytes, parsed);
  await writeFolderAtomic(modelDir, [
    { name: ONNX_MODEL_FILE, data: bytes },
    { name: ONNX_MANIFEST_FILE, data: `${JSON.stringify(checked, null, 2)}\n` },
  ]);
  return checked;
}

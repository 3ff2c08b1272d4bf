// Engine task: checks an ONNX generator (or a StyleGAN2's synthesis + mapping pair) and its manifest
// (main/engine/onnx/onnx-import.ts) and copies them into a model folder of the project. Runs in the engine process,
// and the file's test runs in a short-lived process the studio starts at the engine's request (TaskContext.runTrial),
// so that a hostile or broken file can take down neither.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '../../api/errors.js';
import { writeFolderAtomic } from '../../model-files/atomic-folder.js';
import { parseUntrustedJson } from '../../model-files/untrusted-json.js';
import type { EngineParams } from '../engine-api.js';
import type { TaskContext } from '../engine-protocol.js';
import { checkOnnxGenerator, checkOnnxStyleGAN2, MAX_ONNX_BYTES, ONNX_MANIFEST_FILE, ONNX_MAPPING_FILE, ONNX_MODEL_FILE, parseOnnxManifest, type OnnxImportManifest } from '../onnx/onnx-import.js';

const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Reads `file` if it is a regular file of at most `limit` bytes. A symbolic link is refused rather than followed:
 * the manifest names the mapping file, and a link in a downloaded folder must not make the import read a file
 * elsewhere (~/.ssh/id_rsa) under the name of a model.
 */
async function readLimited(file: string, limit: number, what: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new StudioError('MODEL_INCOMPATIBLE', `The ${what} ${file} is a symbolic link; import the file it points to.`);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioError('NOT_FOUND', `There is no ${what} at ${file}.`);
    throw new StudioError('IO_ERROR', `Could not open the ${what} ${file} (${code ?? 'error'}).`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new StudioError('NOT_FOUND', `There is no ${what} at ${file}.`);
    if (info.size > limit) throw new StudioError('MODEL_INCOMPATIBLE', `The ${what} is ${(info.size / 2 ** 20).toFixed(0)} MiB; the limit is ${(limit / 2 ** 20).toFixed(0)} MiB.`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function readManifest(manifestPath: string): Promise<OnnxImportManifest> {
  const text = (await readLimited(manifestPath, MAX_MANIFEST_BYTES, 'manifest')).toString('utf8');
  const json = parseUntrustedJson(text);
  if (!json.ok) throw new StudioError('MODEL_INCOMPATIBLE', `The manifest ${manifestPath} is not JSON (${json.problem}).`);
  return parseOnnxManifest(json.value);
}

export async function importOnnxTask(params: EngineParams<'models.importOnnx'>, ctx: Pick<TaskContext, 'runTrial'> & Partial<Pick<TaskContext, 'signal'>>): Promise<OnnxImportManifest> {
  const { onnxPath, manifestPath, modelDir, trialSeconds } = params;
  const trial = { ...(ctx.signal === undefined ? {} : { signal: ctx.signal }), ...(trialSeconds === undefined ? {} : { timeLimitS: trialSeconds }) };
  const bytes = await readLimited(onnxPath, MAX_ONNX_BYTES, 'ONNX file');
  const parsed = await readManifest(manifestPath);
  if (parsed.family === 'stylegan2') {
    // The mapping file sits beside the manifest (the manifest's schema allows a bare file name only).
    const mappingBytes = await readLimited(path.join(path.dirname(manifestPath), parsed.mapping.file), MAX_ONNX_BYTES, 'mapping ONNX file');
    const checked = await checkOnnxStyleGAN2(bytes, mappingBytes, parsed, ctx.runTrial, trial);
    const kept = { ...checked.manifest, mapping: { ...checked.manifest.mapping, file: ONNX_MAPPING_FILE } };
    await writeFolderAtomic(modelDir, [
      { name: ONNX_MODEL_FILE, data: checked.synthesis },
      { name: ONNX_MAPPING_FILE, data: checked.mapping },
      { name: ONNX_MANIFEST_FILE, data: `${JSON.stringify(kept, null, 2)}\n` },
    ]);
    return kept;
  }
  const checked = await checkOnnxGenerator(bytes, parsed, ctx.runTrial, trial);
  await writeFolderAtomic(modelDir, [
    { name: ONNX_MODEL_FILE, data: checked.bytes },
    { name: ONNX_MANIFEST_FILE, data: `${JSON.stringify(checked.manifest, null, 2)}\n` },
  ]);
  return checked.manifest;
}

// Engine task: decode, hash, store and thumbnail every image of a folder, streaming each outcome as it finishes.
import path from 'node:path';
import { StudioError, toErrorShape } from '../../api/errors.js';
import { ingestImageFile, scanImageFolder } from '../../data/image-ingest.js';
import type { EngineParams, ImportFolderItem } from '../engine-api.js';
import type { TaskContext } from '../engine-protocol.js';

export async function importFolderTask(params: EngineParams<'library.importFolder'>, ctx: TaskContext<ImportFolderItem>): Promise<{ files: number }> {
  const { dir, recursive, projectFolder } = params;
  const { files, skipped } = await scanImageFolder(dir, recursive);
  // Pipes, dangling links, folders named like images…: listed with the rejected files, so nothing vanishes unsaid.
  for (const entry of skipped) ctx.emitItem({ ok: false, name: path.relative(dir, entry.path), code: entry.code, message: entry.reason } satisfies ImportFolderItem);
  ctx.onProgress({ stage: 'Importing images', step: 0, total: files.length });
  for (const [index, file] of files.entries()) {
    if (ctx.signal.aborted) throw new StudioError('CANCELLED', 'Import cancelled.');
    const name = path.relative(dir, file);
    try {
      const image = await ingestImageFile(file, projectFolder);
      ctx.emitItem({ ok: true, image: { ...image, name } } satisfies ImportFolderItem);
    } catch (err) {
      const { code, message } = toErrorShape(err);
      ctx.emitItem({ ok: false, name, code, message } satisfies ImportFolderItem);
    }
    ctx.onProgress({ stage: 'Importing images', step: index + 1, total: files.length });
  }
  return { files: files.length };
}

// Engine task: decode, hash, store and thumbnail every image of a folder, streaming each outcome as it finishes.
import path from 'node:path';
import { z } from 'zod';
import { StudioError, toErrorShape } from '../../api/errors.js';
import { ingestImageFile, scanImageFolder, type IngestedImage } from '../../data/image-ingest.js';
import type { TaskContext } from '../engine-protocol.js';

export const ImportFolderParams = z.object({
  dir: z.string(),
  recursive: z.boolean(),
  projectFolder: z.string(),
});

export type ImportFolderItem =
  | { ok: true; image: IngestedImage }
  | { ok: false; name: string; code: string; message: string };

export async function importFolderTask(rawParams: unknown, ctx: TaskContext): Promise<{ files: number }> {
  const { dir, recursive, projectFolder } = ImportFolderParams.parse(rawParams);
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

// Engine task: translates pictures with an image-to-image model (a CycleGAN, either way), one after another, streaming
// each result. Pictures from disk are stored in the project first, so every result has a library source to point to.
import path from 'node:path';
import { StudioError, toErrorShape } from '../../api/errors.js';
import { ingestImageFile, scanImageFolder, type SkippedEntry } from '../../data/image-ingest.js';
import { decodeRgb, encodePng } from '../../data/image-pixels.js';
import type { EngineParams, EngineResult, TransferItem, TransferTaskParams } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';

interface Picture {
  file: string;
  name: string;
  fromDisk: boolean; // not in the library yet
}

async function picturesOf(source: TransferTaskParams['source']): Promise<{ pictures: Picture[]; skipped: SkippedEntry[] }> {
  switch (source.kind) {
    case 'assets':
      return { pictures: source.pictures.map(({ path: file, name }) => ({ file, name, fromDisk: false })), skipped: [] };
    case 'folder': {
      const dir = path.resolve(source.dir);
      const { files, skipped } = await scanImageFolder(dir, source.recursive);
      return { pictures: files.map((file) => ({ file, name: path.relative(dir, file), fromDisk: true })), skipped };
    }
    case 'files':
      return { pictures: source.paths.map((file) => ({ file, name: path.basename(file), fromDisk: true })), skipped: [] };
  }
}

export async function transferTask(params: EngineParams<'transfer.images'>, ctx: EngineTaskContext<TransferItem>): Promise<EngineResult<'transfer.images'>> {
  const { pictures, skipped } = await picturesOf(params.source);
  // Entries of the folder that are not files (pipes, dangling links…) are listed as rejected, with why, before any work.
  const root = params.source.kind === 'folder' ? path.resolve(params.source.dir) : '';
  for (const entry of skipped) ctx.emitItem({ kind: 'rejected', index: -1, name: path.relative(root, entry.path), code: entry.code, message: entry.reason } satisfies TransferItem);
  const stage = `Translating ${params.direction === 'AtoB' ? 'A → B' : 'B → A'}`;
  ctx.onProgress({ stage: 'Loading the model', step: 0, total: pictures.length });
  const model = await ctx.models.imageToImage(params.modelFolder, { family: params.family, direction: params.direction });
  for (const [index, picture] of pictures.entries()) {
    // Between pictures only: a picture is filed whole or not at all.
    if (ctx.signal.aborted) throw new StudioError('CANCELLED', 'Transfer cancelled.');
    try {
      const imported = picture.fromDisk ? { ...(await ingestImageFile(picture.file, params.projectFolder)), name: picture.name } : null;
      const rgb = await decodeRgb(picture.file, model.size, { name: picture.name });
      const png = await encodePng(model.run(rgb), model.size);
      ctx.emitItem({ kind: 'translated', index, name: picture.name, imported, png: new Uint8Array(png) } satisfies TransferItem);
    } catch (err) {
      const { code, message } = toErrorShape(err);
      ctx.emitItem({ kind: 'rejected', index, name: picture.name, code, message } satisfies TransferItem);
    }
    ctx.onProgress({ stage, step: index + 1, total: pictures.length });
  }
  return { pictures: pictures.length };
}

// Exports a library image as PNG, JPEG or WebP into the project's exports/ folder with its recipe embedded (a PNG tEXt
// chunk "gan-studio", or EXIF ImageDescription in JPEG and WebP), so the file alone says how it was made.
import path from 'node:path';
import sharp from 'sharp';
import type { ExportFormat } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import type { Library } from '../library/library.js';
import { writeNewFile } from '../library/new-file.js';
import { withPngText } from './png-text.js';
import { mkdirInLiveProject } from '../library/project-paths.js';

export const EXPORTS_DIR = 'exports';
export const PNG_TEXT_KEYWORD = 'gan-studio';

/** JSON with every non-ASCII character \u-escaped: valid in tEXt (Latin-1) and EXIF ASCII fields alike. */
export const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What is embedded: the studio, the image, and the generation that made it (model, operation, parameters, parents). */
export function exportRecipe(library: Library, assetId: number, studioVersion: string): Record<string, unknown> {
  const asset = library.getAsset(assetId);
  const generation = library.generationProducing(assetId);
  return {
    software: `GAN Studio ${studioVersion}`,
    image: { name: asset.name, contentHash: asset.contentHash, width: asset.width, height: asset.height, origin: asset.origin },
    ...(generation === undefined
      ? {}
      : { generation: { id: generation.id, operation: generation.operation, modelId: generation.modelId, params: generation.params, parents: generation.parents, createdAt: generation.createdAt } }),
  };
}

/**
 * The base of a file name (no folder, no extension) safe on any file system: letters, digits, `.`, `_` and `-`, at
 * most 80 characters; `fallback` when nothing usable is left (a name of dots would climb out of the folder).
 */
export function safeFileBase(name: string, fallback: string): string {
  const base = path.parse(name).name.replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 80);
  return /^\.*$/.test(base) ? fallback : base;
}

export async function exportAsset(
  library: Library,
  studioVersion: string,
  request: { projectId: number; assetId: number; format: ExportFormat; quality: number },
): Promise<{ path: string; fileName: string; bytes: number }> {
  const asset = library.getAsset(request.assetId);
  if (asset.projectId !== request.projectId) throw new StudioError('NOT_FOUND', `Project ${request.projectId} has no image ${request.assetId}.`);
  const project = library.getProject(request.projectId);
  const recipe = asciiJson(exportRecipe(library, asset.id, studioVersion));
  const source = sharp(library.assetFilePath(asset.id, 'full'));
  let bytes: Buffer;
  try {
    if (request.format === 'png') {
      bytes = withPngText(await source.png().toBuffer(), PNG_TEXT_KEYWORD, recipe);
    } else {
      const exif = { IFD0: { ImageDescription: recipe, Software: `GAN Studio ${studioVersion}` } };
      const encoded = request.format === 'jpeg' ? source.flatten({ background: '#ffffff' }).jpeg({ quality: request.quality }) : source.webp({ quality: request.quality });
      bytes = await encoded.withExif(exif).toBuffer();
    }
  } catch (err) {
    throw new StudioError('INVALID_IMAGE', `Could not encode ${asset.name} as ${request.format.toUpperCase()}: ${(err as Error).message}`);
  }
  const dir = path.join(project.folder, EXPORTS_DIR);
  const base = safeFileBase(asset.name, `image-${asset.id}`);
  const ext = request.format === 'jpeg' ? 'jpg' : request.format;
  try {
    await mkdirInLiveProject(dir);
    // `base.ext`, else `base-2.ext`, `base-3.ext`…: claimed by the file system, so exports at once never share a name.
    const target = await writeNewFile(path.join(dir, `${base}.${ext}`), bytes);
    return { path: target, fileName: path.basename(target), bytes: bytes.length };
  } catch (err) {
    throw new StudioError('IO_ERROR', `Could not write the export into ${dir}: ${(err as Error).message}`);
  }
}

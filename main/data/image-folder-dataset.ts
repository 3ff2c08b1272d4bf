// A folder of images as an unconditional GAN's training data (StyleGAN2, PGGAN): decoded once into memory at the
// model's size, split into training and held-out images by name, with notices for what had to be adapted.
import path from 'node:path';
import sharp from 'sharp';
import { toErrorShape } from '../api/errors.js';
import type { ImageFolder, ImageSet } from '../../models/common/training-host.js';
import { listCandidateFiles } from './image-ingest.js';
import { decodeRgb } from './image-pixels.js';
import { splitOf } from './prepare-pairs.js';

export interface ImageFolderOptions {
  size: number; // side of every image after centre crop and resize
  margin?: number; // white border around each image, as a fraction of its side (image-pixels DecodeOptions)
  heldOutFraction: number; // share of images (by a hash of the name) kept out of training, for inversion and KID
  seed: number | string; // of that split
  recursive?: boolean;
  limit?: number; // the first `limit` files in name order, for a quick trial
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

// A split in memory (`size × size × 3` uint8 per image, with the file each came from) and a folder as read are the
// shapes a family's training task takes through its host: one definition, in models/common/training-host.ts.
export type { ImageFolder as ImageFolderDataset, ImageSet };

const CONCURRENCY = 4; // sharp decodes on libuv's pool
const imageSet = (size: number, images: Uint8Array[], names: string[]): ImageSet => ({ size, length: images.length, names, read: (i) => images[i]! });

/** What fitting pictures of these sizes into `size` px squares (decodeRgb) did to them, in words for the user. */
export function fitNotices(pictures: ReadonlyArray<{ width: number; height: number }>, size: number): string[] {
  const notSquare = pictures.filter(({ width, height }) => width !== height).length;
  const resized = pictures.filter(({ width, height }) => Math.min(width, height) !== size).length; // the centre square's side
  const notices: string[] = [];
  if (notSquare > 0) notices.push(`${notSquare} image${notSquare === 1 ? ' was' : 's were'} not square: centre-cropped to a square.`);
  if (resized > 0) notices.push(`${resized} image${resized === 1 ? ' was' : 's were'} resized to ${size} px.`);
  return notices;
}

/** Decodes every image under `dir`; unreadable files are skipped and listed, other sizes and aspects adapted. */
export async function loadImageFolder(dir: string, options: ImageFolderOptions): Promise<ImageFolder> {
  const root = path.resolve(dir);
  let files = await listCandidateFiles(root, options.recursive ?? false);
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const decoded: Array<{ name: string; rgb: Uint8Array } | undefined> = new Array(files.length);
  const skipped: Array<{ file: string; reason: string } | undefined> = new Array(files.length);
  const sizes: Array<{ width: number; height: number }> = [];
  let next = 0;
  let done = 0;
  options.onProgress?.(0, files.length);
  const worker = async (): Promise<void> => {
    while (next < files.length && !options.signal?.aborted) {
      const index = next++;
      const file = files[index]!;
      const name = path.relative(root, file);
      try {
        const rgb = await decodeRgb(file, options.size, options.margin === undefined ? {} : { margin: options.margin });
        const { width = 0, height = 0 } = await sharp(file).metadata();
        sizes.push({ width, height });
        decoded[index] = { name, rgb };
      } catch (err) {
        skipped[index] = { file: name, reason: toErrorShape(err).message };
      }
      options.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  options.signal?.throwIfAborted();

  const split = { train: { images: [] as Uint8Array[], names: [] as string[] }, test: { images: [] as Uint8Array[], names: [] as string[] } };
  for (const item of decoded) {
    if (item === undefined) continue;
    const into = split[splitOf(item.name, options.seed, options.heldOutFraction)];
    into.images.push(item.rgb);
    into.names.push(item.name);
  }
  return {
    train: imageSet(options.size, split.train.images, split.train.names),
    test: imageSet(options.size, split.test.images, split.test.names),
    skipped: skipped.filter((s) => s !== undefined),
    notices: fitNotices(sizes, options.size),
  };
}

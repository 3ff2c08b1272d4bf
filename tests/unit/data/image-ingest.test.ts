// Ingest accepts real images (stored byte for byte, with a thumbnail) and refuses everything else before it costs much.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_IMAGE_FILE_BYTES,
  ingestImageBytes,
  ingestImageFile,
  listCandidateFiles,
} from '../../../main/data/image-ingest.js';
import { noiseImage, pngHeaderOnly } from '../../support/images.js';
import { tempFolder } from '../../support/temp-home.js';

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  return { code: 'resolved', message: '' };
}

function filesUnder(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(folder, f)).isFile())
    .sort();
}

describe('ingestImageBytes', () => {
  let tmp: ReturnType<typeof tempFolder>;
  let project: string;
  beforeEach(() => {
    tmp = tempFolder('ingest');
    project = path.join(tmp.path, 'project');
    fs.mkdirSync(project);
  });
  afterEach(() => tmp.remove());

  it('stores a PNG byte for byte under its hash, with a thumbnail of at most 256 px', async () => {
    const bytes = await noiseImage(640, 400, 'png');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const img = await ingestImageBytes(bytes, 'photos/cat.png', project);
    expect(img).toEqual({
      name: 'cat.png',
      contentHash: hash,
      path: `assets/${hash.slice(0, 2)}/${hash}.png`,
      thumbPath: `thumbs/${hash}.webp`,
      width: 640,
      height: 400,
      format: 'png',
    });
    expect(fs.readFileSync(path.join(project, img.path)).equals(bytes)).toBe(true);
    const thumb = await sharp(path.join(project, img.thumbPath)).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 256, 160]);
    expect(filesUnder(project)).toEqual([img.path, img.thumbPath].sort());
  });

  it('honours EXIF orientation in the reported size and the thumbnail', async () => {
    const bytes = await sharp(await noiseImage(600, 300, 'jpeg')).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const img = await ingestImageBytes(bytes, 'portrait.jpg', project);
    expect([img.format, img.width, img.height]).toEqual(['jpeg', 300, 600]);
    expect(img.path.endsWith('.jpg')).toBe(true);
    const thumb = await sharp(path.join(project, img.thumbPath)).metadata();
    expect([thumb.width, thumb.height]).toEqual([128, 256]);
  });

  it('does not enlarge small images and accepts WebP, GIF, TIFF and AVIF', async () => {
    for (const [format, ext] of [['webp', 'webp'], ['gif', 'gif'], ['tiff', 'tiff'], ['avif', 'avif']] as const) {
      const img = await ingestImageBytes(await noiseImage(40, 30, format, 7), `x.${ext}`, project);
      expect([img.format, img.width, img.height]).toEqual([format, 40, 30]);
      expect(img.path.endsWith(`.${ext}`)).toBe(true);
      const thumb = await sharp(path.join(project, img.thumbPath)).metadata();
      expect([thumb.width, thumb.height]).toEqual([40, 30]);
    }
  });

  it('ingests the same bytes twice without error or rewriting', async () => {
    const bytes = await noiseImage(50, 50, 'png');
    const first = await ingestImageBytes(bytes, 'a.png', project);
    const before = fs.statSync(path.join(project, first.path)).mtimeMs;
    const second = await ingestImageBytes(bytes, 'b.png', project);
    expect(second).toEqual({ ...first, name: 'b.png' });
    expect(fs.statSync(path.join(project, first.path)).mtimeMs).toBe(before);
    expect(filesUnder(project)).toHaveLength(2);
  });

  it('refuses a text file named .png as INVALID_IMAGE, naming the file', async () => {
    const result = await codeOf(ingestImageBytes(Buffer.from('this is not an image at all\n'), 'notes.png', project));
    expect(result.code).toBe('INVALID_IMAGE');
    expect(result.message).toContain('notes.png');
    expect(filesUnder(project)).toEqual([]);
  });

  it('refuses truncated PNG and JPEG files as INVALID_IMAGE and writes nothing', async () => {
    for (const format of ['png', 'jpeg'] as const) {
      const bytes = await noiseImage(300, 200, format);
      const result = await codeOf(ingestImageBytes(bytes.subarray(0, Math.floor(bytes.length * 0.7)), `cut.${format}`, project));
      expect(result.code).toBe('INVALID_IMAGE');
      expect(result.message).toContain(`cut.${format}`);
    }
    expect(filesUnder(project)).toEqual([]);
  });

  it('refuses a 30000×30000 PNG from its header, fast, as IMAGE_TOO_LARGE', async () => {
    const bomb = pngHeaderOnly(30_000, 30_000);
    expect(bomb.length).toBeLessThan(1000);
    const started = performance.now();
    const result = await codeOf(ingestImageBytes(bomb, 'bomb.png', project));
    expect(performance.now() - started).toBeLessThan(500); // decoding 900 Mpx would take seconds and gigabytes
    expect(result.code).toBe('IMAGE_TOO_LARGE');
    expect(result.message).toContain('30000×30000');
    expect(filesUnder(project)).toEqual([]);
  });

  it('says why in whole sentences: a 100000×100000 header-only PNG, a truncated JPEG, a JPEG cut after its header', async () => {
    const jpeg = await noiseImage(64, 64, 'jpeg', 5);
    const cases = [
      { name: 'portrait.png', bytes: pngHeaderOnly(100_000, 100_000).subarray(0, 33), code: 'IMAGE_TOO_LARGE', says: 'portrait.png is 100000×100000 pixels; the limit is 100 megapixels.' },
      { name: 'cut.jpg', bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)), code: 'INVALID_IMAGE', says: /^cut\.jpg is damaged: its (header cannot be read|pixels are truncated or corrupt) \(premature end of JPEG image[^()]*\)\.$/ },
      { name: 'stub.jpg', bytes: jpeg.subarray(0, 20), code: 'INVALID_IMAGE', says: /^stub\.jpg is damaged: its header cannot be read \([^()]+\)\.$/ },
    ];
    for (const { name, bytes, code, says } of cases) {
      const result = await codeOf(ingestImageBytes(bytes, name, project));
      expect(result.code, name).toBe(code);
      if (typeof says === 'string') expect(result.message).toBe(says);
      else expect(result.message).toMatch(says);
      expect(result.message).not.toMatch(/[:;,]\s*\)?\.?$/); // never "…: " — the bug this guards
    }
    expect(filesUnder(project)).toEqual([]);
  });

  it('refuses SVG as UNSUPPORTED_FORMAT and empty input as INVALID_IMAGE', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    const result = await codeOf(ingestImageBytes(svg, 'logo.svg', project));
    expect(result.code).toBe('UNSUPPORTED_FORMAT');
    expect(result.message).toContain('logo.svg');
    expect((await codeOf(ingestImageBytes(Buffer.alloc(0), 'empty.png', project))).code).toBe('INVALID_IMAGE');
  });

  it('refuses to write through a symlinked folder that leads outside the project', async () => {
    fs.mkdirSync(path.join(tmp.path, 'elsewhere'));
    fs.symlinkSync(path.join(tmp.path, 'elsewhere'), path.join(project, 'thumbs'));
    const result = await codeOf(ingestImageBytes(await noiseImage(20, 20, 'png'), 'a.png', project));
    expect(result.code).toBe('PATH_OUTSIDE_PROJECT');
    expect(fs.readdirSync(path.join(tmp.path, 'elsewhere'))).toEqual([]);
  });
});

describe('ingestImageFile', () => {
  let tmp: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    tmp = tempFolder('ingest-file');
    fs.mkdirSync(path.join(tmp.path, 'project'));
  });
  afterEach(() => tmp.remove());

  it('ingests a file from disk under its base name', async () => {
    const file = path.join(tmp.path, 'shot.jpeg');
    fs.writeFileSync(file, await noiseImage(100, 80, 'jpeg'));
    const img = await ingestImageFile(file, path.join(tmp.path, 'project'));
    expect([img.name, img.width, img.height, img.format]).toEqual(['shot.jpeg', 100, 80, 'jpeg']);
  });

  it('refuses an over-size file from its size alone, and reports a missing one as NOT_FOUND', async () => {
    const huge = path.join(tmp.path, 'huge.png');
    fs.writeFileSync(huge, pngHeaderOnly(10, 10));
    fs.truncateSync(huge, MAX_IMAGE_FILE_BYTES + 1); // sparse: costs no disk, and reading it would take seconds
    const started = performance.now();
    expect((await codeOf(ingestImageFile(huge, path.join(tmp.path, 'project')))).code).toBe('IMAGE_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(500);
    expect((await codeOf(ingestImageFile(path.join(tmp.path, 'gone.png'), tmp.path))).code).toBe('NOT_FOUND');
  });
});

describe('listCandidateFiles', () => {
  let tmp: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    tmp = tempFolder('candidates');
    const touch = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(tmp.path, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp.path, rel), 'x');
    };
    ['b.png', 'a.jpg', '.DS_Store', 'sub/c.png', 'sub/deeper/d.png', '.hidden/e.png', 'sub/.f.png'].forEach(touch);
    fs.symlinkSync(path.join(tmp.path, 'a.jpg'), path.join(tmp.path, 'link.jpg'));
    fs.symlinkSync(tmp.path, path.join(tmp.path, 'sub', 'loop')); // a folder link that would recurse forever
  });
  afterEach(() => tmp.remove());

  it('lists visible files, sorted, recursing only when asked', async () => {
    const rel = (files: string[]) => files.map((f) => path.relative(tmp.path, f));
    expect(rel(await listCandidateFiles(tmp.path, false))).toEqual(['a.jpg', 'b.png', 'link.jpg']);
    expect(rel(await listCandidateFiles(tmp.path, true))).toEqual([
      'a.jpg', 'b.png', 'link.jpg', 'sub/c.png', 'sub/deeper/d.png',
    ]);
  });

  it('reports a missing folder or a file as NOT_FOUND', async () => {
    expect((await codeOf(listCandidateFiles(path.join(tmp.path, 'nope'), true))).code).toBe('NOT_FOUND');
    expect((await codeOf(listCandidateFiles(path.join(tmp.path, 'b.png'), true))).code).toBe('NOT_FOUND');
  });
});

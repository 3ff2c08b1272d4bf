// Reads and writes PNG tEXt chunks (PNG spec §11.3.4.3). sharp writes no custom text chunks, and the format is a
// few lines over the chunk list, so it is done here rather than with another dependency.
import { crc32 } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Chunk {
  type: string;
  data: Buffer;
  start: number; // offset of the chunk's length field
  end: number; // offset after its CRC
}

function chunks(png: Buffer): Chunk[] {
  if (png.length < SIGNATURE.length || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  const found: Chunk[] = [];
  for (let at = 8; at + 12 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > png.length) throw new Error(`PNG chunk ${type} runs past the end of the file`);
    found.push({ type, data: png.subarray(at + 8, at + 8 + length), start: at, end });
    at = end;
  }
  return found;
}

/**
 * `png` with a tEXt chunk `keyword` = `text` inserted before IEND. tEXt is Latin-1, so `text` must be (JSON made
 * ASCII-safe with \u escapes is).
 */
export function withPngText(png: Buffer, keyword: string, text: string): Buffer {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error(`PNG text keyword "${keyword}" must be 1–79 printable Latin-1 characters`);
  if (/[^\x00-\xff]/.test(text)) throw new Error('PNG tEXt holds Latin-1 text only');
  const iend = chunks(png).find((c) => c.type === 'IEND');
  if (iend === undefined) throw new Error('PNG file has no IEND chunk');
  const body = Buffer.concat([Buffer.from('tEXt', 'latin1'), Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body) >>> 0, 4 + body.length);
  return Buffer.concat([png.subarray(0, iend.start), chunk, png.subarray(iend.start)]);
}

/** Every tEXt chunk of `png`, keyword → text. */
export function readPngText(png: Buffer): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const c of chunks(png)) {
    if (c.type !== 'tEXt') continue;
    const zero = c.data.indexOf(0);
    if (zero > 0) texts[c.data.toString('latin1', 0, zero)] = c.data.toString('latin1', zero + 1);
  }
  return texts;
}

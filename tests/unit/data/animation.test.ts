import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeGif, encodeWebm } from '../../../main/data/animation.js';

/** Frames of a square sliding across: frame i has a white 8 px square at x = 4i on a dark blue ground. */
function slidingSquare(count: number, size = 32): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const rgb = new Uint8Array(size * size * 3);
    for (let p = 0; p < size * size; p++) rgb.set([20, 30, 120], p * 3);
    for (let y = 12; y < 20; y++) for (let x = 4 * i; x < 4 * i + 8; x++) rgb.set([255, 255, 255], (y * size + x) * 3);
    return rgb;
  });
}

describe('animations', () => {
  it('a GIF holds every frame, at the frame rate, close to the source pixels', async () => {
    const frames = slidingSquare(5);
    const gif = encodeGif({ frames, width: 32, height: 32, fps: 10 });
    const meta = await sharp(gif, { pages: -1 }).metadata();
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBe(5);
    expect(meta.delay).toEqual([100, 100, 100, 100, 100]);
    expect(meta.loop).toBe(0);
    const third = await sharp(gif, { page: 2 }).removeAlpha().raw().toBuffer();
    const diff = third.reduce((s, v, i) => s + Math.abs(v - frames[2]![i]!), 0) / third.length;
    expect(diff).toBeLessThan(2);
  });

  it('a WebM is an EBML file with a VP8 track and one key frame per frame', async () => {
    const webm = await encodeWebm({ frames: slidingSquare(4), width: 32, height: 32, fps: 12 });
    expect(webm.readUInt32BE(0)).toBe(0x1a45dfa3); // EBML magic
    expect(webm.includes(Buffer.from('webm'))).toBe(true);
    expect(webm.includes(Buffer.from('V_VP8'))).toBe(true);
    // Each VP8 key frame carries the start code 9d 01 2a after its 3-byte frame tag.
    let keyFrames = 0;
    for (let i = webm.indexOf(Buffer.from([0x9d, 0x01, 0x2a])); i >= 0; i = webm.indexOf(Buffer.from([0x9d, 0x01, 0x2a]), i + 1)) keyFrames++;
    expect(keyFrames).toBe(4);
  });

  it('refuses frames of the wrong size, no frames, and an impossible frame rate', async () => {
    expect(() => encodeGif({ frames: [], width: 4, height: 4, fps: 10 })).toThrow(/at least one frame/);
    expect(() => encodeGif({ frames: [new Uint8Array(10)], width: 4, height: 4, fps: 10 })).toThrow(/not 4×4 RGB/);
    await expect(encodeWebm({ frames: slidingSquare(1), width: 32, height: 32, fps: 0 })).rejects.toThrow(/Frame rate/);
  });
});

// Animations from RGB frames: GIF (gifenc) and WebM (webm-muxer). Node has no WebCodecs encoder, so each WebM frame
// is a VP8 key frame taken from a lossy WebP (sharp/libwebp): a lossy WebP file is one VP8 frame in a RIFF wrapper,
// which is the bitstream a V_VP8 track carries. Key frames only make the file larger than an inter-coded video, but it
// plays in every browser and editor, and nothing outside the studio's own libraries is needed.
import * as gifencModule from 'gifenc';
import sharp from 'sharp';
import { ArrayBufferTarget, Muxer } from 'webm-muxer';

// gifenc's CommonJS build (what Node loads) shows its exports only on `default`; its ESM build (what Vite and Vitest
// load) has them by name. Take them from wherever they are.
const gifenc: typeof gifencModule = 'GIFEncoder' in gifencModule ? gifencModule : (gifencModule as unknown as { default: typeof gifencModule }).default;
const { applyPalette, GIFEncoder, quantize } = gifenc;

/** Frames of one animation: each `width × height × 3` uint8 RGB, row-major. */
export interface RgbFrames {
  frames: readonly Uint8Array[];
  width: number;
  height: number;
  fps: number;
}

function checkFrames({ frames, width, height, fps }: RgbFrames): void {
  if (frames.length === 0) throw new RangeError('An animation needs at least one frame.');
  if (!(fps > 0 && fps <= 120)) throw new RangeError(`Frame rate must be in (0, 120], got ${fps}.`);
  for (const frame of frames) if (frame.length !== width * height * 3) throw new RangeError(`A frame is not ${width}×${height} RGB.`);
}

/** A looping GIF, one 256-colour palette per frame (GAN frames drift in colour, so a global palette bands). */
export function encodeGif(animation: RgbFrames): Buffer {
  checkFrames(animation);
  const { frames, width, height, fps } = animation;
  const gif = GIFEncoder();
  const delay = Math.round(1000 / fps);
  for (const rgb of frames) {
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      rgba[j] = rgb[i]!;
      rgba[j + 1] = rgb[i + 1]!;
      rgba[j + 2] = rgb[i + 2]!;
      rgba[j + 3] = 255;
    }
    const palette = quantize(rgba, 256);
    gif.writeFrame(applyPalette(rgba, palette), width, height, { palette, delay, repeat: 0 });
  }
  gif.finish();
  return Buffer.from(gif.bytes());
}

/** The VP8 bitstream inside a simple lossy WebP (RIFF 'WEBP' with one 'VP8 ' chunk). */
function vp8Payload(webp: Buffer): Uint8Array {
  if (webp.toString('ascii', 0, 4) !== 'RIFF' || webp.toString('ascii', 8, 12) !== 'WEBP') throw new Error('not a WebP file');
  for (let offset = 12; offset + 8 <= webp.length; ) {
    const fourcc = webp.toString('ascii', offset, offset + 4);
    const size = webp.readUInt32LE(offset + 4);
    if (fourcc === 'VP8 ') return new Uint8Array(webp.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  throw new Error('the WebP holds no lossy VP8 frame');
}

/** A WebM (VP8, key frames only) at `quality` (1–100, libwebp's lossy quality). */
export async function encodeWebm(animation: RgbFrames, quality = 90): Promise<Buffer> {
  checkFrames(animation);
  const { frames, width, height, fps } = animation;
  const muxer = new Muxer({ target: new ArrayBufferTarget(), video: { codec: 'V_VP8', width, height, frameRate: fps }, firstTimestampBehavior: 'offset' });
  for (const [i, rgb] of frames.entries()) {
    const webp = await sharp(rgb, { raw: { width, height, channels: 3 } }).webp({ quality, lossless: false, alphaQuality: 100 }).toBuffer();
    muxer.addVideoChunkRaw(vp8Payload(webp), 'key', Math.round((i * 1_000_000) / fps), { decoderConfig: { codec: 'vp8', codedWidth: width, codedHeight: height } });
  }
  muxer.finalize();
  return Buffer.from(muxer.target.buffer);
}

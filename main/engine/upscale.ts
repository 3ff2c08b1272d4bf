// Super-resolution of an image of any size with a pretrained ESRGAN, tile by tile so memory stays bounded.
//
// Each tile is run with `overlap` pixels of real neighbouring context on every side (mirrored at the image border,
// as the network's own padding would see a whole image), and only its centre is kept: every output pixel is then
// computed from at least `overlap` input pixels around it, more than the receptive field the seams would show in.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { StudioError } from '../api/errors.js';
import { MAX_IMAGE_PIXELS } from '../data/image-ingest.js';

export interface UpscaleOptions {
  tile?: number; // input pixels per tile side, before the overlap (default 128, upscaler.js' patch size)
  overlap?: number; // context pixels on each side of a tile (default 32)
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** rgb (`width × height × 3` uint8) → the image `scale` times larger, same layout. */
export async function upscaleRgb(model: tfl.LayersModel, scale: number, rgb: Uint8Array, width: number, height: number, options: UpscaleOptions = {}): Promise<Uint8Array> {
  const { tile = 128, overlap = 32 } = options;
  if (rgb.length !== width * height * 3) throw new StudioError('INVALID_PARAMS', `The image is not ${width}×${height} RGB.`);
  if (width * height * scale * scale > MAX_IMAGE_PIXELS) {
    throw new StudioError('IMAGE_TOO_LARGE', `Upscaled ${scale}× this ${width}×${height} image would be ${width * scale}×${height * scale}, more than the ${MAX_IMAGE_PIXELS / 1e6} megapixels the studio keeps in memory.`);
  }
  const out = new Uint8Array(width * scale * height * scale * 3);
  const tilesX = Math.ceil(width / tile);
  const tilesY = Math.ceil(height / tile);
  const image = tf.tensor3d(rgb, [height, width, 3], 'int32');
  try {
    for (let ty = 0; ty < tilesY; ty++) {
      for (let tx = 0; tx < tilesX; tx++) {
        options.signal?.throwIfAborted();
        const [x0, y0] = [tx * tile, ty * tile];
        const [w, h] = [Math.min(tile, width - x0), Math.min(tile, height - y0)];
        // Context that exists inside the image, then mirror padding for what lies beyond its border.
        const left = Math.min(overlap, x0);
        const top = Math.min(overlap, y0);
        const right = Math.min(overlap, width - x0 - w);
        const bottom = Math.min(overlap, height - y0 - h);
        const pixels = tf.tidy(() => {
          let patch = tf.cast(tf.slice(image, [y0 - top, x0 - left, 0], [h + top + bottom, w + left + right, 3]), 'float32') as tf.Tensor3D;
          const [padTop, padBottom, padLeft, padRight] = [overlap - top, overlap - bottom, overlap - left, overlap - right].map((p, i) => Math.min(p, (i < 2 ? h + top + bottom : w + left + right) - 1));
          patch = tf.mirrorPad(patch, [[padTop!, padBottom!], [padLeft!, padRight!], [0, 0]], 'reflect');
          const [oy, ox] = [(top + padTop!) * scale, (left + padLeft!) * scale];
          const y = model.predict(tf.expandDims(patch, 0)) as tf.Tensor4D;
          return tf.round(tf.clipByValue(tf.slice(tf.squeeze(y, [0]), [oy, ox, 0], [h * scale, w * scale, 3]), 0, 255)).dataSync();
        });
        const rowBytes = w * scale * 3;
        for (let r = 0; r < h * scale; r++) out.set(pixels.subarray(r * rowBytes, (r + 1) * rowBytes), ((y0 * scale + r) * width * scale + x0 * scale) * 3);
        options.onProgress?.(ty * tilesX + tx + 1, tilesX * tilesY);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    image.dispose();
  }
  return out;
}

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEsrganModel } from '../../../main/engine/esrgan-weights.js';
import { installOrtKernels, uninstallOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { upscaleRgb } from '../../../main/engine/upscale.js';

/** A picture with hard edges and smooth parts: discs and stripes, `width × height` RGB. */
async function picture(width: number, height: number): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#e8d8b0"/>
    <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${height * 0.25}" fill="#c03020"/>
    <rect x="${width * 0.55}" y="${height * 0.1}" width="${width * 0.08}" height="${height * 0.8}" fill="#203080"/>
    <rect x="${width * 0.7}" y="${height * 0.1}" width="${width * 0.04}" height="${height * 0.8}" fill="#203080"/>
    <text x="4" y="${height - 6}" font-size="${Math.round(height / 5)}" fill="black">Ag</text></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer());
}

const psnr = (a: Uint8Array, b: Uint8Array): number => {
  let mse = 0;
  for (let i = 0; i < a.length; i++) mse += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (mse / a.length));
};

describe('ESRGAN upscaling (npm @upscalerjs weights)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    installOrtKernels();
  });
  afterAll(() => uninstallOrtKernels());

  it('tiles without seams: small overlapping tiles give the image one whole tile gives', async () => {
    const model = await loadEsrganModel('slim', 2);
    const rgb = await picture(90, 70);
    const whole = await upscaleRgb(model, 2, rgb, 90, 70, { tile: 256 });
    const progress: number[] = [];
    const tiled = await upscaleRgb(model, 2, rgb, 90, 70, { tile: 32, overlap: 24, onProgress: (done) => progress.push(done) });
    expect(whole).toHaveLength(180 * 140 * 3);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]); // 3 × 3 tiles
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i]! - tiled[i]!));
    expect(worst).toBeLessThanOrEqual(1); // rounding only
    model.dispose();
  }, 120_000);

  it('4× restores a downscaled picture better than a bicubic resize does', async () => {
    const model = await loadEsrganModel('slim', 4);
    const original = await picture(128, 96);
    const small = new Uint8Array(await sharp(original, { raw: { width: 128, height: 96, channels: 3 } }).resize(32, 24, { kernel: 'cubic' }).raw().toBuffer());
    const bicubic = new Uint8Array(await sharp(small, { raw: { width: 32, height: 24, channels: 3 } }).resize(128, 96, { kernel: 'cubic' }).raw().toBuffer());
    const esrgan = await upscaleRgb(model, 4, small, 32, 24);
    expect(psnr(esrgan, original)).toBeGreaterThan(psnr(bicubic, original));
    model.dispose();
  }, 120_000);

  it('refuses an upscale that would not fit in memory, before computing anything', async () => {
    const model = await loadEsrganModel('slim', 4);
    await expect(upscaleRgb(model, 4, new Uint8Array(4000 * 3000 * 3), 4000, 3000)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    model.dispose();
  });
});

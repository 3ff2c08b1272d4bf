// Bench case esrgan-x4: a 256 px picture upscaled 4× by the pretrained ESRGAN-slim from npm (@upscalerjs/esrgan-slim),
// as the studio runs it (main/engine/upscale.ts: 128 px tiles with 32 px of context, tfjs with the native
// kernels), against the same model and tiling on plain tfjs-cpu (the native kernels uninstalled): the issue's
// yardstick. Both outputs are compared first; more than one level apart anywhere, the figure has no ratio and the case
// fails. Plain tfjs-cpu takes minutes for one picture (about 60× ours here), so it runs once, and -medium (3× the
// work) is left out of the case.
import { installOrtKernels, uninstallOrtKernels } from '../../main/engine/ort-kernels/index.js';
import { loadEsrganModel } from '../../main/engine/esrgan-weights.js';
import { upscaleRgb } from '../../main/engine/upscale.js';
import { benchThreads, emitFigure, peakRssMb, timeMedianAsync } from '../harness.js';

const SIZE = 256;
const SCALE = 4;

/** A 256 px test picture with edges and gradients in every direction (what an upscaler has to keep sharp). */
function testPicture(): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const ring = Math.hypot(x - SIZE / 2, y - SIZE / 2) % 24 < 12 ? 1 : 0;
      rgb.set([ring * 200 + (x % 56), Math.round((255 * y) / SIZE), (x * 7 + y * 3) % 256], (y * SIZE + x) * 3);
    }
  }
  return rgb;
}

export function esrgan(steps: number): () => Promise<void> {
  return async () => {
    const picture = testPicture();
    const model = await loadEsrganModel('slim', SCALE);
    try {
      let ours: Uint8Array | undefined;
      const oursMs = await timeMedianAsync(async () => {
        ours = await upscaleRgb(model, SCALE, picture, SIZE, SIZE);
      }, 1, steps);
      const rss = peakRssMb();
      uninstallOrtKernels();
      let plain: Uint8Array | undefined;
      let plainMs: number;
      try {
        plainMs = await timeMedianAsync(async () => {
          plain = await upscaleRgb(model, SCALE, picture, SIZE, SIZE);
        }, 0, 1);
      } finally {
        installOrtKernels({ threads: benchThreads });
      }
      let maxDiff = 0;
      for (let i = 0; i < ours!.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours![i]! - plain![i]!));
      const mismatch = maxDiff > 1 ? `ESRGAN-slim ×${SCALE}: our output differs from plain tfjs-cpu's by ${maxDiff} levels` : undefined;
      emitFigure({
        case: 'esrgan-x4',
        what: `ESRGAN-slim ×${SCALE} of a ${SIZE} px picture (tiled as the studio runs it)`,
        ours_ms: oursMs,
        yardstick: mismatch === undefined ? { name: 'the same model and tiles on plain tfjs-cpu', ms: plainMs } : { name: 'plain tfjs-cpu', missing: mismatch },
        peakRssMb: rss,
        extra: { max_level_diff: maxDiff },
      });
      if (mismatch !== undefined) throw new Error(mismatch);
    } finally {
      model.dispose();
    }
  };
}

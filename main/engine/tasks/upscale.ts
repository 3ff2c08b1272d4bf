// Engine task: upscales pictures with a pretrained ESRGAN (main/engine/upscale.ts), one file after another, streaming
// each finished file; a picture that cannot be read or is too large is reported and the rest go on.

import path from 'node:path';
import sharp from 'sharp';
import { toErrorShape } from '../../api/errors.js';
import { decodeRgbAsIs } from '../../data/image-pixels.js';
import { writeFileAtomic } from '../../library/atomic-write.js';
import { loadEsrganModel } from '../esrgan-weights.js';
import { upscaleRgb } from '../upscale.js';
import type { EngineParams, EngineResult, UpscaleItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { mkdirInLiveProject } from '../../library/project-paths.js';

export async function upscaleTask(params: EngineParams<'esrgan.upscale'>, ctx: EngineTaskContext<UpscaleItem>): Promise<EngineResult<'esrgan.upscale'>> {
  ctx.onProgress({ stage: 'Loading ESRGAN', step: 0, total: params.files.length });
  const model = await loadEsrganModel(params.model, params.scale);
  let upscaled = 0;
  try {
    for (const [index, file] of params.files.entries()) {
      ctx.signal.throwIfAborted();
      try {
        const { rgb, width, height } = await decodeRgbAsIs(file.input);
        const out = await upscaleRgb(model, params.scale, rgb, width, height, {
          signal: ctx.signal,
          onProgress: (done, total) => ctx.onProgress({ stage: `Upscaling ${path.basename(file.input)} (tile ${done} of ${total})`, step: index, total: params.files.length }),
        });
        const [w, h] = [width * params.scale, height * params.scale];
        await mkdirInLiveProject(path.dirname(file.output));
        await writeFileAtomic(file.output, await sharp(out, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer());
        ctx.emitItem({ kind: 'upscaled', index, output: file.output, width: w, height: h } satisfies UpscaleItem);
        upscaled++;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        ctx.emitItem({ kind: 'failed', index, input: path.basename(file.input), reason: toErrorShape(err).message } satisfies UpscaleItem);
      }
      ctx.onProgress({ stage: 'Upscaling', step: index + 1, total: params.files.length });
    }
  } finally {
    model.dispose();
  }
  return { upscaled, failed: params.files.length - upscaled };
}

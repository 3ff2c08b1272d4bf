// Engine task: projects a picture into a StyleGAN2 model's W or W+ space (models/stylegan/projector.ts), streaming
// preview frames with their PSNR/SSIM, and ends with the latent, its noise maps and the reconstruction.

import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { StudioError } from '../../api/errors.js';
import { decodeRgb, encodePng } from '../../data/image-pixels.js';
import { rgbToSigned, signedToRgb } from '../../../models/common/image-tensor.js';
import { writeFileAtomic } from '../../library/atomic-write.js';
import { loadModel } from '../../model-files/model-folder.js';
import type { StyleGAN2Config } from '../../../models/stylegan/config.js';
import type { GeneratorWeights } from '../../../models/stylegan/networks.js';
import { Projector } from '../../../models/stylegan/projector.js';
import type { EngineParams, EngineResult, InvertItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { mkdirInLiveProject } from '../../library/project-paths.js';

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function invertTask(params: EngineParams<'stylegan.invert'>, ctx: EngineTaskContext<InvertItem>): Promise<EngineResult<'stylegan.invert'>> {
  const emit = (item: InvertItem): void => ctx.emitItem(item);
  ctx.onProgress({ stage: 'Loading the model', step: 0, total: 0 });
  const loaded = await loadModel(params.modelFolder, { family: 'stylegan2' });
  const { resolution } = loaded.meta.config as StyleGAN2Config;
  let projector: Projector | undefined;
  try {
    const { width = 0, height = 0 } = await sharp(params.targetPath).metadata().catch(() => ({ width: 0, height: 0 }));
    const rgb = await decodeRgb(params.targetPath, resolution, { name: 'the picture' });
    if (width !== height) emit({ kind: 'notice', message: `The picture is ${width}×${height}: its centre square was used.` });
    else if (width !== resolution) emit({ kind: 'notice', message: `The picture was resized from ${width} px to the model's ${resolution} px.` });
    const target = tf.tensor4d(rgbToSigned(rgb), [1, resolution, resolution, 3]);
    ctx.onProgress({ stage: 'Averaging w over 10 000 samples', step: 0, total: params.steps });
    try {
      projector = new Projector(loaded.parts['generator'] as GeneratorWeights, target, { space: params.space, steps: params.steps, seed: params.seed });
    } finally {
      target.dispose();
    }
    await mkdirInLiveProject(params.outDir);
    const frame = async (name: string): Promise<{ path: string; psnr: number; ssim: number }> => {
      const image = projector!.image();
      const pixels = signedToRgb(image.dataSync());
      image.dispose();
      const file = path.join(params.outDir, name);
      await writeFileAtomic(file, await encodePng(pixels, resolution));
      return { path: file, ...projector!.quality() };
    };
    while (!projector.done) {
      if (ctx.signal.aborted) throw new StudioError('CANCELLED', `Inversion stopped at step ${projector.stepCount}.`);
      const step = projector.step();
      const metrics: Record<string, number> = { distance: step.distance, lr: step.learningRate };
      if (step.step % params.previewEvery === 0 && !projector.done) {
        const preview = await frame(`step-${String(step.step).padStart(5, '0')}.png`);
        emit({ kind: 'preview', step: step.step, ...preview });
        Object.assign(metrics, { psnr: preview.psnr, ssim: preview.ssim });
      }
      ctx.onProgress({ stage: `Inverting into ${params.space.toUpperCase()}`, step: step.step, total: params.steps, metrics });
      await yieldToEvents();
    }
    const result = await frame('result.png');
    emit({ kind: 'result', step: projector.stepCount, latent: Array.from(projector.latent()), noise: Array.from(projector.noiseMaps()), ...result });
    return { psnr: result.psnr, ssim: result.ssim, steps: projector.stepCount };
  } finally {
    projector?.dispose();
    loaded.dispose();
  }
}

// Engine tasks of the Generate view: images of seeds from a StyleGAN2 generator, with truncation and noise settings.
import { z } from 'zod';
import { encodePng } from '../../data/image-pixels.js';
import type { EngineTaskContext } from './index.js';

export const StyleGenerateParams = z.object({
  modelFolder: z.string(),
  seeds: z.array(z.number().int().min(0).max(2 ** 32 - 1)).min(1).max(64),
  truncationPsi: z.number(),
  truncationCutoff: z.number().int().min(1).optional(),
  noiseMode: z.enum(['const', 'random', 'none']),
});

export interface StyleGenerateResult {
  imagesPngBase64: string[]; // one per seed, in order
  size: number;
  ms: number; // mapping + synthesis + encoding, in the engine
}

export async function styleGenerateTask(raw: unknown, ctx: EngineTaskContext): Promise<StyleGenerateResult> {
  const params = StyleGenerateParams.parse(raw);
  const model = await ctx.models.styleGenerator(params.modelFolder);
  const started = performance.now();
  const ws = model.mapSeeds(params.seeds, { psi: params.truncationPsi, cutoff: params.truncationCutoff });
  const images = model.synthesize(ws, params.seeds.length, params.noiseMode);
  const pngs = await Promise.all(images.map((rgb) => encodePng(rgb, model.resolution)));
  return { imagesPngBase64: pngs.map((png) => png.toString('base64')), size: model.resolution, ms: performance.now() - started };
}

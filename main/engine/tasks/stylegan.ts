// Engine tasks of the Generate and Mix views: images of seeds from a StyleGAN2 generator (truncation, noise settings),
// and of several sources' styles blended layer by layer.
import { z } from 'zod';
import { encodePng } from '../../data/image-pixels.js';
import type { MixSource } from '../style-generator.js';
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
  const model = await ctx.models.seedImages(params.modelFolder);
  const started = performance.now();
  const images = model.draw(params.seeds, { psi: params.truncationPsi, cutoff: params.truncationCutoff }, params.noiseMode);
  const pngs = await Promise.all(images.map((rgb) => encodePng(rgb, model.resolution)));
  return { imagesPngBase64: pngs.map((png) => png.toString('base64')), size: model.resolution, ms: performance.now() - started };
}

const MixSourceParams = z.union([
  z.object({ seed: z.number().int().min(0).max(2 ** 32 - 1), truncationPsi: z.number(), truncationCutoff: z.number().int().min(1).optional() }),
  z.object({ ws: z.array(z.number()), noise: z.array(z.number()).optional() }), // a stored latent's values (and noise maps)
]);

export const StyleMixParams = z.object({
  modelFolder: z.string(),
  sources: z.array(MixSourceParams).min(1).max(8),
  layerWeights: z.array(z.array(z.number())), // [numWs][sources], rows summing to 1
  noiseMode: z.enum(['const', 'random', 'none']),
});
export type StyleMixParams = z.input<typeof StyleMixParams>;

export interface StyleMixResult {
  imagePngBase64: string;
  size: number;
  ms: number;
}

/** The sources' styles blended layer by layer, and the image of that latent: one synthesis per slider move. */
export async function styleMixTask(raw: unknown, ctx: EngineTaskContext): Promise<StyleMixResult> {
  const params = StyleMixParams.parse(raw);
  const model = await ctx.models.styleGenerator(params.modelFolder);
  const started = performance.now();
  const sources: MixSource[] = params.sources.map((s) =>
    'seed' in s ? { seed: s.seed, truncation: { psi: s.truncationPsi, cutoff: s.truncationCutoff } } : { ws: Float32Array.from(s.ws), noise: s.noise === undefined ? undefined : Float32Array.from(s.noise) },
  );
  // The noise maps go with the base image: source 0's own (an inverted photo's) when it has them, else the model's.
  const base = sources[0]!;
  const noiseMaps = 'noise' in base && base.noise !== undefined && params.noiseMode === 'const' ? base.noise : undefined;
  const [image] = model.synthesize(model.mix(sources, params.layerWeights), 1, params.noiseMode, noiseMaps);
  const png = await encodePng(image!, model.resolution);
  return { imagePngBase64: png.toString('base64'), size: model.resolution, ms: performance.now() - started };
}

// Engine tasks of the Generate and Mix views: images of seeds from a StyleGAN2 generator (truncation, noise settings),
// and of several sources' styles blended layer by layer.
import { encodePng } from '../../data/image-pixels.js';
import type { MixSource } from '../style-generator.js';
import type { EngineParams, StyleGenerateResult, StyleMixResult } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';

export async function styleGenerateTask(params: EngineParams<'stylegan.generate'>, ctx: EngineTaskContext): Promise<StyleGenerateResult> {
  const model = await ctx.models.seedImages(params.modelFolder);
  const started = performance.now();
  const images = model.draw(params.seeds, { psi: params.truncationPsi, cutoff: params.truncationCutoff }, params.noiseMode);
  const pngs = await Promise.all(images.map((rgb) => encodePng(rgb, model.resolution)));
  return { imagesPngBase64: pngs.map((png) => png.toString('base64')), size: model.resolution, ms: performance.now() - started };
}

/** The sources' styles blended layer by layer, and the image of that latent: one synthesis per slider move. */
export async function styleMixTask(params: EngineParams<'stylegan.mix'>, ctx: EngineTaskContext): Promise<StyleMixResult> {
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

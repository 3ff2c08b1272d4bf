// The manifest that says how to run an imported ONNX generator (onnx-import.ts checks a file against it): a plain zod
// schema apart from the checks, so main/ can validate the engine's models.importOnnx result without loading them.
import { z } from 'zod';

const ImageTensor = z.object({
  name: z.string().min(1),
  shape: z.tuple([z.number().int().positive(), z.literal(3), z.number().int().min(16).max(2048), z.number().int().min(16).max(2048)]),
  layout: z.literal('NCHW'),
  range: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, 'range must be [low, high]'),
});
/** z [batch, zDim] (the mapping's input). */
const LatentZ = z.object({ name: z.string().min(1), shape: z.tuple([z.number().int().positive(), z.number().int().min(1).max(4096)]) });
/** ws [batch, numWs, wDim] (the mapping's output, the synthesis' input). */
const LatentWs = z.object({ name: z.string().min(1), shape: z.tuple([z.number().int().positive(), z.number().int().min(1).max(64), z.number().int().min(1).max(4096)]) });

/** A pix2pix or CycleGAN generator: one image in, one image out. */
const ImageToImageManifest = z.object({
  family: z.enum(['pix2pix', 'cyclegan']),
  name: z.string().min(1).max(120).optional(),
  inputs: z.tuple([ImageTensor]),
  outputs: z.tuple([ImageTensor]),
  resolution: z.number().int().min(16).max(2048),
});

/**
 * A StyleGAN2 as the pair stylegan2-ada-pytorch's G splits into: the synthesis network (the .onnx file imported, ws →
 * image, so mixing can feed it blended ws) and the mapping network (z → ws, truncation ψ 1) in the file `mapping`
 * names beside it. `wAvg`, the centre of truncation, is the model's own when the studio exported it; otherwise the
 * import estimates it as the projector does, from 10 000 mapped z.
 */
const StyleGAN2Manifest = z.object({
  family: z.literal('stylegan2'),
  name: z.string().min(1).max(120).optional(),
  inputs: z.tuple([LatentWs]),
  outputs: z.tuple([ImageTensor]),
  resolution: z.number().int().min(16).max(2048),
  mapping: z.object({
    file: z.string().regex(/^[^/\\:\0]+\.onnx$/, 'mapping.file is the name of an .onnx file in the same folder as the manifest'),
    inputs: z.tuple([LatentZ]),
    outputs: z.tuple([LatentWs]),
  }),
  wAvg: z.array(z.number()).optional(),
});

/** The manifest that says how to run an imported generator (the one models.exportOnnx writes has this shape). */
export const OnnxImportManifest = z.union([ImageToImageManifest, StyleGAN2Manifest]);
export type OnnxImportManifest = z.infer<typeof OnnxImportManifest>;
export type StyleGAN2OnnxManifest = z.infer<typeof StyleGAN2Manifest>;

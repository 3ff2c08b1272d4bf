// Checks an ONNX generator made elsewhere (e.g. exported from PyTorch) before the studio keeps it: the file must be a
// self-contained standard ONNX graph whose one image input and one image output are what its manifest says, and it
// must load and run in ONNX Runtime. ONNX is data, not code: nothing here executes anything from the file but the
// graph's standard operators, and custom operator domains and external data files are refused outright.
import onnxProto from 'onnx-proto';
import { z } from 'zod';
import { StudioError } from '../../api/errors.js';
import { OrtSyncSession } from '../ort-kernels/ort-sync-session.js';
import { NumpyRandomState } from '../../../models/common/numpy-random-state.js';
import { numWs as stylegan2NumWs } from '../../../models/stylegan/networks.js';

const { onnx } = onnxProto;

/** An imported model's folder: the checked file and its manifest. */
export const ONNX_MODEL_FILE = 'model.onnx';
export const ONNX_MANIFEST_FILE = 'manifest.json';

/** Largest ONNX file accepted (protobuf itself caps a message at 2 GiB). */
export const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

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
    file: z.string().regex(/^[^/\\]+\.onnx$/, 'mapping.file is the name of an .onnx file in the same folder as the manifest'),
    inputs: z.tuple([LatentZ]),
    outputs: z.tuple([LatentWs]),
  }),
  wAvg: z.array(z.number()).optional(),
});

/** The manifest that says how to run an imported generator (the one models.exportOnnx writes has this shape). */
export const OnnxImportManifest = z.union([ImageToImageManifest, StyleGAN2Manifest]);
export type OnnxImportManifest = z.infer<typeof OnnxImportManifest>;
export type StyleGAN2OnnxManifest = z.infer<typeof StyleGAN2Manifest>;

/** An imported StyleGAN2's mapping network, kept in its model folder beside model.onnx. */
export const ONNX_MAPPING_FILE = 'mapping.onnx';

const refuse = (message: string): StudioError => new StudioError('MODEL_INCOMPATIBLE', message);

/** Standard ONNX operator sets only: '' and 'ai.onnx'. */
const standardDomain = (domain: string | null | undefined): boolean => domain === undefined || domain === null || domain === '' || domain === 'ai.onnx';

function dims(info: onnxProto.onnx.IValueInfoProto): Array<number | string> {
  return (info.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)));
}

interface TensorSpec {
  name: string;
  shape: readonly number[];
}

/**
 * Decodes `bytes` and checks it is a self-contained standard ONNX graph with one input and one output named and shaped
 * as `input` and `output` say (a symbolic dimension fits any size). `what` names the file in refusals.
 */
function checkGraph(bytes: Uint8Array, input: TensorSpec, output: TensorSpec, what: string): void {
  const What = what.charAt(0).toUpperCase() + what.slice(1);
  if (bytes.byteLength > MAX_ONNX_BYTES) throw refuse(`${What} is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MiB; the limit is ${MAX_ONNX_BYTES / 2 ** 20} MiB.`);
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw refuse(`${What} is not an ONNX file (or it is truncated): ${(err as Error).message}`);
  }
  const graph = model.graph;
  if (!graph || (graph.node?.length ?? 0) === 0) throw refuse(`${What} has no graph.`);
  const custom = (model.opsetImport ?? []).find((o) => !standardDomain(o.domain));
  if (custom !== undefined) throw refuse(`${What} needs the custom operator set “${custom.domain}”; only standard ONNX operators are accepted.`);
  const customNode = (graph.node ?? []).find((n) => !standardDomain(n.domain));
  if (customNode !== undefined) throw refuse(`The ONNX node ${customNode.name ?? customNode.opType} is from the custom domain “${customNode.domain}”.`);
  const external = (graph.initializer ?? []).find((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0);
  if (external !== undefined) throw refuse(`The weight ${external.name} lives in an external data file; export the model as one self-contained file.`);

  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name));
  const outputs = graph.output ?? [];
  if (inputs.length !== 1 || outputs.length !== 1) throw refuse(`${What} should have one input and one output; it has ${inputs.length} inputs and ${outputs.length} outputs.`);
  for (const [kind, info, expected] of [['input', inputs[0]!, input], ['output', outputs[0]!, output]] as const) {
    if (info.name !== expected.name) throw refuse(`In ${what}, the ${kind} is named '${info.name}', the manifest says '${expected.name}'.`);
    const shape = dims(info);
    // A symbolic dimension (PyTorch leaves some, e.g. after reflect padding) fits here; the callers' test run checks
    // the size it actually takes.
    const fits = shape.length === expected.shape.length && shape.every((d, i) => typeof d === 'string' || d === expected.shape[i]);
    if (!fits) throw refuse(`${kind} '${info.name}' is [${shape.join(', ')}] in ${what}, the manifest says [${expected.shape.join(', ')}].`);
  }
}

/** Runs one input through a checked graph in ONNX Runtime; its output must have the manifest's shape and be finite. */
function runOnce(session: OrtSyncSession, input: TensorSpec, output: TensorSpec, values: Float32Array): Float32Array {
  const out = session.run({ [input.name]: { values, shape: [1, ...input.shape.slice(1)] } })[output.name];
  if (out === undefined || !(out.values instanceof Float32Array)) throw new Error(`no float32 output '${output.name}'`);
  const expected = [1, ...output.shape.slice(1)];
  if (out.shape.join() !== expected.join()) throw new Error(`output '${output.name}' comes out as [${out.shape.join(', ')}], the manifest says [${expected.join(', ')}]`);
  if (!out.values.every(Number.isFinite)) throw new Error('the output has NaN or infinite values');
  return out.values;
}

const elementsOf = (shape: readonly number[]): number => shape.slice(1).reduce((a, b) => a * b, 1);

/** Opens `bytes` in ONNX Runtime and runs `use` on the session; any failure is the file's, in words. */
function withSession<T>(bytes: Uint8Array, what: string, use: (session: OrtSyncSession) => T): T {
  let session: OrtSyncSession | undefined;
  try {
    session = new OrtSyncSession(bytes, { intraOpThreads: 1 });
    return use(session);
  } catch (err) {
    throw refuse(`ONNX Runtime cannot run ${what}: ${(err as Error).message}`);
  } finally {
    session?.dispose();
  }
}

/** Parses the manifest, with every complaint in words. */
export function parseOnnxManifest(manifestInput: unknown): OnnxImportManifest {
  const parsed = OnnxImportManifest.safeParse(manifestInput);
  if (!parsed.success) throw refuse(`The manifest is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Validates an image-to-image generator `bytes` against its manifest and returns the manifest. Refusals name what does
 * not fit, e.g. "input 'x' is [1, 3, 256, 256] in the file, the manifest says [1, 3, 128, 128]".
 */
export function checkOnnxGenerator(bytes: Uint8Array, manifestInput: unknown): OnnxImportManifest {
  const manifest = parseOnnxManifest(manifestInput);
  if (manifest.family === 'stylegan2') throw refuse('A StyleGAN2 comes as two files, synthesis and mapping: import its synthesis .onnx with the manifest naming both.');
  const [input] = manifest.inputs;
  const [output] = manifest.outputs;
  checkGraph(bytes, input, output, 'the file');
  if (input.shape[2] !== manifest.resolution || output.shape[2] !== manifest.resolution) {
    throw refuse(`The manifest's resolution ${manifest.resolution} does not match its tensors.`);
  }
  // It must load and run: one inference on a mid-grey image.
  withSession(bytes, 'this file', (session) => runOnce(session, input, output, new Float32Array(elementsOf(input.shape)).fill((input.range[0] + input.range[1]) / 2)));
  return manifest;
}

/** How many z the import maps to estimate w̄ when the manifest has none (as stylegan2-ada-pytorch's projector). */
const W_AVG_SAMPLES = 10_000;

/**
 * Validates a StyleGAN2 pair: the synthesis `bytes` and the `mapping` bytes against the manifest and each other (the
 * mapping's ws must be what the synthesis takes, and as many as the resolution has layers). Returns the manifest with
 * `wAvg`: the manifest's own, or the mean of W_AVG_SAMPLES mapped z (numpy RandomState(123), the projector's).
 */
export function checkOnnxStyleGAN2(synthesisBytes: Uint8Array, mappingBytes: Uint8Array, manifestInput: unknown): StyleGAN2OnnxManifest & { wAvg: number[] } {
  const manifest = parseOnnxManifest(manifestInput);
  if (manifest.family !== 'stylegan2') throw refuse(`The manifest describes a ${manifest.family} generator, not a StyleGAN2 pair.`);
  const [ws] = manifest.inputs;
  const [image] = manifest.outputs;
  const [z] = manifest.mapping.inputs;
  const [mappedWs] = manifest.mapping.outputs;
  if (image.shape[2] !== manifest.resolution || image.shape[3] !== manifest.resolution) throw refuse(`The manifest's resolution ${manifest.resolution} does not match its image [${image.shape.join(', ')}].`);
  const layers = stylegan2NumWs(manifest.resolution);
  if (ws.shape[1] !== layers) throw refuse(`A ${manifest.resolution} px StyleGAN2 synthesis takes ${layers} ws; the manifest says ${ws.shape[1]}.`);
  if (mappedWs.shape[1] !== ws.shape[1] || mappedWs.shape[2] !== ws.shape[2]) {
    throw refuse(`The mapping gives ws of [${mappedWs.shape.slice(1).join(', ')}] but the synthesis takes [${ws.shape.slice(1).join(', ')}].`);
  }
  const wDim = ws.shape[2];
  if (manifest.wAvg !== undefined && manifest.wAvg.length !== wDim) throw refuse(`wAvg has ${manifest.wAvg.length} numbers; w has ${wDim}.`);
  checkGraph(synthesisBytes, ws, image, 'the synthesis file');
  checkGraph(mappingBytes, z, mappedWs, `the mapping file ${manifest.mapping.file}`);

  const wAvg =
    manifest.wAvg ??
    withSession(mappingBytes, 'the mapping', (session) => {
      const sum = new Float64Array(wDim);
      const random = new NumpyRandomState(123);
      for (let i = 0; i < W_AVG_SAMPLES; i++) {
        const w = runOnce(session, z, mappedWs, Float32Array.from(random.randn(z.shape[1])));
        for (let j = 0; j < wDim; j++) sum[j]! += w[j]!; // every ws row of an untruncated mapping is the same w
      }
      return Array.from(sum, (v) => v / W_AVG_SAMPLES);
    });
  withSession(synthesisBytes, 'the synthesis', (session) => runOnce(session, ws, image, Float32Array.from({ length: elementsOf(ws.shape) }, (_, i) => wAvg[i % wDim]!)));
  return { ...manifest, wAvg };
}

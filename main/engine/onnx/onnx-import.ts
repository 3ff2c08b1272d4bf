// Checks an ONNX generator made elsewhere (e.g. exported from PyTorch) before the studio keeps it: the file must be a
// self-contained standard ONNX graph whose one image input and one image output are what its manifest says, and it
// must load and run in ONNX Runtime. ONNX is data, not code: nothing here executes anything from the file but the
// graph's standard operators, and custom operator domains and external data files are refused outright.
import onnxProto from 'onnx-proto';
import { z } from 'zod';
import { StudioError } from '../../api/errors.js';
import { OrtSyncSession } from '../ort-kernels/ort-sync-session.js';

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

/** The manifest that says how to run an imported generator (the one models.exportOnnx writes has this shape). */
export const OnnxImportManifest = z.object({
  family: z.enum(['pix2pix', 'cyclegan']),
  name: z.string().min(1).max(120).optional(),
  inputs: z.tuple([ImageTensor]),
  outputs: z.tuple([ImageTensor]),
  resolution: z.number().int().min(16).max(2048),
});
export type OnnxImportManifest = z.infer<typeof OnnxImportManifest>;

const refuse = (message: string): StudioError => new StudioError('MODEL_INCOMPATIBLE', message);

/** Standard ONNX operator sets only: '' and 'ai.onnx'. */
const standardDomain = (domain: string | null | undefined): boolean => domain === undefined || domain === null || domain === '' || domain === 'ai.onnx';

function dims(info: onnxProto.onnx.IValueInfoProto): Array<number | string> {
  return (info.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)));
}

/**
 * Validates `bytes` against `manifest` and returns the manifest. Refusals name what does not fit, e.g.
 * "input 'x' is [1, 3, 256, 256] in the file, the manifest says [1, 3, 128, 128]".
 */
export function checkOnnxGenerator(bytes: Uint8Array, manifestInput: unknown): OnnxImportManifest {
  const parsedManifest = OnnxImportManifest.safeParse(manifestInput);
  if (!parsedManifest.success) throw refuse(`The manifest is not valid: ${z.prettifyError(parsedManifest.error)}`);
  const manifest = parsedManifest.data;
  if (bytes.byteLength > MAX_ONNX_BYTES) throw refuse(`The ONNX file is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MiB; the limit is ${MAX_ONNX_BYTES / 2 ** 20} MiB.`);
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw refuse(`This is not an ONNX file (or it is truncated): ${(err as Error).message}`);
  }
  const graph = model.graph;
  if (!graph || (graph.node?.length ?? 0) === 0) throw refuse('The ONNX file has no graph.');
  const custom = (model.opsetImport ?? []).find((o) => !standardDomain(o.domain));
  if (custom !== undefined) throw refuse(`The ONNX file needs the custom operator set “${custom.domain}”; only standard ONNX operators are accepted.`);
  const customNode = (graph.node ?? []).find((n) => !standardDomain(n.domain));
  if (customNode !== undefined) throw refuse(`The ONNX node ${customNode.name ?? customNode.opType} is from the custom domain “${customNode.domain}”.`);
  const external = (graph.initializer ?? []).find((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0);
  if (external !== undefined) throw refuse(`The weight ${external.name} lives in an external data file; export the model as one self-contained file.`);

  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name));
  const outputs = graph.output ?? [];
  if (inputs.length !== 1 || outputs.length !== 1) throw refuse(`A generator has one image input and one image output; this file has ${inputs.length} inputs and ${outputs.length} outputs.`);
  for (const [kind, info, expected] of [['input', inputs[0]!, manifest.inputs[0]], ['output', outputs[0]!, manifest.outputs[0]]] as const) {
    if (info.name !== expected.name) throw refuse(`The file's ${kind} is named '${info.name}', the manifest says '${expected.name}'.`);
    const shape = dims(info);
    // A symbolic batch dimension fits any batch; every other dimension must match.
    const fits = shape.length === 4 && shape.every((d, i) => (i === 0 && typeof d === 'string') || d === expected.shape[i]);
    if (!fits) throw refuse(`${kind} '${info.name}' is [${shape.join(', ')}] in the file, the manifest says [${expected.shape.join(', ')}].`);
  }
  if (manifest.inputs[0].shape[2] !== manifest.resolution || manifest.outputs[0].shape[2] !== manifest.resolution) {
    throw refuse(`The manifest's resolution ${manifest.resolution} does not match its tensors.`);
  }

  // It must load and run: one inference on a mid-grey image, whose output must be finite.
  let session: OrtSyncSession | undefined;
  try {
    session = new OrtSyncSession(bytes, { intraOpThreads: 1 });
    const [lo, hi] = manifest.inputs[0].range;
    const shape = [1, ...manifest.inputs[0].shape.slice(1)];
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).fill((lo + hi) / 2);
    const out = session.run({ [manifest.inputs[0].name]: { values, shape } })[manifest.outputs[0].name];
    if (out === undefined || !(out.values instanceof Float32Array)) throw new Error('no float32 output');
    if (!out.values.every(Number.isFinite)) throw new Error('the output has NaN or infinite values');
  } catch (err) {
    throw refuse(`ONNX Runtime cannot run this file: ${(err as Error).message}`);
  } finally {
    session?.dispose();
  }
  return manifest;
}

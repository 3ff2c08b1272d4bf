// Checks an ONNX generator made elsewhere (e.g. exported from PyTorch) before the studio keeps it: the file must be a
// self-contained standard ONNX graph whose one image input and one image output are what its manifest says, and it
// must load and run in ONNX Runtime, in a child process stopped past a time limit. ONNX is data, not code: nothing here
// executes anything from the file but the graph's standard operators, and custom operator domains and external data
// (a path ONNX Runtime would open) are refused wherever they sit.
import onnxProto from 'onnx-proto';
import { z } from 'zod';
import { StudioError } from '../../api/errors.js';
import { numWs as stylegan2NumWs } from '../../../models/stylegan/networks.js';
import { OnnxImportManifest, type StyleGAN2OnnxManifest } from './onnx-manifest.js';
import type { TensorSpec, TrialFunction, TrialOptions } from './onnx-trial.js';

const { onnx } = onnxProto;

/** An imported model's folder: the checked file and its manifest. */
export const ONNX_MODEL_FILE = 'model.onnx';
export const ONNX_MANIFEST_FILE = 'manifest.json';

/** Largest ONNX file accepted (protobuf itself caps a message at 2 GiB). */
export const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

export { OnnxImportManifest, type StyleGAN2OnnxManifest };

/** An imported StyleGAN2's mapping network, kept in its model folder beside model.onnx. */
export const ONNX_MAPPING_FILE = 'mapping.onnx';

const refuse = (message: string): StudioError => new StudioError('MODEL_INCOMPATIBLE', message);

/** Standard ONNX operator sets only: '' and 'ai.onnx'. */
const standardDomain = (domain: string | null | undefined): boolean => domain === undefined || domain === null || domain === '' || domain === 'ai.onnx';

function dims(info: onnxProto.onnx.IValueInfoProto): Array<number | string> {
  return (info.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)));
}

/** Bytes per element of the fixed-size ONNX data types (TensorProto.DataType), for checking raw_data's length. */
const BYTES_PER_ELEMENT: Partial<Record<number, number>> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8, 15: 16, 16: 2 };
/** More elements than this in one tensor cannot be in a file under MAX_ONNX_BYTES (a bool is one byte). */
const MAX_TENSOR_ELEMENTS = MAX_ONNX_BYTES;

/**
 * Refuses a tensor stored outside the file, or whose data is not the size its dims declare. External data is a path
 * ONNX Runtime opens relative to its working directory (or anywhere, if absolute): a file must never make the studio
 * read another file of the user's, so it is refused wherever a tensor can sit.
 */
function checkTensor(tensor: onnxProto.onnx.ITensorProto, where: string): void {
  const name = tensor.name ? `The tensor ${tensor.name}` : 'A tensor';
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (tensor.externalData?.length ?? 0) > 0) {
    throw refuse(`${name} (${where}) lives in an external data file; export the model as one self-contained file.`);
  }
  const shape = (tensor.dims ?? []).map(Number);
  const elements = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0) || elements > MAX_TENSOR_ELEMENTS) {
    throw refuse(`${name} (${where}) declares the impossible shape [${shape.join(', ')}].`);
  }
  const width = BYTES_PER_ELEMENT[tensor.dataType ?? 0];
  const raw = tensor.rawData?.byteLength ?? 0;
  if (raw > 0 && width !== undefined && raw !== elements * width) {
    throw refuse(`${name} (${where}) declares [${shape.join(', ')}], ${elements * width} bytes, but holds ${raw} bytes.`);
  }
}

function checkSparseTensor(sparse: onnxProto.onnx.ISparseTensorProto, where: string): void {
  if (sparse.values) checkTensor(sparse.values, where);
  if (sparse.indices) checkTensor(sparse.indices, where);
}

/** Refuses a node from a custom operator domain (code outside ONNX Runtime's standard operators). */
function checkDomain(node: onnxProto.onnx.INodeProto, where: string): void {
  if (!standardDomain(node.domain)) throw refuse(`The ONNX node ${node.name || node.opType} (${where}) is from the custom domain “${node.domain}”.`);
}

/** Checks every node of `nodes` and, recursively, the tensors and subgraphs (If, Loop, Scan bodies) of their attributes. */
function checkNodes(nodes: readonly onnxProto.onnx.INodeProto[], where: string): void {
  for (const node of nodes) {
    checkDomain(node, where);
    const inNode = `in node ${node.name || node.opType} ${where}`;
    for (const attribute of node.attribute ?? []) {
      if (attribute.t) checkTensor(attribute.t, inNode);
      for (const t of attribute.tensors ?? []) checkTensor(t, inNode);
      if (attribute.sparseTensor) checkSparseTensor(attribute.sparseTensor, inNode);
      for (const t of attribute.sparseTensors ?? []) checkSparseTensor(t, inNode);
      if (attribute.g) checkSubgraph(attribute.g, `the subgraph ${attribute.name ?? ''} ${inNode}`);
      for (const g of attribute.graphs ?? []) checkSubgraph(g, `a subgraph ${attribute.name ?? ''} ${inNode}`);
    }
  }
}

function checkSubgraph(graph: onnxProto.onnx.IGraphProto, where: string): void {
  for (const t of graph.initializer ?? []) checkTensor(t, where);
  for (const t of graph.sparseInitializer ?? []) checkSparseTensor(t, where);
  checkNodes(graph.node ?? [], where);
}

/**
 * Decodes `bytes` and checks it is a self-contained standard ONNX graph with one input and one output named and shaped
 * as `input` and `output` say (a symbolic dimension fits any size). `what` names the file in refusals. Returns the
 * bytes to run and keep: the checked model encoded again, so that fields this schema does not know (and so could not
 * check) never reach ONNX Runtime.
 */
function checkGraph(bytes: Uint8Array, input: TensorSpec, output: TensorSpec, what: string): Uint8Array {
  const What = what.charAt(0).toUpperCase() + what.slice(1);
  if (bytes.byteLength === 0) throw refuse(`${What} is empty.`);
  if (bytes.byteLength > MAX_ONNX_BYTES) throw refuse(`${What} is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MiB; the limit is ${MAX_ONNX_BYTES / 2 ** 20} MiB.`);
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw refuse(`${What} is not an ONNX file (or it is truncated): ${(err as Error).message}`);
  }
  const graph = model.graph;
  if (!graph || (graph.node?.length ?? 0) === 0) throw refuse(`${What} has no graph.`);
  const custom = [...(model.opsetImport ?? []), ...(model.functions ?? []).flatMap((f) => f.opsetImport ?? [])].find((o) => !standardDomain(o.domain));
  if (custom !== undefined) throw refuse(`${What} needs the custom operator set “${custom.domain}”; only standard ONNX operators are accepted.`);
  checkSubgraph(graph, `in ${what}`);
  for (const f of model.functions ?? []) checkNodes(f.node ?? [], `in the function ${f.name ?? ''} of ${what}`);
  // Training graphs are not run for inference, but they are tensors and graphs ONNX Runtime may still read.
  for (const info of model.trainingInfo ?? []) {
    if (info.initialization) checkSubgraph(info.initialization, `in the training initialisation of ${what}`);
    if (info.algorithm) checkSubgraph(info.algorithm, `in the training algorithm of ${what}`);
  }

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
  return onnx.ModelProto.encode(model).finish();
}

/** Parses the manifest, with every complaint in words. */
export function parseOnnxManifest(manifestInput: unknown): OnnxImportManifest {
  const parsed = OnnxImportManifest.safeParse(manifestInput);
  if (!parsed.success) throw refuse(`The manifest is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Validates an image-to-image generator `bytes` against its manifest and returns the manifest with the bytes to keep
 * (see checkGraph). Refusals name what does not fit, e.g. "input 'x' is [1, 3, 256, 256] in the file, the manifest
 * says [1, 3, 128, 128]". The test run happens in a child process (onnx-trial.ts) started by the studio (`runTrial`:
 * the engine's TaskContext.runTrial) under `trial`'s limit and signal.
 */
export async function checkOnnxGenerator(bytes: Uint8Array, manifestInput: unknown, runTrial: TrialFunction, trial: TrialOptions = {}): Promise<{ manifest: OnnxImportManifest; bytes: Uint8Array }> {
  const manifest = parseOnnxManifest(manifestInput);
  if (manifest.family === 'stylegan2') throw refuse('A StyleGAN2 comes as two files, synthesis and mapping: import its synthesis .onnx with the manifest naming both.');
  const [input] = manifest.inputs;
  const [output] = manifest.outputs;
  const checked = checkGraph(bytes, input, output, 'the file');
  if (input.shape[2] !== manifest.resolution || output.shape[2] !== manifest.resolution) {
    throw refuse(`The manifest's resolution ${manifest.resolution} does not match its tensors.`);
  }
  // It must load and run: one inference on a mid-grey image.
  await runTrial({ kind: 'image', bytes: checked, input, output, fill: (input.range[0] + input.range[1]) / 2 }, trial);
  return { manifest, bytes: checked };
}

/** How many z the import maps to estimate w̄ when the manifest has none (as stylegan2-ada-pytorch's projector). */
const W_AVG_SAMPLES = 10_000;

/**
 * Validates a StyleGAN2 pair: the synthesis `bytes` and the `mapping` bytes against the manifest and each other (the
 * mapping's ws must be what the synthesis takes, and as many as the resolution has layers). Returns the manifest with
 * `wAvg` (the manifest's own, or the mean of W_AVG_SAMPLES mapped z, numpy RandomState(123), the projector's) and the
 * bytes of both files to keep. The test runs happen in a child process (onnx-trial.ts) started by the studio
 * (`runTrial`: the engine's TaskContext.runTrial) under `trial`'s limit and signal.
 */
export async function checkOnnxStyleGAN2(
  synthesisBytes: Uint8Array,
  mappingBytes: Uint8Array,
  manifestInput: unknown,
  runTrial: TrialFunction,
  trial: TrialOptions = {},
): Promise<{ manifest: StyleGAN2OnnxManifest & { wAvg: number[] }; synthesis: Uint8Array; mapping: Uint8Array }> {
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
  const synthesis = checkGraph(synthesisBytes, ws, image, 'the synthesis file');
  const mapping = checkGraph(mappingBytes, z, mappedWs, `the mapping file ${manifest.mapping.file}`);
  const request = { kind: 'stylegan2' as const, synthesis, mapping, z, mappedWs, ws, image, wAvgSamples: W_AVG_SAMPLES };
  const { wAvg } = await runTrial(manifest.wAvg === undefined ? request : { ...request, wAvg: manifest.wAvg }, trial);
  if (wAvg === undefined) throw new StudioError('ENGINE_ERROR', 'The ONNX test run gave no w̄.');
  return { manifest: { ...manifest, wAvg }, synthesis, mapping };
}

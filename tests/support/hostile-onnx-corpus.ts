// A corpus of hostile and broken ONNX model files, built in code with onnx-proto (no binaries committed): each case is
// a folder the import is pointed at, and what its refusal must say. Beside the cases lies outside/, a stand-in for the
// user's private files (an id_rsa holding SECRET), which cases try to make the import read; nothing may open it.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import type { ErrorCode } from '../../main/api/errors.js';

const { onnx } = onnxProto;
type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;
type Graph = onnxProto.onnx.IGraphProto;
type Model = onnxProto.onnx.IModelProto;

/** What the private file holds: no refusal message may contain it. */
export const SECRET = 'SECRET-hostile-corpus-7f3a9c';

export interface HostileCase {
  name: string;
  onnxPath: string;
  manifestPath: string;
  /** The refusal's code and a phrase of its message; `ok` for the control cases that must import. */
  expect: { code: ErrorCode; phrase: RegExp } | 'ok';
  /** Needs the file's test run to time out (or to run long): soak only, unless asked for. */
  slow?: boolean;
}

export interface HostileCorpus {
  root: string;
  /** The stand-in for the user's private files. */
  outside: string;
  cases: HostileCase[];
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const BOOL = onnx.TensorProto.DataType.BOOL;
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;
const SIZE = 16; // the smallest resolution a manifest may declare
const IMAGE = [1, 3, SIZE, SIZE];
const W_DIM = 4;
const NUM_WS = 6; // a 16 px StyleGAN2: 2·log2(16) − 2

const valueInfo = (name: string, shape: ReadonlyArray<number | string>, elemType = FLOAT): onnxProto.onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});
const floats = (name: string, dims: number[], values: number[]): Tensor => ({ name, dims, dataType: FLOAT, floatData: values });
const int64s = (name: string, dims: number[], values: number[]): Tensor => ({ name, dims, dataType: INT64, int64Data: values });
/** A tensor whose data ONNX Runtime would read from `location` (relative to its working directory, or absolute). */
const externalTensor = (name: string, location: string): Tensor => ({
  name,
  dims: [64],
  dataType: onnx.TensorProto.DataType.UINT8,
  dataLocation: EXTERNAL,
  externalData: [{ key: 'location', value: location }, { key: 'length', value: '64' }],
});
const node = (opType: string, input: string[], output: string[], attribute: onnxProto.onnx.IAttributeProto[] = [], domain = ''): Node => ({ opType, input, output, name: `${opType}_${output[0]}`, attribute, domain });
const tensorAttr = (name: string, t: Tensor): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.TENSOR, t });
const graphAttr = (name: string, g: Graph): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.GRAPH, g });

function model(graph: Graph, extra: Partial<Model> = {}): Uint8Array {
  return onnx.ModelProto.encode({ irVersion: 8, producerName: 'hostile-corpus', opsetImport: [{ domain: '', version: 17 }], graph, ...extra }).finish();
}

/** input → Tanh → output, with `nodes` spliced in front (their outputs unused unless they feed `input2`). */
function imageGraph(nodes: Node[] = [], extra: Partial<Graph> = {}): Graph {
  return { name: 'g', node: [...nodes, node('Tanh', ['input'], ['output'])], input: [valueInfo('input', IMAGE)], output: [valueInfo('output', IMAGE)], ...extra };
}

/** A branch graph for If: no inputs, one output `name` (a constant, or what `nodes` compute). */
const branch = (name: string, nodes: Node[]): Graph => ({ name: `branch_${name}`, node: nodes, output: [valueInfo(name, [1])] });

/** input → Loop(trip count `trips`, condition stays true) → output: as long as `trips` says (int64 max: forever). */
function loopGraph(trips: number, bodyNodes: Node[] = [], bodyInitializers: Tensor[] = []): Graph {
  const body: Graph = {
    name: 'body',
    node: [node('Identity', ['cond_in'], ['cond_out']), node('Sin', ['v_in'], ['v_sin']), node('Cos', ['v_sin'], ['v_out']), ...bodyNodes],
    initializer: bodyInitializers,
    input: [valueInfo('iter', [], INT64), valueInfo('cond_in', [], BOOL), valueInfo('v_in', IMAGE)],
    output: [valueInfo('cond_out', [], BOOL), valueInfo('v_out', IMAGE)],
  };
  return {
    name: 'endless',
    node: [node('Loop', ['trips', 'keep_going', 'input'], ['looped'], [graphAttr('body', body)]), node('Tanh', ['looped'], ['output'])],
    initializer: [int64s('trips', [], [trips]), { name: 'keep_going', dims: [], dataType: BOOL, int32Data: [1] }],
    input: [valueInfo('input', IMAGE)],
    output: [valueInfo('output', IMAGE)],
  };
}

const INT64_MAX = Number.MAX_SAFE_INTEGER; // far beyond any run: 9·10¹⁵ steps

/** A pix2pix-shaped graph (input/output [1, 3, 16, 16]) whose Loop never ends, and the manifest that fits it. */
export function endlessGraph(): { bytes: Uint8Array; manifest: Record<string, unknown> } {
  return { bytes: model(loopGraph(INT64_MAX)), manifest: imageManifest() };
}

/** A local function `name` in `domain` whose body is `nodes`, called by the main graph. */
function withFunction(nodes: Node[], opset: onnxProto.onnx.IOperatorSetIdProto[] = [{ domain: '', version: 17 }]): Uint8Array {
  const fn: onnxProto.onnx.IFunctionProto = { name: 'Squash', domain: '', input: ['x'], output: ['y'], node: [...nodes, node('Tanh', ['x'], ['y'])], opsetImport: opset };
  const graph: Graph = { name: 'g', node: [node('Squash', ['input'], ['output'])], input: [valueInfo('input', IMAGE)], output: [valueInfo('output', IMAGE)] };
  return model(graph, { functions: [fn] });
}

const imageManifest = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  family: 'pix2pix',
  resolution: SIZE,
  inputs: [{ name: 'input', shape: IMAGE, layout: 'NCHW', range: [-1, 1] }],
  outputs: [{ name: 'output', shape: IMAGE, layout: 'NCHW', range: [-1, 1] }],
  ...extra,
});

/** StyleGAN2 synthesis: ws [1, 6, 4] → the mean of ws spread over a [1, 3, 16, 16] image. */
function synthesisModel(): Uint8Array {
  return model({
    name: 'synthesis',
    node: [node('ReduceMean', ['ws'], ['m'], [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]), node('Reshape', ['m', 'one4'], ['m4']), node('Expand', ['m4', 'image_shape'], ['image'])],
    initializer: [int64s('one4', [4], [1, 1, 1, 1]), int64s('image_shape', [4], IMAGE)],
    input: [valueInfo('ws', [1, NUM_WS, W_DIM])],
    output: [valueInfo('image', IMAGE)],
  });
}

/** StyleGAN2 mapping: z [1, 4] → ws [1, 6, 4] (the same w on every row), after `loopTrips` idle Loop steps if given. */
function mappingModel(loopTrips?: number, extra: Node[] = []): Uint8Array {
  const initializer: Tensor[] = [int64s('axis1', [1], [1]), int64s('ws_shape', [3], [1, NUM_WS, W_DIM])];
  const nodes: Node[] = [...extra];
  let z = 'z';
  if (loopTrips !== undefined) {
    // z + 0·Loop(z): the output depends on the loop, so ONNX Runtime cannot skip it.
    const body: Graph = {
      name: 'body',
      node: [node('Identity', ['cond_in'], ['cond_out']), node('Sin', ['v_in'], ['v_out'])],
      input: [valueInfo('iter', [], INT64), valueInfo('cond_in', [], BOOL), valueInfo('v_in', [1, W_DIM])],
      output: [valueInfo('cond_out', [], BOOL), valueInfo('v_out', [1, W_DIM])],
    };
    nodes.push(node('Loop', ['trips', 'keep_going', 'z'], ['z_looped'], [graphAttr('body', body)]), node('Mul', ['z_looped', 'zero'], ['z_zero']), node('Add', ['z', 'z_zero'], ['z_sum']));
    initializer.push(int64s('trips', [], [loopTrips]), { name: 'keep_going', dims: [], dataType: BOOL, int32Data: [1] }, floats('zero', [], [0]));
    z = 'z_sum';
  }
  nodes.push(node('Unsqueeze', [z, 'axis1'], ['z3']), node('Expand', ['z3', 'ws_shape'], ['ws']));
  return model({ name: 'mapping', node: nodes, initializer, input: [valueInfo('z', [1, W_DIM])], output: [valueInfo('ws', [1, NUM_WS, W_DIM])] });
}

const styleManifest = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  family: 'stylegan2',
  resolution: SIZE,
  inputs: [{ name: 'ws', shape: [1, NUM_WS, W_DIM] }],
  outputs: [{ name: 'image', shape: IMAGE, layout: 'NCHW', range: [-1, 1] }],
  mapping: { file: 'mapping.onnx', inputs: [{ name: 'z', shape: [1, W_DIM] }], outputs: [{ name: 'ws', shape: [1, NUM_WS, W_DIM] }] },
  ...extra,
});


/**
 * Writes the corpus under `root` and lists its cases; `slow` adds the cases whose refusal takes a time limit (the
 * never-ending graphs, a mapping too slow for the w̄ estimate) and the larger controls.
 */
export async function buildHostileCorpus(root: string, options: { slow?: boolean } = {}): Promise<HostileCorpus> {
  const outside = path.join(root, 'outside');
  await mkdir(outside, { recursive: true });
  const secretFile = path.join(outside, 'id_rsa');
  await writeFile(secretFile, `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}\n-----END OPENSSH PRIVATE KEY-----\n`);
  await writeFile(path.join(outside, 'model.onnx'), model(imageGraph()));
  // Relative to the engine's working directory, as ONNX Runtime resolves it: the user's key if that were their home.
  const relativeSecret = '.ssh/id_rsa';
  const cases: HostileCase[] = [];
  const refused = (code: ErrorCode, phrase: RegExp) => ({ code, phrase });
  const incompatible = (phrase: RegExp) => refused('MODEL_INCOMPATIBLE', phrase);

  /** A case folder with model.onnx (bytes, or a symlink target) and its manifest (JSON value or raw text). */
  async function add(name: string, files: { onnx: Uint8Array | { link: string }; manifest?: unknown; manifestText?: string; manifestLink?: string; mapping?: Uint8Array | { link: string } }, expect: HostileCase['expect'], slow = false): Promise<void> {
    if (slow && !options.slow) return;
    const dir = path.join(root, 'cases', name);
    await mkdir(dir, { recursive: true });
    const onnxPath = path.join(dir, 'model.onnx');
    const manifestPath = `${onnxPath}.json`;
    const put = async (file: string, content: Uint8Array | string | { link: string }) => (typeof content === 'object' && 'link' in content ? symlink(content.link, file) : writeFile(file, content));
    await put(onnxPath, files.onnx);
    if (files.manifestLink !== undefined) await symlink(files.manifestLink, manifestPath);
    else if (files.manifestText !== undefined) await writeFile(manifestPath, files.manifestText);
    else if (files.manifest !== undefined) await writeFile(manifestPath, JSON.stringify(files.manifest));
    if (files.mapping !== undefined) await put(path.join(dir, 'mapping.onnx'), files.mapping);
    cases.push({ name, onnxPath, manifestPath, expect, ...(slow ? { slow } : {}) });
  }

  const good = model(imageGraph());
  const manifest = imageManifest();
  const ext = /external data file/;
  const customDomain = /custom domain “evil\.ops”/;

  // Controls: the checks refuse what they should, not everything.
  await add('control-tanh', { onnx: good, manifest }, 'ok');
  await add('control-stylegan2', { onnx: synthesisModel(), mapping: mappingModel(), manifest: styleManifest() }, 'ok');

  // Not ONNX at all.
  await add('zero-bytes', { onnx: new Uint8Array(0), manifest }, incompatible(/is empty/));
  await add('garbage', { onnx: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256), manifest }, incompatible(/not an ONNX file|has no graph/));
  await add('truncated', { onnx: good.subarray(0, Math.floor(good.length / 2)), manifest }, incompatible(/not an ONNX file|has no graph/));
  await add('text-as-onnx', { onnx: new TextEncoder().encode('{"pickle": "no"}\n'), manifest }, incompatible(/not an ONNX file|has no graph/));
  await add('no-graph', { onnx: onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }] }).finish(), manifest }, incompatible(/has no graph/));
  await add('empty-graph', { onnx: model({ name: 'g', input: [valueInfo('input', IMAGE)], output: [valueInfo('output', IMAGE)] }), manifest }, incompatible(/has no graph/));

  // Not what the manifest says.
  await add('two-inputs', { onnx: model(imageGraph([], { input: [valueInfo('input', IMAGE), valueInfo('other', IMAGE)] })), manifest }, incompatible(/should have one input and one output; it has 2 inputs/));
  await add('wrong-input-name', { onnx: good, manifest: imageManifest({ inputs: [{ name: 'image', shape: IMAGE, layout: 'NCHW', range: [-1, 1] }] }) }, incompatible(/input is named 'input', the manifest says 'image'/));
  await add('wrong-shape', { onnx: model(imageGraph([], { input: [valueInfo('input', [1, 3, 32, 32])] })), manifest }, incompatible(/input 'input' is \[1, 3, 32, 32\] in the file, the manifest says \[1, 3, 16, 16\]/));
  await add('huge-declared-dims', { onnx: model(imageGraph([], { initializer: [{ name: 'huge', dims: [1_000_000, 1_000_000, 1_000_000], dataType: FLOAT }] })), manifest }, incompatible(/The tensor huge .*declares the impossible shape \[1000000, 1000000, 1000000\]/));
  await add('raw-data-short', { onnx: model(imageGraph([], { initializer: [{ name: 'short', dims: [1000, 1000], dataType: FLOAT, rawData: new Uint8Array(16) }] })), manifest }, incompatible(/The tensor short .*declares \[1000, 1000\], 4000000 bytes, but holds 16 bytes/));

  // Custom operator domains (code outside ONNX Runtime's standard operators), at every level.
  await add('custom-opset', { onnx: model(imageGraph(), { opsetImport: [{ domain: '', version: 17 }, { domain: 'evil.ops', version: 1 }] }), manifest }, incompatible(/custom operator set “evil\.ops”/));
  await add('custom-node', { onnx: model(imageGraph([node('Steal', ['input'], ['stolen'], [], 'evil.ops')])), manifest }, incompatible(customDomain));
  const ifNode = (then: Graph) => node('If', ['cond'], ['branch_out'], [graphAttr('then_branch', then), graphAttr('else_branch', branch('branch_out', [node('Constant', [], ['branch_out'], [tensorAttr('value', floats('c', [1], [0]))])]))]);
  const withCond = (nodes: Node[]) => imageGraph(nodes, { initializer: [{ name: 'cond', dims: [], dataType: BOOL, int32Data: [1] }] });
  await add('custom-node-in-if', { onnx: model(withCond([ifNode(branch('branch_out', [node('Steal', [], ['branch_out'], [], 'evil.ops')]))])), manifest }, incompatible(customDomain));
  await add('custom-node-in-loop', { onnx: model(loopGraph(1, [node('Steal', ['v_in'], ['unused'], [], 'evil.ops')])), manifest }, incompatible(customDomain));
  await add('custom-node-in-function', { onnx: withFunction([node('Steal', ['x'], ['unused'], [], 'evil.ops')]), manifest }, incompatible(customDomain));
  await add('custom-opset-in-function', { onnx: withFunction([], [{ domain: 'evil.ops', version: 1 }]), manifest }, incompatible(/custom operator set “evil\.ops”/));

  // External data: a path ONNX Runtime would open, wherever a tensor can sit.
  await add('external-initializer', { onnx: model(imageGraph([], { initializer: [externalTensor('w', relativeSecret)] })), manifest }, incompatible(ext));
  await add('external-initializer-absolute', { onnx: model(imageGraph([], { initializer: [externalTensor('w', secretFile)] })), manifest }, incompatible(ext));
  await add('external-initializer-traversal', { onnx: model(imageGraph([], { initializer: [externalTensor('w', '../outside/id_rsa')] })), manifest }, incompatible(ext));
  await add('external-data-default-location', { onnx: model(imageGraph([], { initializer: [{ ...externalTensor('w', relativeSecret), dataLocation: onnx.TensorProto.DataLocation.DEFAULT }] })), manifest }, incompatible(ext));
  await add('external-constant', { onnx: model(imageGraph([node('Constant', [], ['stolen'], [tensorAttr('value', externalTensor('key', relativeSecret))])])), manifest }, incompatible(ext));
  await add('external-tensors-attr', { onnx: model(imageGraph([node('Identity', ['input'], ['copy'], [{ name: 'extra', type: onnx.AttributeProto.AttributeType.TENSORS, tensors: [externalTensor('key', relativeSecret)] }])])), manifest }, incompatible(ext));
  const sparse = (t: Tensor): onnxProto.onnx.ISparseTensorProto => ({ values: t, indices: int64s('idx', [64], Array.from({ length: 64 }, (_, i) => i)), dims: [64] });
  await add('external-sparse-constant', { onnx: model(imageGraph([node('Constant', [], ['stolen'], [{ name: 'sparse_value', type: onnx.AttributeProto.AttributeType.SPARSE_TENSOR, sparseTensor: sparse(externalTensor('key', relativeSecret)) }])])), manifest }, incompatible(ext));
  await add('external-sparse-initializer', { onnx: model(imageGraph([], { sparseInitializer: [sparse(externalTensor('key', relativeSecret))] })), manifest }, incompatible(ext));
  await add('external-in-if', { onnx: model(withCond([ifNode(branch('branch_out', [node('Constant', [], ['branch_out'], [tensorAttr('value', externalTensor('key', relativeSecret))])]))])), manifest }, incompatible(ext));
  await add('external-in-loop-body', { onnx: model(loopGraph(1, [], [externalTensor('key', relativeSecret)])), manifest }, incompatible(ext));
  await add('external-in-function', { onnx: withFunction([node('Constant', [], ['stolen'], [tensorAttr('value', externalTensor('key', relativeSecret))])]), manifest }, incompatible(ext));
  await add('external-in-mapping', { onnx: synthesisModel(), mapping: mappingModel(undefined, [node('Constant', [], ['stolen'], [tensorAttr('value', externalTensor('key', relativeSecret))])]), manifest: styleManifest() }, incompatible(ext));

  // Manifests that point elsewhere or are something else.
  await add('manifest-passwd', { onnx: good, manifestText: `root:x:0:0:root:/root:/bin/bash\n${SECRET}:x:1000:1000::/home/${SECRET}:/bin/sh\n` }, incompatible(/The manifest .* is not JSON \(line 1, column 1\)/));
  await add('manifest-secret-values', { onnx: good, manifest: { family: SECRET, resolution: SECRET, inputs: [SECRET], [SECRET]: SECRET } }, incompatible(/The manifest is not valid/));
  await add('manifest-missing', { onnx: good }, refused('NOT_FOUND', /There is no manifest/));
  await add('mapping-traversal', { onnx: synthesisModel(), manifest: styleManifest({ mapping: { ...(styleManifest()['mapping'] as object), file: '../outside/model.onnx' } }) }, incompatible(/mapping\.file is the name of an \.onnx file in the same folder/));
  await add('mapping-absolute', { onnx: synthesisModel(), manifest: styleManifest({ mapping: { ...(styleManifest()['mapping'] as object), file: path.join(outside, 'model.onnx') } }) }, incompatible(/mapping\.file is the name of an \.onnx file in the same folder/));
  await add('symlinked-model', { onnx: { link: secretFile }, manifest }, incompatible(/ONNX file .* is a symbolic link/));
  await add('symlinked-manifest', { onnx: good, manifestLink: secretFile }, incompatible(/manifest .* is a symbolic link/));
  await add('symlinked-mapping', { onnx: synthesisModel(), mapping: { link: secretFile }, manifest: styleManifest() }, incompatible(/mapping ONNX file .* is a symbolic link/));
  await add('stylegan2-wrong-ws', { onnx: synthesisModel(), mapping: mappingModel(), manifest: styleManifest({ inputs: [{ name: 'ws', shape: [1, 8, W_DIM] }] }) }, incompatible(/A 16 px StyleGAN2 synthesis takes 6 ws; the manifest says 8/));

  // Files that only show what they are when run.
  await add('nan-output', { onnx: model({ name: 'g', node: [node('Mul', ['input', 'nan'], ['output'])], initializer: [floats('nan', [], [Number.NaN])], input: [valueInfo('input', IMAGE)], output: [valueInfo('output', IMAGE)] }), manifest }, incompatible(/NaN or infinite/));
  await add('runtime-shape', { onnx: model({ name: 'g', node: [node('ReduceMean', ['input'], ['output'], [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] }])], input: [valueInfo('input', IMAGE)], output: [valueInfo('output', ['n', 'c', 'h', 'w'])] }), manifest }, incompatible(/comes out as \[1, 1, 16, 16\], the manifest says \[1, 3, 16, 16\]/));
  await add('unknown-operator', { onnx: model(imageGraph([node('NoSuchOperator', ['input'], ['x'])])), manifest }, incompatible(/ONNX Runtime cannot run this file/));
  await add('endless-loop', { onnx: model(loopGraph(INT64_MAX)), manifest }, incompatible(/did not finish a test run within/));

  // Slow: time limits of the StyleGAN2 pair's runs.
  await add('endless-mapping', { onnx: synthesisModel(), mapping: mappingModel(INT64_MAX), manifest: styleManifest() }, incompatible(/did not finish a test run within/), true);
  await add('mapping-too-slow-for-w-avg', { onnx: synthesisModel(), mapping: mappingModel(300_000), manifest: styleManifest() }, incompatible(/too slow to estimate w̄/), true);
  return { root, outside, cases };
}

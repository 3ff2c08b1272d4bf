// Entry of the short-lived process that test-runs an untrusted ONNX graph for the import (see onnx-trial.ts): it loads
// the checked bytes into ONNX Runtime, runs them as the request says, reports, and is killed by its parent when done,
// when a run outlasts its limit, or when the import is cancelled. Its parent is the studio (main/): a Node fork, or an
// Electron utilityProcess (which talks over process.parentPort).
import { NumpyRandomState } from '../../../models/common/numpy-random-state.js';
import { exitWithParent } from '../child-lifetime.js';
import { OrtSyncSession } from '../ort-kernels/ort-sync-session.js';
import type { TensorSpec, TrialRequest, TrialToHost } from './onnx-trial.js';

/** How often progress is reported while runs keep finishing, in ms. */
const PROGRESS_INTERVAL_MS = 200;

interface ParentPort {
  postMessage(message: unknown): void;
  once(event: 'message', listener: (event: { data: unknown }) => void): void;
}

// Electron's utilityProcess exposes process.parentPort; Node's fork exposes process.send.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

const send = (message: TrialToHost): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};

/** The one request this process runs. */
const onRequest = (listener: (request: TrialRequest) => void): void => {
  if (parentPort) parentPort.once('message', (event) => listener(event.data as TrialRequest));
  else process.once('message', (request) => listener(request as TrialRequest));
};

/** Runs one input through the graph; its output must have the manifest's shape and be finite. */
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
    throw new Error(`ONNX Runtime cannot run ${what}: ${(err as Error).message}`);
  } finally {
    session?.dispose();
  }
}

/** The mean of `samples` mapped z (numpy RandomState(123), as stylegan2-ada-pytorch's projector). */
function estimateWAvg(session: OrtSyncSession, request: Extract<TrialRequest, { kind: 'stylegan2' }>): number[] {
  const wDim = request.ws.shape[2]!;
  const sum = new Float64Array(wDim);
  const random = new NumpyRandomState(123);
  let lastReport = 0;
  for (let i = 0; i < request.wAvgSamples; i++) {
    const w = runOnce(session, request.z, request.mappedWs, Float32Array.from(random.randn(request.z.shape[1]!)));
    for (let j = 0; j < wDim; j++) sum[j]! += w[j]!; // every ws row of an untruncated mapping is the same w
    if (Date.now() - lastReport >= PROGRESS_INTERVAL_MS || i + 1 === request.wAvgSamples) {
      lastReport = Date.now();
      send({ type: 'progress', done: i + 1, total: request.wAvgSamples });
    }
  }
  return Array.from(sum, (v) => v / request.wAvgSamples);
}

function trial(request: TrialRequest): { wAvg?: number[] } {
  if (request.kind === 'image') {
    withSession(request.bytes, 'this file', (session) => runOnce(session, request.input, request.output, new Float32Array(elementsOf(request.input.shape)).fill(request.fill)));
    return {};
  }
  const wAvg = request.wAvg ?? withSession(request.mapping, 'the mapping', (session) => estimateWAvg(session, request));
  const wDim = request.ws.shape[2]!;
  withSession(request.synthesis, 'the synthesis', (session) => runOnce(session, request.ws, request.image, Float32Array.from({ length: elementsOf(request.ws.shape) }, (_, i) => wAvg[i % wDim]!)));
  return { wAvg };
}

exitWithParent();
onRequest((request) => {
  try {
    send({ type: 'done', ...trial(request) });
  } catch (err) {
    send({ type: 'failed', message: (err as Error).message });
  }
});
send({ type: 'ready' });

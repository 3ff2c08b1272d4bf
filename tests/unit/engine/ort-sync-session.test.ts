// The contract with onnxruntime-node's internal native binding that the synchronous kernels depend on.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { KernelSessions } from '../../../main/engine/ort-kernels/kernel-sessions.js';
import { GraphBuilder, float } from '../../../main/engine/onnx/onnx-graph.js';
import { OrtSyncSession, assertBindingContract, pinnedOrtVersion } from '../../../main/engine/ort-kernels/ort-sync-session.js';

const require = createRequire(import.meta.url);

function leakyReluGraph(shape: number[]): GraphBuilder {
  const g = new GraphBuilder();
  const sum = g.node('Add', [g.input('a', shape), g.input('b', shape)]);
  g.output(g.node('LeakyRelu', [sum], { alpha: float(0.5) }), 'y', shape);
  return g;
}

describe('onnxruntime-node binding contract', () => {
  it('is the pinned version, and package.json pins it exactly', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['onnxruntime-node']).toBe(pinnedOrtVersion);
    expect((require('onnxruntime-node/package.json') as { version: string }).version).toBe(pinnedOrtVersion);
    expect(() => assertBindingContract()).not.toThrow();
  });

  it('onnxruntime-node itself still drives the binding the way ort-sync-session does', () => {
    // If an upgrade changes how the public backend calls the binding, this fails before the kernels misbehave.
    const backend = readFileSync(require.resolve('onnxruntime-node/dist/backend.js'), 'utf8');
    expect(backend).toContain('new binding_1.binding.InferenceSession()');
    expect(backend).toMatch(/\.loadModel\(pathOrBuffer\.buffer, pathOrBuffer\.byteOffset, pathOrBuffer\.byteLength, options\)/);
    expect(backend).toMatch(/\.run\(feeds, fetches, options\)/);
    expect(backend).toContain('(0, binding_1.initOrt)()');
  });

  it('loads and runs synchronously with correct numbers', () => {
    const session = new OrtSyncSession(leakyReluGraph([2, 3]).encode(), { intraOpThreads: 2 });
    expect(session.inputNames).toEqual(['a', 'b']);
    expect(session.outputNames).toEqual(['y']);
    const out = session.run({
      a: { values: new Float32Array([1, -2, 3, -4, 5, -6]), shape: [2, 3] },
      b: { values: new Float32Array([0, 0, 0, 0, 0, 1]), shape: [2, 3] },
    });
    expect(out).not.toBeInstanceOf(Promise);
    expect(out.y!.shape).toEqual([2, 3]);
    expect(Array.from(out.y!.values)).toEqual([1, -1, 3, -2, 5, -2.5]);
    session.dispose();
    expect(() => session.run({})).toThrow(/dispose/);
  });

  it('reads inputs that are views into a larger buffer (tfjs slices share buffers)', () => {
    const session = new OrtSyncSession(leakyReluGraph([3]).encode(), { intraOpThreads: 1 });
    const backing = new Float32Array([100, 100, 1, 2, 3, 100]);
    const out = session.run({ a: { values: backing.subarray(2, 5), shape: [3] }, b: { values: new Float32Array(3), shape: [3] } });
    expect(Array.from(out.y!.values)).toEqual([1, 2, 3]);
    session.dispose();
  });

  it('turns native failures into Errors naming the tfjs op', () => {
    const sessions = new KernelSessions({ threads: 1, maxSessions: 4 });
    const feeds = { a: { values: new Float32Array(4), shape: [4] }, b: { values: new Float32Array(4), shape: [4] } };
    // The graph declares [2, 3] but is fed [4]: ORT rejects it, and the message says which kernel.
    expect(() => sessions.run('Conv2D', 'bad-shape', () => leakyReluGraph([2, 3]), feeds)).toThrow(/ort-kernels Conv2D failed.*bad-shape/);
    // A graph ORT cannot load at all.
    const broken = (): GraphBuilder => {
      const g = new GraphBuilder();
      g.output(g.node('NoSuchOp', [g.input('a', [4])]), 'y', [4]);
      return g;
    };
    expect(() => sessions.run('BatchMatMul', 'broken', broken, feeds)).toThrow(/ort-kernels BatchMatMul failed/);
    sessions.dispose();
  });

  it('keeps at most maxSessions sessions, evicting the least recently used', () => {
    const sessions = new KernelSessions({ threads: 1, maxSessions: 2 });
    const run = (n: number): void => {
      const feed = { values: new Float32Array(n), shape: [n] };
      sessions.run('Add', `n=${n}`, () => leakyReluGraph([n]), { a: feed, b: feed });
    };
    run(1);
    run(2);
    run(1); // 1 is now the most recently used
    run(3); // evicts 2
    expect(sessions.size).toBe(2);
    expect(sessions.misses).toBe(3);
    run(1);
    expect(sessions.misses).toBe(3);
    run(2);
    expect(sessions.misses).toBe(4);
    sessions.dispose();
    expect(sessions.size).toBe(0);
  });
});

// LRU cache of ORT sessions, one per (op, shapes, attributes) graph, and the one call path every native kernel runs through.
import type { GraphBuilder } from '../onnx/onnx-graph.js';
import { OrtSyncSession, type DenseTensor } from './ort-sync-session.js';

export interface KernelSessionsOptions {
  /** ORT intra-op threads per session. */
  threads: number;
  /** Most sessions kept loaded; the least recently used is disposed beyond this. */
  maxSessions: number;
}

export class KernelSessions {
  // Map iteration order is insertion order: re-inserting on hit keeps the least recently used first.
  readonly #sessions = new Map<string, OrtSyncSession>();
  readonly #options: KernelSessionsOptions;
  #misses = 0;
  readonly #runs = new Map<string, number>();

  constructor(options: KernelSessionsOptions) {
    this.#options = options;
  }

  /**
   * Runs the graph identified by `key` (built by `build` on first use) and returns its output 'y'.
   * Any native failure becomes an Error naming the tfjs op, so a bad graph never surfaces as a crash or wrong numbers.
   */
  run(op: string, key: string, build: () => GraphBuilder, feeds: Record<string, DenseTensor>): DenseTensor {
    const fullKey = `${op}|${key}`;
    this.countRun(op);
    try {
      let session = this.#sessions.get(fullKey);
      if (session === undefined) {
        this.#misses++;
        session = new OrtSyncSession(build().encode(), { intraOpThreads: this.#options.threads });
        this.#evictTo(this.#options.maxSessions - 1);
      } else {
        this.#sessions.delete(fullKey);
      }
      this.#sessions.set(fullKey, session);
      const y = session.run(feeds).y;
      if (y === undefined) throw new Error("graph has no output 'y'");
      return y;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`ort-kernels ${op} failed for ${key}: ${message}`, { cause: err });
    }
  }

  /** Counts a replacement kernel's run that needed no session (the JS copy kernels), so the stats show it ran. */
  countRun(op: string): void {
    this.#runs.set(op, (this.#runs.get(op) ?? 0) + 1);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Sessions built so far (cache misses); a steady training loop stops adding to it. */
  get misses(): number {
    return this.#misses;
  }

  /** Native runs so far by tfjs op name (fallbacks to the reference kernel are not counted). */
  get runs(): ReadonlyMap<string, number> {
    return this.#runs;
  }

  dispose(): void {
    this.#evictTo(0);
  }

  #evictTo(limit: number): void {
    for (const [key, session] of this.#sessions) {
      if (this.#sessions.size <= limit) break;
      this.#sessions.delete(key);
      session.dispose();
    }
  }
}

// Latest-wins render queue for the live preview: at most one request in flight; while it runs only the newest
// submission waits (older waiting ones are dropped unsent), and no result ever replaces a newer one.

export interface RenderQueueHandlers<T, R> {
  /** A result newer than any delivered before; `tag` is what was submitted with it (e.g. the sketch version). */
  onResult(result: R, tag: T): void;
  /** The job failed (or `onResult` threw); the queue goes on with the next submission. */
  onError(error: unknown, tag: T): void;
  /** True while a job runs; false once nothing runs and nothing waits. */
  onBusyChange?(busy: boolean): void;
}

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

async function settle<R>(job: () => Promise<R>): Promise<Settled<R>> {
  try {
    return { ok: true, value: await job() };
  } catch (error) {
    return { ok: false, error };
  }
}

interface Entry<T, R> {
  seq: number;
  tag: T;
  job: () => Promise<R>;
}

export class RenderQueue<T, R> {
  readonly #handlers: RenderQueueHandlers<T, R>;
  #seq = 0;
  /** Highest sequence number whose outcome was delivered: anything at or below it is stale. */
  #delivered = 0;
  /** Outcomes of submissions numbered below this are dropped (see `invalidate`). */
  #validFrom = 1;
  #inFlight: Entry<T, R> | null = null;
  #pending: Entry<T, R> | null = null;
  #disposed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(handlers: RenderQueueHandlers<T, R>) {
    this.#handlers = handlers;
  }

  /** True while a job runs (a waiting one always follows a running one). */
  get busy(): boolean {
    return this.#inFlight !== null;
  }

  /**
   * Queues `job`, which runs when nothing else does. It replaces a job still waiting: that one is stale and never
   * runs. `job` should do all the work for its request (rasterising included), so a dropped one costs nothing.
   */
  submit(tag: T, job: () => Promise<R>): void {
    if (this.#disposed) return;
    const entry: Entry<T, R> = { seq: ++this.#seq, tag, job };
    if (this.#inFlight) {
      this.#pending = entry;
      return;
    }
    void this.#run(entry);
  }

  /** Drops the outcome of everything submitted so far (e.g. the model changed): the running job's answer is ignored. */
  invalidate(): void {
    this.#pending = null;
    this.#validFrom = this.#seq + 1;
  }

  /** Resolves once nothing runs and nothing waits. */
  whenIdle(): Promise<void> {
    if (!this.#inFlight) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops delivering: nothing more runs, and the running job's outcome is dropped. */
  dispose(): void {
    this.#disposed = true;
    this.#pending = null;
  }

  async #run(first: Entry<T, R>): Promise<void> {
    this.#safely(() => this.#handlers.onBusyChange?.(true));
    let entry: Entry<T, R> | null = first;
    while (entry) {
      const current: Entry<T, R> = entry;
      this.#inFlight = current;
      const outcome = await settle(current.job);
      this.#safely(() => this.#deliver(current, outcome));
      entry = this.#disposed ? null : this.#pending;
      this.#pending = null;
    }
    this.#inFlight = null;
    this.#safely(() => this.#handlers.onBusyChange?.(false));
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  // A throwing handler is a bug to see in the console, but it must not leave the queue stuck "in flight".
  #safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      console.error('render queue handler failed', error);
    }
  }

  #deliver(entry: Entry<T, R>, outcome: Settled<R>): void {
    if (this.#disposed || entry.seq < this.#validFrom || entry.seq <= this.#delivered) return;
    this.#delivered = entry.seq;
    if (!outcome.ok) {
      this.#handlers.onError(outcome.error, entry.tag);
      return;
    }
    try {
      this.#handlers.onResult(outcome.value, entry.tag);
    } catch (error) {
      this.#handlers.onError(error, entry.tag);
    }
  }
}

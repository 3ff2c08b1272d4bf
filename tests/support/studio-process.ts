// The parent's side of tests/support/studio-child.ts: start a studio process, call it, wait for its events, kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EventName, EventOf, Job, MethodName, ResultOf } from '../../main/api/contract.js';
import type { FilesAudit, FilesRepair } from '../../main/library/library-files.js';

type Line = { ready?: { pid: number; enginePid: number | null; repaired: FilesRepair } } & { id?: number; reply?: { ok: boolean; value?: unknown; error?: { code: string; message: string } } } & { event?: string; payload?: unknown };

export interface StudioProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The engine's current process id (it changes when the engine restarts). */
  enginePid(): number | null;
  /** What opening the library put right (files without rows, rows without files). */
  readonly repaired: FilesRepair;
  call<M extends MethodName>(method: M, params: unknown): Promise<ResultOf<M>>;
  audit(): Promise<FilesAudit & { integrity: string }>;
  /** The next event matching `predicate` (events already seen are not replayed). */
  next<E extends EventName>(event: E, predicate: (payload: EventOf<E>) => boolean, timeoutMs?: number): Promise<EventOf<E>>;
  finish(jobId: number, timeoutMs?: number): Promise<Job>;
  /** SIGKILL, then waits until the process is gone. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

const childScript = fileURLToPath(new URL('./studio-child.ts', import.meta.url));
const ended = (job: Job): boolean => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status);

export async function startStudioProcess(home: string, builtinModelsDir?: string): Promise<StudioProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, home, ...(builtinModelsDir === undefined ? [] : [builtinModelsDir])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const listeners = new Set<(line: Line) => void>();
  const replies = new Map<number, (reply: NonNullable<Line['reply']>) => void>();
  let enginePid: number | null = null;
  let nextId = 1;
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return; // a stray log line
    }
    if (line.event === 'engine.state') enginePid = (line.payload as { pid: number | null }).pid ?? enginePid;
    if (line.id !== undefined && line.reply !== undefined) replies.get(line.id)?.(line.reply);
    for (const listener of listeners) listener(line);
  });
  const ready = await new Promise<NonNullable<Line['ready']>>((resolve, reject) => {
    const listener = (line: Line): void => {
      if (line.ready === undefined) return;
      listeners.delete(listener);
      resolve(line.ready);
    };
    listeners.add(listener);
    child.once('exit', (code, signal) => reject(new Error(`the studio process ended before it was ready (${signal ?? code})`)));
  });
  enginePid = ready.enginePid;
  const send = (method: string, params: unknown): Promise<unknown> => {
    const id = nextId++;
    const reply = new Promise<NonNullable<Line['reply']>>((resolve) => replies.set(id, resolve));
    child.stdin!.write(`${JSON.stringify({ id, method, params })}\n`);
    return reply.then((r) => {
      replies.delete(id);
      if (!r.ok) throw new Error(`${method}: ${r.error?.code} ${r.error?.message}`);
      return r.value;
    });
  };
  const next = <E extends EventName>(event: E, predicate: (payload: EventOf<E>) => boolean, timeoutMs = 120_000): Promise<EventOf<E>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`));
      }, timeoutMs);
      const listener = (line: Line): void => {
        if (line.event !== event || !predicate(line.payload as EventOf<E>)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(line.payload as EventOf<E>);
      };
      listeners.add(listener);
    });
  return {
    child,
    pid: child.pid!,
    enginePid: () => enginePid,
    repaired: ready.repaired,
    call: (method, params) => send(method, params) as Promise<never>,
    audit: () => send('studio.audit', {}) as Promise<FilesAudit & { integrity: string }>,
    next,
    finish: (jobId, timeoutMs) => next('job.state', (j) => j.id === jobId && ended(j), timeoutMs),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await send('studio.close', {});
      await exited;
    },
  };
}

/** Waits until process `pid` is gone (an engine notices its studio died through its IPC channel closing). */
export async function processGone(pid: number, timeoutMs = 20_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

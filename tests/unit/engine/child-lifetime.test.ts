// After a force-quit (the parent SIGKILLed), the engine and an ONNX test runner stuck in a graph that never ends both
// exit on their own within seconds, rather than spin a core with nobody to report to.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/** True while `pid` runs (a zombie waiting for a reaper has ended). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return process.platform !== 'linux'; // no /proc: kill(0) answered
  }
}

/** `pid` and the processes under it, found through /proc. */
function withDescendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parents.set(Number(entry), Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const found = [pid];
  for (let i = 0; i < found.length; i++) for (const [child, parent] of parents) if (parent === found[i]) found.push(child);
  return found;
}

/** How long the child of a SIGKILLed parent (and everything it started) goes on running, in ms (10 s at most). */
async function orphanLifetimeMs(mode: 'engine' | 'trial'): Promise<number> {
  const parent = spawn(process.execPath, ['--import', 'tsx', 'tests/support/orphan-parent.ts', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: parent.stdout }).once('line', resolve);
    parent.once('exit', () => reject(new Error('the parent exited before its child ran')));
  });
  const started = JSON.parse(line) as { child: number; runner?: number };
  const processes = [...withDescendants(started.child), ...(started.runner === undefined ? [] : withDescendants(started.runner))];
  // The engine's test run is in a process of the studio's starting (the parent's), not the engine's. Other processes
  // under them (tsx's esbuild service while a cold cache compiles) must end too, but are not counted.
  if (mode === 'engine') {
    expect(started.runner).toBeDefined();
    expect(withDescendants(started.child)).not.toContain(started.runner);
  }
  const killedAt = Date.now();
  parent.kill('SIGKILL');
  while (processes.some(running) && Date.now() - killedAt < 10_000) await new Promise((r) => setTimeout(r, 50));
  const lived = Date.now() - killedAt;
  for (const pid of processes.filter(running)) process.kill(pid, 'SIGKILL'); // leave no spinner behind, whatever the outcome
  return lived;
}

describe.runIf(process.platform === 'linux')('a child process whose parent dies', () => {
  it('an engine busy importing a never-ending graph exits within seconds, with its test runner', async () => {
    expect(await orphanLifetimeMs('engine')).toBeLessThan(5000); // the watchdog looks every 0.5 s; the rest is a loaded machine's slack
  });

  it('an ONNX test runner blocked inside a never-ending graph exits within seconds', async () => {
    expect(await orphanLifetimeMs('trial')).toBeLessThan(5000); // the watchdog looks every 0.5 s; the rest is a loaded machine's slack
  });
});

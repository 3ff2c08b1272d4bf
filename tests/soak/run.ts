// `npm run soak`: the adversarial soaks of issue 16, one after another, each a script of its own in this folder that
// prints JSON lines and exits non-zero when anything it checks fails. Not part of `npm test`: they take minutes, and
// their figures (thousands of hostile frames, kills at random moments) are goals to re-check, not per-commit gates.
// Every soak is bounded in count and time and talks to loopback only.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Each soak with the time it may take in all; it gets that limit passed on so it can stop itself cleanly first. */
const SOAKS = [
  { script: 'hostile-frames.ts', limitS: 600 },
  { script: 'hostile-models.ts', limitS: 900 },
  { script: 'kill-at-random.ts', limitS: 1800 },
] as const;

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = SOAKS.filter((s) => only.length === 0 || only.some((o) => s.script.startsWith(o)));
if (chosen.length === 0) {
  console.error(`npm run soak: no soak named ${only.join(', ')}; there are ${SOAKS.map((s) => s.script.replace(/\.ts$/, '')).join(', ')}.`);
  process.exit(2);
}

function runSoak(script: string, limitS: number): Promise<{ code: number | null; signal: string | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script), '--time-limit', String(limitS)], { stdio: 'inherit' });
    // The soak should end itself within its limit; a grace period later it is stopped, and that counts as a failure.
    const killer = setTimeout(() => child.kill('SIGKILL'), (limitS + 60) * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, ms: Date.now() - started });
    });
  });
}

let failed = 0;
for (const { script, limitS } of chosen) {
  const { code, signal, ms } = await runSoak(script, limitS);
  const ok = code === 0;
  if (!ok) failed++;
  console.log(JSON.stringify({ soak: script.replace(/\.ts$/, ''), summary: true, ok, exitCode: code, signal, seconds: Math.round(ms / 1000) }));
}
console.log(`soak: ${chosen.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

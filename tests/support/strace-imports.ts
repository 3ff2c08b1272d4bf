// Runs imports of a hostile corpus in a real studio under strace (tests/support/import-cases-child.ts) and says which
// files each import opened outside what an import may open: its own files, the studio's library and temp folders,
// the app's code and node_modules, and the system files Node and ONNX Runtime read (libraries, /proc, /sys, /dev).
// The point is that no case makes the studio open a file of the user's (~/.ssh/id_rsa, the corpus's outside/).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostileCase } from './hostile-onnx-corpus.js';
import type { ImportCaseOutcome, ImportCasesInput } from './import-cases-child.js';

const STRACE = '/usr/bin/strace';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Why strace cannot be used here, or null when it can (it exists and ptrace is permitted). */
export function straceUnavailable(): string | null {
  if (process.platform !== 'linux') return 'strace needs Linux';
  if (!existsSync(STRACE)) return `${STRACE} is not installed`;
  const probe = spawnSync(STRACE, ['-f', '-qq', '-e', 'trace=openat', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) return `strace cannot trace here (ptrace not permitted?): ${probe.stderr.trim().split('\n')[0] ?? ''}`;
  return null;
}

export interface TracedCase extends ImportCaseOutcome {
  /** Paths the import of this case opened (or tried to) that no import may open. */
  forbiddenOpens: string[];
}

/**
 * Where an import may open files, as path prefixes. Everything else, the user's home above all, is forbidden. The
 * system entries are those Node, better-sqlite3 and ONNX Runtime read on Linux; ONNX Runtime's telemetry (machine-id,
 * ~/.cache/Microsoft) is switched off by the engine (main/engine/child-entry.ts) and so is not here.
 */
function allowedPrefixes(caseDir: string, home: string, markerDir: string): string[] {
  const tmp = tmpdir();
  const uid = process.getuid?.() ?? 0;
  return [
    `${caseDir}/`,
    `${home}/`,
    `${markerDir}/`,
    `${tmp}/gan-studio-engine-`, // the engine's empty working directory
    `${tmp}/gan-studio-onnx-trial-`, // the test runner's
    `${tmp}/tsx-${uid}`, // tsx's compile cache (running from source), the folder itself too
    `${tmp}/etilqs_`, // SQLite's temporary files
    `${repoRoot}/`,
    `${realpathSync(path.join(repoRoot, 'node_modules'))}/`,
    process.execPath,
    '/lib/',
    '/lib64/',
    '/usr/lib/',
    '/usr/lib64/',
    '/etc/ld.so.cache',
    '/etc/ssl/openssl.cnf',
    '/etc/ssl/certs/ca-certificates.crt',
    '/etc/localtime',
    '/proc/self/',
    '/proc/meminfo',
    '/proc/cpuinfo',
    '/proc/sys/vm/overcommit_memory',
    '/sys/kernel/mm/transparent_hugepage/hpage_pmd_size', // read at start-up by the engine's WebGPU adapter probe
    '/sys/fs/cgroup/',
    '/sys/devices/system/cpu/',
    '/sys/bus/pci/devices', // ONNX Runtime's device discovery lists it
    '/dev/null',
    '/dev/urandom',
  ];
}

/** `[pid, path]` of every open/openat/openat2 in a strace -f log, in order (paths relative to a dirfd kept as is). */
function opensOf(log: string): Array<[number, string]> {
  const opens: Array<[number, string]> = [];
  for (const line of log.split('\n')) {
    const match = /^(\d+)\s+open(?:at2?)?\((?:[^,]+, )?"((?:[^"\\]|\\.)*)"/.exec(line);
    if (match) opens.push([Number(match[1]), match[2]!]);
  }
  return opens;
}

/**
 * Imports `cases` (in order) in one real studio under strace, each within `trialSeconds`' limit, and returns each
 * import's outcome with the forbidden files it opened. `work` is a scratch folder (library, markers, strace log). A
 * `canary` file is read by the studio's process first, as a case named 'canary', to show the tracing sees a forbidden
 * open. `trace: false` runs the same imports without strace (no opens are judged then).
 */
export async function importUnderStrace(cases: readonly HostileCase[], work: string, trialSeconds: number, timeoutMs: number, canary?: string, options: { trace?: boolean } = {}): Promise<TracedCase[]> {
  const trace = options.trace ?? true;
  const home = path.join(work, 'library');
  const markerDir = path.join(work, 'markers');
  const log = path.join(work, 'strace.log');
  mkdirSync(markerDir, { recursive: true });
  const input: ImportCasesInput = { home, markerDir, trialSeconds, ...(canary === undefined ? {} : { canary }), cases: cases.map(({ name, onnxPath, manifestPath }) => ({ name, onnxPath, manifestPath })) };
  const command = [process.execPath, '--import', 'tsx', path.join(repoRoot, 'tests/support/import-cases-child.ts'), JSON.stringify(input)];
  const child = spawn(trace ? STRACE : command[0]!, trace ? ['-f', '-qq', '-e', 'trace=open,openat,openat2', '-o', log, ...command] : command.slice(1), {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the traced imports ended with ${code ?? 'a kill'} (after ${stdout.split('\n').length - 1} of ${cases.length} cases)`);
  const outcomes = stdout.trim().split('\n').map((line) => JSON.parse(line) as ImportCaseOutcome);

  // Cut the log at each case's marker: the opens between two markers are that case's (the studio's start before the
  // first marker is not an import, and is not judged).
  const byCase = new Map<string, string[]>();
  let current: string | null = null;
  for (const [, file] of trace ? opensOf(readFileSync(log, 'utf8')) : []) {
    if (file.startsWith(`${markerDir}/`)) current = path.basename(file);
    if (current === null) continue;
    byCase.set(current, [...(byCase.get(current) ?? []), file]);
  }
  return outcomes.map((outcome) => {
    const c = cases.find((k) => k.name === outcome.case);
    const allowed = allowedPrefixes(c === undefined ? markerDir : path.dirname(c.onnxPath), home, markerDir);
    // A relative path is opened against a directory descriptor (ONNX Runtime's external data, readdir's entries):
    // only names without a slash or '..' can be judged harmless, and only as entries of a folder opened before.
    const forbidden = (byCase.get(outcome.case) ?? []).filter((file) => (path.isAbsolute(file) ? !allowed.some((prefix) => file.startsWith(prefix)) || file.includes('/../') : file.includes('/') || file === '..'));
    return { ...outcome, forbiddenOpens: [...new Set(forbidden)] };
  });
}

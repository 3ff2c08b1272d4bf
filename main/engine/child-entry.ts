// How Node starts the studio's child processes (the engine, an ONNX test run, the WebGPU probe): built .js as is, or
// .ts from source (tests, `npm start` from a checkout) through tsx's loader.
import { fork, type Serializable } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEmptyWorkingDir } from './empty-working-dir.js';

const require = createRequire(import.meta.url);

/**
 * Node flags for a child entry module. The loader is named by absolute URL: `--import tsx` would be resolved from the
 * child's working directory, which is an empty folder (empty-working-dir.ts).
 */
export function childExecArgv(fromSource: boolean): string[] {
  return fromSource ? ['--import', pathToFileURL(require.resolve('tsx')).href] : [];
}

/**
 * The environment of an engine child: this process's, with ONNX Runtime's telemetry off. The studio is offline, and
 * ORT 1.30's telemetry on Linux otherwise reads the machine's id and a device id under the user's cache folder, and
 * writes a debug log into the temp folder, in every process that loads it.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ORT_DISABLE_TELEMETRY: '1', ...extra };
}

/** A module beside `moduleUrl`'s, by name without extension: .ts when running from source (tsx, vitest), else .js. */
export function siblingEntry(moduleUrl: string, entryName: string): ChildEntry {
  const self = fileURLToPath(moduleUrl);
  const fromSource = self.endsWith('.ts');
  return { path: path.join(path.dirname(self), `${entryName}.${fromSource ? 'ts' : 'js'}`), fromSource };
}

export interface ChildEntry {
  path: string;
  fromSource: boolean;
}

/** One child process of the studio's (the engine, an ONNX test run), as its host drives it: `Out` goes in, `In` comes back. */
export interface ChildHandle<Out, In> {
  readonly pid: number | null;
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  /** `description`: how it ended ("exit code 1", "killed by SIGKILL"). */
  onExit(listener: (description: string) => void): void;
  /** It could not be started or reached (fork's 'error'); it may not report an exit after this. */
  onError(listener: (error: Error) => void): void;
  /** Ends it at once (SIGKILL): it may be stuck in a native call. */
  kill(): void;
}

/**
 * Forks `entry` as Node does for the studio's children: in an empty working directory of its own (the child opens
 * untrusted files, which find nothing there through a relative path; main/ sends absolute paths only), with
 * childEnv(), and structured-clone IPC ('advanced': typed arrays cross as they are).
 */
export function forkChild<Out, In>(entry: ChildEntry, workingDirName: string): ChildHandle<Out, In> {
  const cwd = createEmptyWorkingDir(workingDirName);
  const child = fork(entry.path, [], {
    cwd: cwd.path,
    execArgv: childExecArgv(entry.fromSource),
    env: childEnv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  child.once('exit', () => cwd.remove());
  return {
    get pid() {
      return child.pid ?? null;
    },
    send: (message) => {
      if (child.connected) child.send(message as Serializable);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as In)),
    onExit: (listener) => child.once('exit', (code, signal) => listener(signal === null ? `exit code ${code}` : `killed by ${signal}`)),
    onError: (listener) => child.on('error', listener), // every one: a second 'error' with no listener would throw
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

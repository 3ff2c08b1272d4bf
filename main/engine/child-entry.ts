// How Node starts one of the engine's child modules (the engine itself, the ONNX test runner): built .js as is, or
// .ts from source (tests, `npm start` from a checkout) through tsx's loader.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

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
 * ORT 1.30's telemetry on Linux otherwise reads /etc/machine-id and ~/.cache/Microsoft/DeveloperTools/deviceid and
 * writes /tmp/mat-debug-<pid>.log in every process that loads it.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ORT_DISABLE_TELEMETRY: '1', ...extra };
}

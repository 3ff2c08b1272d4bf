// A fresh empty working directory for a child process that reads untrusted files: whatever resolves a relative path
// against the working directory (ONNX Runtime does for external data) finds nothing of the user's there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface EmptyWorkingDir {
  readonly path: string;
  /** Removes the folder (with anything the child left in it); call once the child has exited. */
  remove(): void;
}

export function createEmptyWorkingDir(prefix: string): EmptyWorkingDir {
  const dir = mkdtempSync(path.join(tmpdir(), `gan-studio-${prefix}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

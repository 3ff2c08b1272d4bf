// Throw-away folders under the OS temp dir, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function tempDir(prefix = 'gan-studio-test-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function tempFolder(prefix: string): { path: string; remove(): void } {
  const folder = mkdtempSync(path.join(tmpdir(), `gan-studio-${prefix}-`));
  return { path: folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

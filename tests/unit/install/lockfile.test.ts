// `npm ci` refuses a lockfile that misses any package the tree could need on some OS, and `npm install` would
// rewrite it: every dependency of every locked package, optional platform builds included, must be locked too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
}

/** Where Node would find `name` from the package at `from` (a lockfile key): its own node_modules, then each parent's. */
function resolves(packages: Lockfile['packages'], from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (`${dir ? `${dir}/` : ''}node_modules/${name}` in packages) return true;
    if (!dir) return false;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent < 0 ? '' : dir.slice(0, parent);
  }
}

/** Every dependency, optional ones included, that the lockfile does not hold: "from → name". */
function missingFromLock(lock: Lockfile): string[] {
  const missing: string[] = [];
  for (const [key, pkg] of Object.entries(lock.packages)) {
    const needed = { ...pkg.dependencies, ...pkg.optionalDependencies };
    for (const name of Object.keys(needed)) if (!resolves(lock.packages, key, name)) missing.push(`${key || '(root)'} → ${name}`);
  }
  return missing;
}

const read = (file: string): Lockfile => JSON.parse(readFileSync(file, 'utf8')) as Lockfile;

describe('package-lock.json', () => {
  it('locks every dependency of every package, the optional builds for other platforms too', () => {
    const lock = read('package-lock.json');
    expect(lock.lockfileVersion).toBe(3);
    expect(missingFromLock(lock)).toEqual([]);
  });

  it('names the root dependencies package.json asks for, at the versions it pins', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string> | undefined>;
    const lock = read('package-lock.json');
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      for (const [name, version] of Object.entries(manifest[field] ?? {})) {
        expect(lock.packages[''] as Record<string, unknown>, `${field} ${name}`).toHaveProperty([field, name], version);
      }
    }
  });
});

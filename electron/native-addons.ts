// Where the Electron shell finds its own build of better-sqlite3 (a V8-ABI addon: node_modules' build is Node's).
// scripts/electron-abi.js makes it, at `npm start` and when packaging, under the same path.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AddonRuntime {
  modules: string; // process.versions.modules: the ABI
  platform: string;
  arch: string;
}

const distDir = fileURLToPath(new URL('..', import.meta.url));
const thisRuntime: AddonRuntime = { modules: process.versions.modules, platform: process.platform, arch: process.arch };

/** dist/native/better-sqlite3/electron-<abi>-<platform>-<arch>/better_sqlite3.node */
export function sqliteBindingPath(dist = distDir, runtime: AddonRuntime = thisRuntime): string {
  return path.join(dist, 'native', 'better-sqlite3', `electron-${runtime.modules}-${runtime.platform}-${runtime.arch}`, 'better_sqlite3.node');
}

/**
 * The addon for this Electron, or null when it was never built. In a package it is unpacked beside app.asar
 * (electron-builder's asarUnpack: **\/*.node), where the dynamic loader can open it.
 */
export function findSqliteBinding(): string | null {
  const inAsar = sqliteBindingPath();
  const unpacked = inAsar.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
  for (const candidate of [unpacked, inAsar]) if (existsSync(candidate)) return candidate;
  return null;
}

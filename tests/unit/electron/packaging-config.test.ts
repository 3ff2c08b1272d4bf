// The packaging config (electron-builder.yml) as electron-builder reads it: the fuses it flips, its schema check,
// and the beforePack hook that builds better-sqlite3 for the packaged Electron's ABI (run here on a temp project,
// where the stamped build is found or the hook refuses to package without one; nothing is compiled).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteBindingPath } from '../../../electron/native-addons.js';
import { beforePack } from '../../../scripts/electron-before-pack.js';
import { tempFolder } from '../../support/temp-home.js';

const require = createRequire(import.meta.url);
// electron-builder's own YAML parser and config validator.
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface BuilderConfig {
  npmRebuild?: boolean;
  beforePack?: string;
  asarUnpack?: string[];
  files?: string[];
  electronFuses?: Record<string, boolean>;
}

const readConfig = () => yaml.load(readFileSync(path.join(projectRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('flips the fuses that close the packaged binary to other uses', () => {
    expect(readConfig().electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("passes electron-builder's schema, which refuses a misspelt fuse", async () => {
    await expect(validateConfiguration(readConfig(), new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = readConfig();
    misspelt.electronFuses = { ...misspelt.electronFuses, runAsNod: false };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it("builds better-sqlite3 for Electron in its beforePack hook, not in place, and ships that build unpacked", async () => {
    const config = readConfig();
    expect(config.npmRebuild).toBe(false); // in place would break node_modules' Node build
    expect(config.beforePack).toBe('./scripts/electron-before-pack.js');
    const hook = (await import(pathToFileURL(path.join(projectRoot, config.beforePack!)).href)) as { beforePack: unknown };
    expect(hook.beforePack).toBe(beforePack);
    expect(config.files).toContain('dist/**');
    expect(config.asarUnpack).toContain('**/*.node');
  });
});

describe('the beforePack hook', () => {
  let tmp: ReturnType<typeof tempFolder>;
  const context = (root: string) => ({
    packager: { projectDir: root, config: { electronVersion: '45.4.1' } },
    electronPlatformName: 'linux',
    arch: 1, // electron-builder's Arch.x64
  });

  beforeEach(() => {
    tmp = tempFolder('before-pack');
    const files: Record<string, string> = {
      'node_modules/electron/package.json': JSON.stringify({ name: 'electron', version: '45.4.1', engines: { node: '>= 22.12.0' } }),
      'node_modules/electron/abi_version': '140\n',
      'node_modules/better-sqlite3/package.json': JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }),
      'node_modules/better-sqlite3/binding.gyp': '{}',
      'node_modules/@electron/rebuild/package.json': JSON.stringify({ name: '@electron/rebuild', engines: { node: '>=22.12.0' } }),
    };
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(tmp.path, relative)), { recursive: true });
      writeFileSync(path.join(tmp.path, relative), text);
    }
  });
  afterEach(() => tmp.remove());

  it('refuses to package without an Electron build of better-sqlite3 it cannot make', async () => {
    // On Node 20 @electron/rebuild does not run; on Node >= 22.12 it is not in this temp project: either way no package.
    await expect(beforePack(context(tmp.path))).rejects.toThrow(/^GAN Studio packaging: no better-sqlite3 build for Electron 45\.4\.1 \(ABI 140\) yet/);
  });

  it('finds the stamped build for the target ABI, platform and arch where the packaged app loads it', async () => {
    const output = sqliteBindingPath(path.join(tmp.path, 'dist'), { modules: '140', platform: 'linux', arch: 'x64' });
    mkdirSync(path.dirname(output), { recursive: true });
    writeFileSync(output, 'the Electron-ABI build');
    const stamp = { module: 'better-sqlite3', version: '12.11.1', electron: '45.4.1', modules: '140', platform: 'linux', arch: 'x64' };
    writeFileSync(path.join(path.dirname(output), 'stamp.json'), JSON.stringify(stamp));
    await expect(beforePack(context(tmp.path))).resolves.toBeUndefined();
    expect(readFileSync(output, 'utf8')).toBe('the Electron-ABI build');
  });

  it('refuses a packaging Electron other than the installed one, whose ABI it knows', async () => {
    const other = { ...context(tmp.path), packager: { projectDir: tmp.path, config: { electronVersion: '46.0.0' } } };
    await expect(beforePack(other)).rejects.toThrow(/packaging for Electron 46\.0\.0, but node_modules has 45\.4\.1/);
  });
});

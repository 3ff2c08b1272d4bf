// `npm start`'s Electron path (scripts/electron-abi.js) in a temp project: a stand-in Electron binary answers
// ELECTRON_RUN_AS_NODE=1 -p like the real one (Node with Electron's version and ABI), and the code decides whether
// better-sqlite3 must be built for that ABI, with which command, and when the stamped build makes that unneeded.
// Nothing is compiled (that needs Electron's headers from the network): the compiler's output is a file we place.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteBindingPath } from '../../../electron/native-addons.js';
import {
  electronBinary,
  electronRebuildPlan,
  electronRuntime,
  ensureElectronAddon,
  finishRebuild,
  prepareRebuild,
  whyNoElectronDownload,
  type ElectronRuntime,
} from '../../../scripts/electron-abi.js';
import { tempFolder } from '../../support/temp-home.js';

const ELECTRON_VERSION = '45.4.1';
const ELECTRON_ABI = '140';
const NODE_BUILD = 'the Node-ABI build';

let tmp: ReturnType<typeof tempFolder>;
let root: string;

function write(relative: string, text: string): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** An Electron binary stand-in: with ELECTRON_RUN_AS_NODE it is Node reporting Electron's version and ABI. */
function installStandInElectron(abi = ELECTRON_ABI): void {
  write('node_modules/electron/package.json', JSON.stringify({ name: 'electron', version: ELECTRON_VERSION, engines: { node: '>= 22.12.0' } }));
  write('node_modules/electron/path.txt', 'electron');
  const binary = write(
    'node_modules/electron/dist/electron',
    [
      `#!${process.execPath}`,
      "if (process.env.ELECTRON_RUN_AS_NODE !== '1') { console.error('would open a window'); process.exit(3); }",
      "const i = process.argv.indexOf('-p');",
      `const versions = { ...process.versions, electron: '${ELECTRON_VERSION}', modules: '${abi}' };`,
      "console.log(new Function('process', 'return (' + process.argv[i + 1] + ')')({ ...process, versions }));",
    ].join('\n'),
  );
  chmodSync(binary, 0o755);
}

beforeEach(() => {
  tmp = tempFolder('electron-abi');
  root = tmp.path;
  write('node_modules/better-sqlite3/package.json', JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
  write('node_modules/better-sqlite3/binding.gyp', '{}');
  write('node_modules/better-sqlite3/src/better_sqlite3.cpp', '// sources');
  write('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', '/* amalgamation */');
  write('node_modules/better-sqlite3/build/Release/better_sqlite3.node', NODE_BUILD);
  write('node_modules/@electron/rebuild/package.json', JSON.stringify({ name: '@electron/rebuild', engines: { node: '>=22.12.0' } }));
});
afterEach(() => tmp.remove());

/** Stands in for the compiler: puts its output where node-gyp would, in the copy. */
function compile(workDir: string, bytes: string): void {
  const output = path.join(workDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, bytes);
}

// The stand-in binary is a script with a #! line, which Windows cannot start.
describe.skipIf(process.platform === 'win32')('the Electron runtime', () => {
  it('is found where the installer leaves it and reports its version and ABI', () => {
    expect(electronBinary(root)).toBeNull();
    installStandInElectron();
    const binary = electronBinary(root);
    expect(binary).toBe(path.join(root, 'node_modules/electron/dist/electron'));
    expect(electronRuntime(binary!)).toEqual({ electron: ELECTRON_VERSION, modules: ELECTRON_ABI, platform: process.platform, arch: process.arch });
  });

  it('says why a binary that is not Electron cannot be used', () => {
    const notElectron = write('node_modules/electron/dist/node', `#!${process.execPath}\nconsole.log('{}')`);
    chmodSync(notElectron, 0o755);
    expect(electronRuntime(notElectron)).toEqual({ error: expect.stringContaining('did not report an Electron version and ABI') });
  });
});

describe.skipIf(process.platform === 'win32')("better-sqlite3 for Electron's ABI", () => {
  it('is built once per ABI, into its own folder, leaving the Node build alone', () => {
    installStandInElectron();
    const runtime = electronRuntime(electronBinary(root)!) as ElectronRuntime;
    const plan = electronRebuildPlan(root, runtime)!;
    expect(plan.reason).toBe(`no better-sqlite3 build for Electron ${ELECTRON_VERSION} (ABI ${ELECTRON_ABI}) yet`);
    expect(plan.command).toBe(process.execPath);
    expect(plan.args).toEqual([
      path.join(root, 'node_modules/@electron/rebuild/lib/cli.js'),
      '--version', ELECTRON_VERSION,
      '--arch', process.arch,
      '--platform', process.platform,
      '--module-dir', plan.workDir,
      '--only', 'better-sqlite3',
      '--force',
    ]);
    // The same path the Electron main process loads from dist/.
    expect(plan.output).toBe(sqliteBindingPath(path.join(root, 'dist'), runtime));

    prepareRebuild(root, plan);
    const copy = path.join(plan.workDir, 'node_modules/better-sqlite3');
    expect(readFileSync(path.join(copy, 'src/better_sqlite3.cpp'), 'utf8')).toBe('// sources');
    expect(readFileSync(path.join(copy, 'deps/sqlite3/sqlite3.c'), 'utf8')).toBe('/* amalgamation */');
    expect(() => readFileSync(path.join(copy, 'build/Release/better_sqlite3.node'))).toThrow(/ENOENT/); // compiled afresh
    expect(JSON.parse(readFileSync(path.join(plan.workDir, 'package.json'), 'utf8')).dependencies).toEqual({ 'better-sqlite3': '12.11.1' });
    // @electron/rebuild rebuilds every instance found up to the nearest lockfile: run in the copy's own project.
    expect(plan.cwd).toBe(plan.workDir);
    expect(readFileSync(path.join(plan.workDir, 'package-lock.json'), 'utf8')).toContain('lockfileVersion');
    expect(plan.workDir.startsWith(path.join(root, 'node_modules'))).toBe(false);

    compile(plan.workDir, 'the Electron-ABI build');
    expect(finishRebuild(plan)).toBe(plan.output);
    expect(readFileSync(plan.output, 'utf8')).toBe('the Electron-ABI build');
    expect(JSON.parse(readFileSync(plan.stampFile, 'utf8'))).toEqual({
      module: 'better-sqlite3',
      version: '12.11.1',
      electron: ELECTRON_VERSION,
      modules: ELECTRON_ABI,
      platform: process.platform,
      arch: process.arch,
    });
    expect(readFileSync(path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8')).toBe(NODE_BUILD);

    // Stamp matches: nothing to build, on any Node.
    expect(electronRebuildPlan(root, runtime)).toBeNull();
    expect(ensureElectronAddon(root, runtime, { nodeVersion: '20.9.0' })).toEqual({ built: false, output: plan.output });
  });

  it('is built again for a new better-sqlite3 or a new Electron ABI', () => {
    installStandInElectron();
    const runtime = electronRuntime(electronBinary(root)!) as ElectronRuntime;
    const plan = electronRebuildPlan(root, runtime)!;
    prepareRebuild(root, plan);
    compile(plan.workDir, 'build');
    finishRebuild(plan);

    write('node_modules/better-sqlite3/package.json', JSON.stringify({ name: 'better-sqlite3', version: '12.12.0' }));
    expect(electronRebuildPlan(root, runtime)?.reason).toBe(
      `the better-sqlite3 build for ABI ${ELECTRON_ABI} was made for better-sqlite3@12.11.1 on Electron ${ELECTRON_VERSION}`,
    );

    installStandInElectron('150');
    const next = electronRuntime(electronBinary(root)!) as ElectronRuntime;
    const nextPlan = electronRebuildPlan(root, next)!;
    expect(nextPlan.reason).toBe(`no better-sqlite3 build for Electron ${ELECTRON_VERSION} (ABI 150) yet`);
    expect(path.dirname(nextPlan.output)).not.toBe(path.dirname(plan.output));
  });

  it("is not attempted on a Node older than @electron/rebuild's engines, and says so", () => {
    installStandInElectron();
    const runtime = electronRuntime(electronBinary(root)!) as ElectronRuntime;
    const result = ensureElectronAddon(root, runtime, { nodeVersion: '20.20.2', stdio: 'ignore' });
    expect(result).toEqual({
      error: `no better-sqlite3 build for Electron ${ELECTRON_VERSION} (ABI ${ELECTRON_ABI}) yet, and @electron/rebuild needs Node.js >=22.12.0 (this is Node.js 20.20.2)`,
    });
  });
});

describe('why npm start opens browser-window mode', () => {
  it("names the reason: GAN_STUDIO_BROWSER, no electron package, or a Node older than Electron's own engines", () => {
    expect(whyNoElectronDownload({ root, env: {}, nodeVersion: '22.12.0' })).toBe('the electron package is not installed (devDependencies were left out?)');
    installStandInElectron();
    expect(whyNoElectronDownload({ root, env: { GAN_STUDIO_BROWSER: '1' }, nodeVersion: '24.0.0' })).toBe('GAN_STUDIO_BROWSER is set');
    expect(whyNoElectronDownload({ root, env: {}, nodeVersion: '20.20.2' })).toBe(
      `Electron ${ELECTRON_VERSION}'s installer needs Node.js >= 22.12.0, and this is Node.js 20.20.2`,
    );
    expect(whyNoElectronDownload({ root, env: {}, nodeVersion: '22.11.9' })).toMatch(/needs Node\.js >= 22\.12\.0/);
    expect(whyNoElectronDownload({ root, env: {}, nodeVersion: '22.12.0' })).toBeNull();
    expect(whyNoElectronDownload({ root, env: {}, nodeVersion: '23.0.0' })).toBeNull();
  });
});

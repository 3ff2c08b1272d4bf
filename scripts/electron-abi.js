// Electron's build of better-sqlite3, kept beside Node's: `npm start` and packaging ask here whether Electron can
// be used, which ABI its binary has, and whether that ABI's build of the addon must be made (once per ABI, stamped).
// better-sqlite3 is a V8-ABI addon: the build in node_modules loads in Node only (tests, CLI, browser-window mode),
// so Electron's is compiled from a copy of the package and lives in dist/native/, where electron/main.ts loads it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SQLITE_MODULE = 'better-sqlite3';
export const SQLITE_ADDON_FILE = 'better_sqlite3.node';
const STAMP_FILE = 'stamp.json';

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The Electron binary that electron's installer left in node_modules, or null. Reads path.txt rather than
 * require('electron'), which would start a download of its own when the binary is missing.
 */
export function electronBinary(root) {
  const pathFile = path.join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.resolve(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The installed electron package: its version and the Node its installer needs (its own engines.node). */
export function electronPackage(root) {
  const pkg = readJson(path.join(root, 'node_modules/electron/package.json'));
  return pkg ? { version: pkg.version, nodeRange: pkg.engines?.node ?? null } : null;
}

/** The Node that @electron/rebuild needs (its engines.node), or null when it is not installed. */
export function rebuildNodeRange(root) {
  return readJson(path.join(root, 'node_modules/@electron/rebuild/package.json'))?.engines?.node ?? null;
}

function parseVersion(text) {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

/**
 * Whether `version` meets a range of the form engines fields use here (">= 22.12.0", ">=20.9", possibly joined
 * by "||"). A range in another form is not understood and reported as met: Electron's own installer decides then.
 */
export function meetsRange(version, range) {
  const have = parseVersion(version);
  if (!have || !range) return true;
  const alternatives = range.split('||').map((part) => /^\s*>=\s*(\S+)\s*$/.exec(part));
  if (alternatives.some((m) => !m)) return true;
  return alternatives.some((m) => {
    const need = parseVersion(m[1]);
    if (!need) return true;
    for (let i = 0; i < 3; i += 1) if (have[i] !== need[i]) return have[i] > need[i];
    return true;
  });
}

/**
 * Why `npm start` cannot fetch Electron, or null when it may try: browser-window mode asked for, electron not
 * installed, or a Node older than Electron's installer needs.
 */
export function whyNoElectronDownload({ root, env = process.env, nodeVersion = process.versions.node }) {
  if (env.GAN_STUDIO_BROWSER) return 'GAN_STUDIO_BROWSER is set';
  const electron = electronPackage(root);
  if (!electron) return 'the electron package is not installed (devDependencies were left out?)';
  if (!meetsRange(nodeVersion, electron.nodeRange)) {
    return `Electron ${electron.version}'s installer needs Node.js ${electron.nodeRange}, and this is Node.js ${nodeVersion}`;
  }
  return null;
}

// Evaluated by the Electron binary in Node mode: which runtime the addon must be built for.
const RUNTIME_EXPRESSION =
  'JSON.stringify({ electron: process.versions.electron, modules: process.versions.modules, platform: process.platform, arch: process.arch })';

/**
 * Asks the Electron binary itself (ELECTRON_RUN_AS_NODE) for its version and ABI: what the addon must match.
 * Returns { electron, modules, platform, arch } or { error }.
 */
export function electronRuntime(binary) {
  const result = spawnSync(binary, ['-p', RUNTIME_EXPRESSION], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) return { error: `it did not start (${result.error.message})` };
  if (result.status !== 0) return { error: `it exited with status ${result.status}: ${(result.stderr ?? '').trim().slice(0, 300)}` };
  try {
    const runtime = JSON.parse(result.stdout.trim().split('\n').pop());
    if (runtime.electron && runtime.modules && runtime.platform && runtime.arch) return runtime;
  } catch {
    // fall through
  }
  return { error: `it did not report an Electron version and ABI (printed ${JSON.stringify(result.stdout.slice(0, 200))})` };
}

/**
 * Where Electron's build of the addon lives for a runtime: dist/native/better-sqlite3/electron-<abi>-<platform>-<arch>/.
 * electron/native-addons.ts computes the same path inside the app; a test holds the two together.
 */
export function electronAddonDir(root, runtime) {
  return path.join(root, 'dist', 'native', SQLITE_MODULE, `electron-${runtime.modules}-${runtime.platform}-${runtime.arch}`);
}

function stampOf(root, runtime) {
  const version = readJson(path.join(root, 'node_modules', SQLITE_MODULE, 'package.json'))?.version ?? null;
  return { module: SQLITE_MODULE, version, electron: runtime.electron, modules: String(runtime.modules), platform: runtime.platform, arch: runtime.arch };
}

/**
 * What must be built for this runtime, or null when its build is there and its stamp matches (same Electron, ABI,
 * platform, arch and better-sqlite3 version). The plan is data: the command and arguments that compile a copy of
 * better-sqlite3 (in workDir, so Node's build in node_modules is never touched) with @electron/rebuild.
 */
export function electronRebuildPlan(root, runtime) {
  const outputDir = electronAddonDir(root, runtime);
  const output = path.join(outputDir, SQLITE_ADDON_FILE);
  const stampFile = path.join(outputDir, STAMP_FILE);
  const stamp = stampOf(root, runtime);
  const current = readJson(stampFile);
  let reason;
  if (!existsSync(output) || !current) reason = `no ${SQLITE_MODULE} build for Electron ${runtime.electron} (ABI ${runtime.modules}) yet`;
  else if (JSON.stringify(current) !== JSON.stringify(stamp)) {
    reason = `the ${SQLITE_MODULE} build for ABI ${runtime.modules} was made for ${current.module}@${current.version} on Electron ${current.electron}`;
  } else return null;
  const key = path.basename(outputDir);
  // Inside the project (so @electron/rebuild finds prebuild-install and node-gyp in its node_modules), but not in
  // node_modules, which may be shared with other checkouts, nor in dist/, which is packaged.
  const workDir = path.join(root, '.tmp', 'electron-rebuild', key);
  return {
    reason,
    runtime,
    stamp,
    output,
    stampFile,
    workDir,
    // @electron/rebuild takes the nearest folder with a lockfile as the project and rebuilds every instance of the
    // module it finds up to there: run in workDir (which prepareRebuild gives a lockfile) so that is only the copy,
    // never node_modules/better-sqlite3 itself.
    cwd: workDir,
    command: process.execPath,
    args: [
      path.join(root, 'node_modules/@electron/rebuild/lib/cli.js'),
      '--version', runtime.electron,
      '--arch', runtime.arch,
      '--platform', runtime.platform,
      '--module-dir', workDir,
      '--only', SQLITE_MODULE,
      '--force',
    ],
  };
}

/**
 * A fresh copy of better-sqlite3's sources (not its build/ folder) in the plan's workDir, with a package.json that
 * depends on it and a lockfile that makes workDir the project's root, for @electron/rebuild to compile there.
 */
export function prepareRebuild(root, plan) {
  const source = path.join(root, 'node_modules', SQLITE_MODULE);
  const target = path.join(plan.workDir, 'node_modules', SQLITE_MODULE);
  rmSync(plan.workDir, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'lib', 'src', 'deps']) {
    if (existsSync(path.join(source, entry))) cpSync(path.join(source, entry), path.join(target, entry), { recursive: true });
  }
  const manifest = { name: 'gan-studio-electron-rebuild', private: true, dependencies: { [SQLITE_MODULE]: plan.stamp.version } };
  writeFileSync(path.join(plan.workDir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(path.join(plan.workDir, 'package-lock.json'), JSON.stringify({ name: manifest.name, lockfileVersion: 3, packages: {} }, null, 2));
}

/** Moves the compiled addon from workDir to its place for this ABI and writes the stamp; the addon's path. */
export function finishRebuild(plan) {
  const built = path.join(plan.workDir, 'node_modules', SQLITE_MODULE, 'build', 'Release', SQLITE_ADDON_FILE);
  if (!existsSync(built)) throw new Error(`the rebuild left no ${built}`);
  mkdirSync(path.dirname(plan.output), { recursive: true });
  cpSync(built, plan.output);
  writeFileSync(plan.stampFile, `${JSON.stringify(plan.stamp, null, 2)}\n`);
  rmSync(plan.workDir, { recursive: true, force: true });
  return plan.output;
}

/**
 * Builds better-sqlite3 for `runtime` when needed. Returns { built: false } when the stamped build is there,
 * { built: true, output } after a rebuild, or { error } saying why it could not be made.
 */
export function ensureElectronAddon(root, runtime, { stdio = 'inherit', nodeVersion = process.versions.node } = {}) {
  const plan = electronRebuildPlan(root, runtime);
  if (!plan) return { built: false, output: path.join(electronAddonDir(root, runtime), SQLITE_ADDON_FILE) };
  const needs = rebuildNodeRange(root);
  if (!needs) return { error: `${plan.reason}, and @electron/rebuild is not installed` };
  if (!meetsRange(nodeVersion, needs)) {
    return { error: `${plan.reason}, and @electron/rebuild needs Node.js ${needs} (this is Node.js ${nodeVersion})` };
  }
  console.log(`GAN Studio: building ${SQLITE_MODULE} for Electron's ABI: ${plan.reason}…`);
  prepareRebuild(root, plan);
  const result = spawnSync(plan.command, plan.args, { cwd: plan.cwd, stdio });
  if (result.status !== 0) {
    return {
      error:
        `${plan.reason}, and rebuilding it failed (see above: it downloads Electron's headers or a prebuilt ` +
        'addon, and otherwise needs a C++ toolchain)',
    };
  }
  return { built: true, output: finishRebuild(plan) };
}

/**
 * The runtime a package targets (electron-builder's beforePack): the installed Electron's ABI, read from
 * node_modules/electron/abi_version, as its binary may be for another platform and is not run.
 */
export function packagedRuntime(root, { electronVersion, platform, arch }) {
  const electron = electronPackage(root);
  if (!electron) throw new Error('the electron package is not installed');
  if (electronVersion && electronVersion !== electron.version) {
    throw new Error(`packaging for Electron ${electronVersion}, but node_modules has ${electron.version}: its ABI is not known here`);
  }
  const modules = readFileSync(path.join(root, 'node_modules/electron/abi_version'), 'utf8').trim();
  return { electron: electron.version, modules, platform, arch };
}

// electron-builder's beforePack hook: builds better-sqlite3 for the packaged Electron's ABI, platform and arch into
// dist/native/ (shipped with dist/**, unpacked from the asar as a .node), where electron/main.ts loads it.
// electron-builder's own rebuild (npmRebuild) stays off: it recompiles node_modules in place, which would leave the
// tree's better-sqlite3 unusable for Node (tests, CLI, browser-window mode); and a beforeBuild hook that returned
// false to skip it would also stop electron-builder from shipping node_modules at all.
import { ensureElectronAddon, packagedRuntime } from './electron-abi.js';

// electron-builder's Arch enum (builder-util) → process.arch, the name the running app looks its addon up by.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'arm', 3: 'arm64' };

export async function beforePack(context) {
  const root = context.packager.projectDir;
  const arch = ARCH_NAMES[context.arch];
  if (!arch) throw new Error(`GAN Studio packaging: no better-sqlite3 build for arch ${context.arch} (universal?)`);
  const runtime = packagedRuntime(root, {
    electronVersion: context.packager.config.electronVersion,
    platform: context.electronPlatformName,
    arch,
  });
  const result = ensureElectronAddon(root, runtime);
  if ('error' in result) throw new Error(`GAN Studio packaging: ${result.error}`);
}

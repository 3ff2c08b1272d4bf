// `npm start`: builds what is needed, then opens the Electron window, or browser-window mode when Electron cannot
// be used here, saying why (no binary and no download, a Node too old for Electron's installer, GAN_STUDIO_BROWSER).
// Before Electron starts, better-sqlite3 is built for Electron's ABI once (scripts/electron-abi.js).
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary, electronRuntime, ensureElectronAddon, whyNoElectronDownload } from './electron-abi.js';
import { npmRun } from './npm-run.js';

const root = process.cwd();

if (!npmRun('build')) {
  console.error('GAN Studio: the build failed (see above).');
  process.exit(1);
}

/** The Electron binary ready to run (its ABI's better-sqlite3 built), or { reason } it cannot be used. */
function desktopElectron() {
  if (process.env.GAN_STUDIO_BROWSER) return { reason: 'GAN_STUDIO_BROWSER is set' };
  let binary = electronBinary(root);
  if (!binary) {
    const blocked = whyNoElectronDownload({ root });
    if (blocked) return { reason: `there is no Electron binary, and ${blocked}` };
    console.log('GAN Studio: fetching the Electron binary (once)…');
    const install = spawnSync(process.execPath, ['node_modules/electron/install.js'], { encoding: 'utf8', timeout: 180_000 });
    binary = electronBinary(root);
    if (!binary) {
      const said = `${install.stderr ?? ''}${install.error?.message ?? ''}`.trim().split('\n').filter(Boolean).pop();
      return { reason: `the Electron download failed${said ? ` (${said.slice(0, 300)})` : ' (offline?)'}` };
    }
  }
  const runtime = electronRuntime(binary);
  if ('error' in runtime) return { reason: `the Electron binary ${binary} could not tell its ABI: ${runtime.error}` };
  const addon = ensureElectronAddon(root, runtime);
  if ('error' in addon) return { reason: addon.error };
  return { binary };
}

const electron = desktopElectron();
const args = process.argv.slice(2);
if (electron.reason) console.log(`GAN Studio: starting browser-window mode instead of the desktop window: ${electron.reason}.`);
const child = electron.binary
  ? spawn(electron.binary, ['.', ...args], { stdio: 'inherit' })
  : spawn(process.execPath, ['dist/main/cli/gan-studio.js', 'serve', ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

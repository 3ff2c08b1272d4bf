// `npm start`: builds what is needed, then opens the Electron window, or browser-window mode when no Electron
// binary is available (its download is not part of `npm install`, so we try it once here).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  return result.status === 0;
}

// Read what electron's installer leaves behind rather than require('electron'), which would start a noisy
// download of its own when the binary is missing.
function electronBinary() {
  const pathFile = 'node_modules/electron/path.txt';
  if (!existsSync(pathFile)) return null;
  const binary = path.resolve('node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

if (!run(npm, ['run', '--silent', 'build'])) {
  console.error('GAN Studio: the build failed (see above).');
  process.exit(1);
}

let electron = process.env.GAN_STUDIO_BROWSER ? null : electronBinary();
if (!electron && !process.env.GAN_STUDIO_BROWSER && existsSync('node_modules/electron/install.js')) {
  console.log('GAN Studio: fetching the Electron binary (once)…');
  run(process.execPath, ['node_modules/electron/install.js'], { stdio: 'ignore', timeout: 180_000 });
  electron = electronBinary();
}

const args = process.argv.slice(2);
const child = electron
  ? spawn(electron, ['.', ...args], { stdio: 'inherit' })
  : (console.log('GAN Studio: no Electron binary here; starting browser-window mode.'),
    spawn(process.execPath, ['dist/main/cli/gan-studio.js', 'serve', ...args], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

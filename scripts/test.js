// `npm test`: set-up on a fresh machine (Chromium, Vulkan loader, build), type checks and lint, then every test project.
import { spawnSync } from 'node:child_process';
import { ensureVulkan } from './ensure-vulkan.js';
import { ensureChromium } from './find-chromium.js';
import { npmRun } from './npm-run.js';

const step = (cmd, args, env = process.env) => spawnSync(cmd, args, { stdio: 'inherit', env }).status === 0;

const chromium = ensureChromium();
if (!chromium) {
  console.error('npm test: Chromium is needed for the end-to-end tests: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
  process.exit(1);
}
// The WebGPU path is tested on Chromium's SwiftShader Vulkan driver, so the GPU code never goes dead.
const vulkan = ensureVulkan();
if (!vulkan.env) {
  console.error(`npm test: the WebGPU tests need Vulkan: ${vulkan.reason}`);
  process.exit(1);
}
if (!npmRun('build')) process.exit(1);
if (!npmRun('check')) process.exit(1);
const ok = step(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { ...process.env, ...vulkan.env, CHROMIUM_PATH: chromium });
process.exit(ok ? 0 : 1);

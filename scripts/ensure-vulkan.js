// Makes the WebGPU path testable without a GPU: the Vulkan loader (Debian libvulkan1, installed when we can) plus a
// Vulkan driver, Chromium's SwiftShader ICD when the machine has none. Returns the environment to add, or one clear reason.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findChromium } from './find-chromium.js';

const LOADER = 'libvulkan.so.1';
const SWIFTSHADER_ICD = 'vk_swiftshader_icd.json';

// Where distributions and vendors put Chromium's (or Electron's) files, next to which the SwiftShader ICD sits.
const chromiumDirs = () => [
  ...[process.env.CHROMIUM_PATH, findChromium()].filter((p) => p && existsSync(p)).map((p) => dirname(realpathSync(p))),
  '/usr/lib/chromium',
  '/usr/lib/chromium-browser',
  '/usr/lib64/chromium-browser',
  '/opt/google/chrome',
  '/snap/chromium/current/usr/lib/chromium-browser',
  resolve('node_modules/electron/dist'),
];

const libDirs = () => [
  ...(process.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean),
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
];

/** Path of the system's Vulkan loader (what Dawn dlopens), or null. */
export function findVulkanLoader() {
  try {
    const line = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/sbin:/usr/sbin` } })
      .split('\n')
      .find((l) => l.trim().startsWith(`${LOADER} `));
    const path = line?.split('=>')[1]?.trim();
    if (path && existsSync(path)) return path;
  } catch {
    // no ldconfig: look in the usual folders
  }
  return libDirs().map((d) => join(d, LOADER)).find((p) => existsSync(p)) ?? null;
}

/** Chromium's SwiftShader ICD manifest whose library exists, or null. */
export function findSwiftShaderIcd() {
  for (const dir of chromiumDirs()) {
    const manifest = join(dir, SWIFTSHADER_ICD);
    try {
      const library = JSON.parse(readFileSync(manifest, 'utf8')).ICD?.library_path;
      if (typeof library === 'string' && existsSync(resolve(dir, library))) return manifest;
    } catch {
      // missing or unreadable: next candidate
    }
  }
  return null;
}

/** ICD manifests the Vulkan loader would find by itself (drivers installed on the system). */
export function systemIcds() {
  const dataDirs = (process.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(delimiter);
  const dirs = ['/etc/vulkan/icd.d', ...dataDirs.map((d) => join(d, 'vulkan/icd.d')), join(homedir(), '.local/share/vulkan/icd.d')];
  return dirs.flatMap((d) => {
    try {
      return readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f));
    } catch {
      return [];
    }
  });
}

/** A loader from Chromium's own folder (it ships one) when the system has none: reached through LD_LIBRARY_PATH. */
function chromiumLoaderEnv(icd) {
  const dir = dirname(icd);
  if (!existsSync(join(dir, LOADER))) return null;
  return { LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter) };
}

/**
 * Environment that makes Dawn use SwiftShader whatever other drivers exist (the tests use it to get one known
 * adapter): `{ env, reason }`, env null when the loader or the ICD is missing. Installs nothing.
 */
export function swiftShaderVulkan() {
  if (process.platform !== 'linux') return { env: null, reason: `Vulkan through SwiftShader is set up on Linux only (this is ${process.platform})` };
  const icd = findSwiftShaderIcd();
  if (!icd) return { env: null, reason: `no Chromium SwiftShader ICD (${SWIFTSHADER_ICD}) found: install Debian's chromium or set CHROMIUM_PATH` };
  if (findVulkanLoader()) return { env: { VK_ICD_FILENAMES: icd }, reason: `Vulkan loader ${findVulkanLoader()}, SwiftShader ICD ${icd}` };
  const fallback = chromiumLoaderEnv(icd);
  if (fallback) return { env: { ...fallback, VK_ICD_FILENAMES: icd }, reason: `Chromium's own ${LOADER} from ${dirname(icd)}, SwiftShader ICD ${icd}` };
  return { env: null, reason: `${LOADER} (the Vulkan loader, Debian package libvulkan1) is not installed: apt-get install libvulkan1` };
}

/**
 * swiftShaderVulkan() for use inside an already running process (a test): Dawn is loaded here, so a loader reachable
 * only through LD_LIBRARY_PATH counts as missing unless that was set when the process started.
 */
export function swiftShaderVulkanHere() {
  const setup = swiftShaderVulkan();
  const dir = setup.env?.LD_LIBRARY_PATH?.split(delimiter)[0];
  if (dir && !(process.env.LD_LIBRARY_PATH ?? '').split(delimiter).includes(dir)) {
    return { env: null, reason: `${LOADER} is only in Chromium's folder: start with LD_LIBRARY_PATH=${dir} (npm test does) or apt-get install libvulkan1` };
  }
  return setup;
}

function installLoader() {
  const canApt = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) return;
  console.log('Installing Debian libvulkan1 (the Vulkan loader) for the WebGPU tests…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for a concurrent apt/dpkg instead of failing on its lock; only the loader, not Mesa's drivers.
  const install = ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', '--no-install-recommends', 'libvulkan1'];
  try {
    execFileSync('apt-get', install, { stdio: 'inherit', env });
  } catch {
    try {
      execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update', '-qq'], { stdio: 'inherit', env });
      execFileSync('apt-get', install, { stdio: 'inherit', env });
    } catch {
      // reported by the caller
    }
  }
}

/**
 * Makes sure Dawn can reach a Vulkan driver: installs libvulkan1 when root with apt, and points VK_ICD_FILENAMES at
 * Chromium's SwiftShader when the system has no ICD of its own. Returns `{ env, reason }`: env holds the variables
 * to add to the test processes' environment (maybe none), or is null with reason saying what is missing.
 */
export function ensureVulkan() {
  if (process.platform !== 'linux') return { env: {}, reason: `not Linux: Dawn uses ${process.platform === 'darwin' ? 'Metal' : 'D3D12'}` };
  if (!findVulkanLoader()) installLoader();
  const explicit = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  if (findVulkanLoader() && explicit) return { env: {}, reason: `Vulkan loader ${findVulkanLoader()}, ICD from the environment: ${explicit}` };
  const system = systemIcds();
  if (findVulkanLoader() && system.length > 0) return { env: {}, reason: `Vulkan loader ${findVulkanLoader()}, system ICDs: ${system.join(', ')}` };
  return swiftShaderVulkan();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { env, reason } = ensureVulkan();
  console.log(env ? `Vulkan ready (${reason}); env: ${JSON.stringify(env)}` : `Vulkan unavailable: ${reason}`);
  process.exit(env ? 0 : 1);
}

// The backend ladder's webgpu rung: it names the adapter, skips a software one unless forced, says why it skipped,
// and gives tfjs-backend-webgpu the globals it reads (navigator.gpu, GPUBufferUsage, …) without clobbering Node's navigator.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { swiftShaderVulkanHere } from '../../../scripts/ensure-vulkan.js';
import { selectBackend } from '../../../main/engine/backend-ladder.js';
import { probeAdapter, summarizeAdapter } from '../../../main/engine/webgpu/dawn-adapter.js';

const vulkan = swiftShaderVulkanHere();
const unavailable = vulkan.env ? null : vulkan.reason;
if (vulkan.env) Object.assign(process.env, vulkan.env);

describe('adapter summaries', () => {
  it('flag CPU implementations as software and name real GPUs plainly', () => {
    const swiftshader = summarizeAdapter({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true });
    expect(swiftshader).toMatchObject({ software: true, name: 'SwiftShader driver 5.0.0 (google swiftshader)' });
    expect(summarizeAdapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).software).toBe(true);
    expect(summarizeAdapter({ vendor: 'nvidia', architecture: 'ada-lovelace', description: 'NVIDIA GeForce RTX 4090' }, true).software).toBe(true); // adapter.isFallbackAdapter
    expect(summarizeAdapter({ vendor: 'nvidia', architecture: 'ada-lovelace', description: 'NVIDIA GeForce RTX 4090' })).toEqual({
      vendor: 'nvidia',
      architecture: 'ada-lovelace',
      device: '',
      description: 'NVIDIA GeForce RTX 4090',
      software: false,
      name: 'NVIDIA GeForce RTX 4090 (nvidia ada-lovelace)',
    });
  });
});

describe('the probe in a packaged Electron app', () => {
  it('does not start a child when the runtime cannot run as Node (RunAsNode fuse off), and says why', () => {
    // A bogus ICD path would make a real probe fail with Dawn's own reason; this one never gets that far.
    const probe = probeAdapter({ ...process.env, GAN_STUDIO_NO_RUN_AS_NODE: '1', VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    expect(probe).toEqual({ ok: false, reason: "the WebGPU adapter probe needs ELECTRON_RUN_AS_NODE, which this package's fuses turn off" });
  });
});

describe('the probe without a Vulkan driver', () => {
  it("turns Dawn's stderr into the skip reason", () => {
    const probe = probeAdapter({ ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' });
    expect(probe.ok).toBe(false);
    // "Dawn found no WebGPU adapter (…): vkCreateInstance: Found no drivers!", or "… Couldn't load Vulkan: libvulkan.so.1 …"
    expect(!probe.ok && probe.reason).toMatch(/^Dawn found no WebGPU adapter \(no Vulkan\/Metal\/D3D12 driver\)(: .*(vulkan|driver).*)?$/i);
  });
});

describe.skipIf(unavailable !== null)(`the webgpu rung on SwiftShader${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  afterAll(() => {
    if (tf.findBackend('webgpu')) tf.removeBackend('webgpu'); // releases the device, so the worker can exit
  });

  it('is skipped when not forced, with a reason naming the software adapter', async (context) => {
    const backend = await selectBackend('');
    if (backend.name === 'tensorflow') context.skip('tfjs-node is installed and wins before webgpu is tried');
    expect(backend.name).toBe('cpu');
    const webgpu = backend.skipped.find((s) => s.name === 'webgpu');
    expect(webgpu?.reason).toMatch(/^only a software adapter \(SwiftShader driver [\d.]+ \(google swiftshader\)\), slower than the native CPU kernels; GAN_STUDIO_BACKEND=webgpu uses it anyway$/);
  });

  it("is taken when forced, names SwiftShader, and keeps an existing navigator's fields", async () => {
    // Node 21+ has a global navigator; Node 20 does not: stand one in so both cases meet the same code.
    const hadNavigator = 'navigator' in globalThis;
    if (!hadNavigator) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'test-agent' }, configurable: true, writable: true });
    const userAgent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;

    const backend = await selectBackend('webgpu');
    expect(backend, JSON.stringify(backend.skipped)).toEqual({ name: 'webgpu', device: expect.stringMatching(/^SwiftShader driver [\d.]+ \(google swiftshader\), software adapter$/), skipped: [] });
    expect(tf.getBackend()).toBe('webgpu');

    const g = globalThis as Record<string, unknown> & { navigator: { gpu?: unknown; userAgent?: string } };
    expect(g.navigator.gpu).toBeDefined();
    expect(g.navigator.userAgent).toBe(userAgent);
    for (const name of ['GPUBufferUsage', 'GPUMapMode', 'GPUTextureUsage', 'GPUShaderStage']) expect(g[name], name).toBeDefined();

    // What the user gets: numbers computed on that device.
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
    expect(Array.from(await y.data())).toEqual([19, 22, 43, 50]);
    y.dispose();
  });
});

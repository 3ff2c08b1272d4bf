// The backend ladder's webgpu rung: it names the adapter, skips a software one unless forced, says why it skipped,
// and gives tfjs-backend-webgpu the globals it reads (navigator.gpu, GPUBufferUsage, …) without clobbering Node's navigator.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { swiftShaderVulkanHere } from '../../../scripts/ensure-vulkan.js';
import { selectBackend } from '../../../main/engine/backend-ladder.js';
import { probeAdapter, probeVerdict, summarizeAdapter } from '../../../main/engine/webgpu/dawn-adapter.js';
import { PROBE_RESULT_ENV, PROBE_RESULT_PREFIX } from '../../../main/engine/webgpu/probe-protocol.js';

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
  it("takes the shell's verdict from the environment without starting a child, and refuses a malformed one", () => {
    // A bogus ICD path would make a real probe fail with Dawn's own reason; these never get that far.
    const env = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' };
    const adapter = summarizeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' });
    expect(probeAdapter({ ...env, [PROBE_RESULT_ENV]: JSON.stringify({ ok: true, adapter }) })).toEqual({ ok: true, adapter });
    expect(probeAdapter({ ...env, [PROBE_RESULT_ENV]: JSON.stringify({ ok: false, reason: 'no driver' }) })).toEqual({ ok: false, reason: 'no driver' });
    for (const bad of ['{', '{"ok":true}', 'null']) {
      expect(probeAdapter({ ...env, [PROBE_RESULT_ENV]: bad })).toEqual({ ok: false, reason: `the WebGPU adapter probe's result in ${PROBE_RESULT_ENV} is not one` });
    }
  });

  it("reads a probe process's end as the utilityProcess reports it (exit code and output, no signal)", () => {
    const line = (found: unknown): string => `noise\n${PROBE_RESULT_PREFIX}${JSON.stringify(found)}\n`;
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true };
    expect(probeVerdict({ status: 0, stdout: line(swiftshader), stderr: '' })).toEqual({ ok: true, adapter: summarizeAdapter(swiftshader) });
    expect(probeVerdict({ status: 0, stdout: line(null), stderr: "Warning: Couldn't load Vulkan\n" })).toEqual({ ok: false, reason: "Dawn found no WebGPU adapter (no Vulkan/Metal/D3D12 driver): Couldn't load Vulkan" });
    expect(probeVerdict({ status: 134, stdout: '', stderr: '' })).toEqual({ ok: false, reason: 'the WebGPU adapter probe exited with status 134 (a GPU driver crash?)' });
    expect(probeVerdict({ status: 0, stdout: 'nothing', stderr: '' })).toEqual({ ok: false, reason: 'the WebGPU adapter probe printed no result' });
    expect(probeVerdict({ status: 0, stdout: line({ vendor: 7 }), stderr: '' })).toEqual({ ok: false, reason: 'the WebGPU adapter probe printed a result it should not' });
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

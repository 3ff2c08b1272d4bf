// What the WebGPU adapter probe (a short child process, adapter-probe-child.ts) and its callers agree on.

/** tfjs' own factory asks for a high-performance adapter; the probe and the backend ask for the same one. */
export const ADAPTER_OPTIONS = { powerPreference: 'high-performance' } as const;

/** The probe's one result line on stdout starts with this; Dawn may print other lines around it. */
export const PROBE_RESULT_PREFIX = '@@adapter ';

/**
 * The engine's environment variable holding a probe already made by its parent (JSON of an AdapterProbe). A packaged
 * Electron app sets it: its RunAsNode fuse is off, so the engine cannot start its own binary as Node for the probe,
 * and the shell runs the probe in a utilityProcess instead.
 */
export const PROBE_RESULT_ENV = 'GAN_STUDIO_WEBGPU_PROBE';

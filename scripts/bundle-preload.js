// Bundles the Electron preload to one CommonJS file: sandboxed preloads cannot load our ESM modules.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

/** esbuild options; the contract's channel names are injected so the preload does not bundle zod. */
export function preloadBuildOptions(methodNames, eventNames) {
  return {
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
    define: { __CONTRACT_METHODS__: JSON.stringify(methodNames), __CONTRACT_EVENTS__: JSON.stringify(eventNames) },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { eventNames, methodNames } = await import('../dist/main/api/contract.js');
  await build(preloadBuildOptions(methodNames, eventNames));
}

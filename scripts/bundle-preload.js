// Bundles the Electron preload to one CommonJS file: sandboxed preloads cannot load our ESM modules.
import { build } from 'esbuild';
import { eventNames, methodNames } from '../dist/main/api/contract.js';

await build({
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  sourcemap: true,
  define: { __CONTRACT_METHODS__: JSON.stringify(methodNames), __CONTRACT_EVENTS__: JSON.stringify(eventNames) },
  logLevel: 'warning',
});

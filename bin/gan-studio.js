#!/usr/bin/env node
// Launcher for the built CLI (npm run build produces dist/).
import('../dist/main/cli/gan-studio.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('gan-studio: not built yet. Run "npm run build" in the GAN Studio folder first.');
    process.exit(1);
  }
  throw err;
});

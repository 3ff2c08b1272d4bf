// Test projects: unit and integration run in Node against the real engine and SQLite; renderer-state runs the
// renderer's rune classes (.svelte.ts, compiled by the Svelte plugin for the browser) in Node against a real studio;
// e2e drives Chromium.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [svelte()],
        // The client build of Svelte: runes ($state, $derived) react as in the page, not as server rendering does.
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer-state',
          include: ['tests/renderer-state/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

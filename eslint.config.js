// Lint: keeps the runtime layers apart (renderer ↛ Node/main, main ↛ electron) and catches common TS mistakes.
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const rendererBoundary = {
  'import-x/no-nodejs-modules': 'error',
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['**/main/*', '!**/main/api', '**/main/*/**', '!**/main/api/*'], message: 'The renderer reaches main/ only through lib/studio.ts.' },
        { group: ['electron'], message: 'The renderer never imports electron; use window.studio via lib/studio.ts.' },
      ],
    },
  ],
  // Types from main/api only: a value import would pull Node-side code into the bundle.
  '@typescript-eslint/no-restricted-imports': [
    'error',
    { patterns: [{ group: ['**/main/api/*'], allowTypeImports: true, message: 'Only `import type` from main/api.' }] },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['renderer/**/*.ts', 'renderer/**/*.svelte'], ignores: ['renderer/vite.config.ts'], rules: rendererBoundary },
  {
    files: ['main/**/*.ts', 'models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'main/ is plain Node: Electron specifics live in electron/.' }] }],
    },
  },
);

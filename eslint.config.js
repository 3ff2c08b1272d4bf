// Lint: keeps the runtime layers apart (renderer ↛ Node/main except main/api/tfjs models, main/api ↛ Node/rest of main,
// main ↛ electron, models ↛ main, engine ↛ library, no import cycles) and catches common TS mistakes.
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const rendererBoundary = {
  'import-x/no-nodejs-modules': 'error',
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['**/main/*', '!**/main/api', '**/main/*/**', '!**/main/api/*'], message: 'The renderer reaches main/ only through main/api (schemas, limits) and lib/studio.ts (calls).' },
        { group: ['electron'], message: 'The renderer never imports electron; use window.studio via lib/studio.ts.' },
      ],
    },
  ],
  // Values from main/api are welcome (its schemas, limits, enums): that layer holds no Node code (its zones below).
};

// The files of models/ the renderer may import: the families' descriptors and the zod-only files they are built from.
const plainModelFiles = [
  'families.ts',
  '*/family.ts',
  'common/family-descriptor.ts',
  'common/family-schemas.ts',
  'common/training-params.ts',
  'common/diff-augment-policy.ts',
  'common/linear-decay.ts',
  'common/setting-limits.ts',
];

// The layers, checked on resolved files (so `../../main/x.js` and `../../../main/x.js` alike): each zone's `target`
// may not import from its `from`, `except` (relative to `from`) aside.
const layerZones = [
  { target: './models', from: ['./main', './electron', './renderer'], message: 'models/ stands alone (plain tfjs + TypeScript): main/ imports models/, never the reverse.' },
  {
    target: './main/engine',
    from: './main/library',
    // The file-writing helpers the engine's tasks share with the library; the store, SQLite and its records stay out.
    except: ['./atomic-write.ts', './new-file.ts', './project-paths.ts'],
    message: 'The engine does not reach into the library (its store, SQLite, records); only the file-writing helpers are shared.',
  },
  { target: './renderer', from: './main', except: ['./api'], message: 'The renderer reaches main/ only through main/api (lib/studio.ts).' },
  // main/api is the layer the renderer imports values from: zod schemas over models/ and itself, nothing server-side.
  { target: './main/api', from: './main', except: ['./api'], message: 'main/api is shared with the renderer: it imports only zod, models/ and itself (server code lives in main/service).' },
  { target: './main/api', from: ['./electron', './renderer'], message: 'main/api is shared with the renderer: it imports only zod, models/ and itself.' },
  {
    // The families' plain descriptors (zod and data) and what they are built from; networks and training (tfjs) stay out.
    target: './renderer',
    from: './models/**',
    except: plainModelFiles.map((file) => `**/models/${file}`),
    message: 'The renderer imports only the families\' plain descriptors from models/ (family.ts and the zod-only files they use), never tfjs code.',
  },
  {
    target: plainModelFiles.map((file) => `./models/${file}`),
    from: './models/**',
    except: plainModelFiles.map((file) => `**/models/${file}`),
    message: 'A plain descriptor file imports only other plain files (zod and data), so the renderer may bundle it without tfjs.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    plugins: { 'import-x': importX },
    // Resolves the sources' `./x.js` specifiers to the `.ts` files beside them, as tsc's NodeNext does.
    // no-cycle follows (parses) only files with these extensions, through typescript-eslint's parser for .ts.
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.svelte', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
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
  // No Node modules where code also runs in the renderer (main/api) or stays plain tfjs (models/).
  { files: ['models/**/*.ts', 'main/api/**/*.ts'], rules: { 'import-x/no-nodejs-modules': 'error' } },
  {
    files: plainModelFiles.map((file) => `models/${file}`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/ is plain Node: Electron specifics live in electron/.' }],
          patterns: [{ group: ['@tensorflow/*'], message: 'Plain descriptor files stay free of tfjs: the renderer bundles them.' }],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'models/**/*.ts', 'electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  // Value-import cycles in the Node side (type-only imports cannot cycle at run time and are not followed).
  { files: ['main/**/*.ts', 'models/**/*.ts', 'electron/**/*.ts'], rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] } },
);

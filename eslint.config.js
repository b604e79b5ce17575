// Process boundaries, enforced: shared/ is pure TypeScript; renderer/ and electron/ never import each other.
import tseslint from 'typescript-eslint';
import { windowsHide } from './eslint/windowsHide.js';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'net',
  'url',
  'util',
  'stream',
  'worker_threads',
];

// renderer/ talks only to the contract in shared/; repeated in every renderer block, since a later block's
// no-restricted-imports replaces an earlier one's for the files both match.
const rendererBoundary = {
  group: ['**/electron/**', 'electron', ...nodeBuiltins],
  message: 'renderer/ talks only to the contract in shared/, never to electron/ or Node.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', 'electron/*'],
              message: 'shared/ must not import Node or Electron code.',
            },
            {
              group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'react-dom/*'],
              message: 'shared/ must not import from electron/, renderer/ or the DOM.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'localStorage',
        'location',
        'process',
        'Buffer',
        'require',
        '__dirname',
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [rendererBoundary],
        },
      ],
    },
  },
  // Components read data through the stores in renderer/src/state/, never through the contract client.
  {
    files: ['renderer/src/components/**/*.ts', 'renderer/src/components/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            rendererBoundary,
            {
              group: ['**/rpc/**', '**/shared/rpc', '**/shared/rpc.ts'],
              message:
                'Components read data through a store in renderer/src/state/, never with rpc() calls of their own.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.js', 'bin/**/*.js'],
    ignores: ['**/*.test.ts'],
    plugins: { edgewise: { rules: { 'windows-hide': windowsHide } } },
    rules: { 'edgewise/windows-hide': 'error' },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'electron/ must not import from renderer/.' }] },
      ],
    },
  },
);

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
          patterns: [
            {
              group: ['**/electron/**', 'electron', ...nodeBuiltins],
              message: 'renderer/ talks only to the contract in shared/, never to electron/ or Node.',
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

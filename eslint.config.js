// Process boundaries and the layers inside electron/, enforced (ARCHITECTURE.md explains them):
// shared/ is pure TypeScript; renderer/ and electron/ never import each other; inside electron/,
// services/ never reach up into a shell or a tool, no shell imports another, and tools sit beside the shells.
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
  ...electronLayers(),
);

// The folders of electron/ and what each may not import. Tests are exempt: they drive a service
// through a shell on purpose. A later block replaces an earlier one's no-restricted-imports, so each
// layer repeats the renderer/ ban.
function electronLayers() {
  const folder = (name) => ({ group: [`**/${name}/**`], name });
  const shells = { main: folder('main'), server: folder('server'), cli: folder('cli') };
  const preload = folder('preload');
  const tools = folder('tools');
  const common = folder('common');
  const services = folder('services');
  const layers = [
    {
      dir: 'services',
      why: 'services/ never imports a shell, a tool or common/: it must run the same under every shell.',
      banned: [shells.main, shells.server, shells.cli, preload, tools, common],
    },
    {
      dir: 'main',
      why: 'main/ (the Electron shell) imports services/, common/ and shared/, never another shell or a tool.',
      banned: [shells.server, shells.cli, preload, tools],
    },
    {
      dir: 'server',
      why: 'server/ (the headless shell) imports services/, common/ and shared/, never another shell or a tool.',
      banned: [shells.main, shells.cli, preload, tools],
    },
    {
      dir: 'cli',
      why: 'cli/ imports services/, tools/, common/ and shared/; of the other shells only server/server.ts, which `edgewise serve` starts.',
      // `edgewise serve` runs the headless shell in this process: its start function is the one way in.
      banned: [shells.main, { group: ['**/server/**', '!**/server/server.ts'], name: 'server' }, preload],
    },
    {
      dir: 'preload',
      why: 'preload/ exposes the contract and nothing else: it imports shared/ and electron only.',
      banned: [shells.main, shells.server, shells.cli, services, tools, common],
    },
    {
      dir: 'tools',
      why: 'tools/ (the benchmark) drive services/ and the headless shell from outside: services/, common/ and shared/ only.',
      banned: [shells.main, shells.server, shells.cli, preload],
    },
    {
      dir: 'common',
      why: 'common/ is shared by the shells and tools: it imports shared/ and packages only.',
      banned: [shells.main, shells.server, shells.cli, preload, tools, services],
    },
  ];
  const rendererBan = { group: ['**/renderer/**'], message: 'electron/ must not import from renderer/.' };
  return [
    {
      files: ['electron/**/*.ts'],
      rules: { 'no-restricted-imports': ['error', { patterns: [rendererBan] }] },
    },
    ...layers.map(({ dir, why, banned }) => ({
      files: [`electron/${dir}/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              rendererBan,
              ...banned.map(({ group, name }) => ({ group, message: `${why} (imports ${name}/)` })),
            ],
          },
        ],
      },
    })),
  ];
}

import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { repoRoot } from './fixtures.ts';

const eslint = new ESLint({ cwd: repoRoot });
async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return result!.messages.map((m) => m.message);
}

describe('process boundaries are enforced by lint', () => {
  it('shared/ may not import node:, electron or touch the DOM', async () => {
    expect(
      await errors('shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;"),
    ).toHaveLength(1);
    expect(await errors('shared/x.ts', "import { app } from 'electron';\nexport const a = app;")).toHaveLength(1);
    expect(await errors('shared/x.ts', 'export const a = document.title;')).toHaveLength(1);
    expect(await errors('shared/x.ts', "import { z } from 'zod';\nexport const a = z.string();")).toHaveLength(0);
  });
  it('renderer/ and electron/ never import each other', async () => {
    expect(
      await errors(
        'renderer/src/x.ts',
        "import { createApp } from '../../electron/services/app.ts';\nexport const a = createApp;",
      ),
    ).toHaveLength(1);
    expect(
      await errors(
        'electron/main/x.ts',
        "import { useApp } from '../../renderer/src/store.ts';\nexport const a = useApp;",
      ),
    ).toHaveLength(1);
    expect(
      await errors(
        'renderer/src/x.ts',
        "import { appContract } from '../../shared/contract.ts';\nexport const a = appContract;",
      ),
    ).toHaveLength(0);
  });
  it('every child process Edgewise starts hides its console window on Windows', async () => {
    const file = 'electron/services/x.ts';
    const head =
      "import { execFile, fork, spawn } from 'node:child_process';\nimport { promisify } from 'node:util';\n";
    expect(await errors(file, `${head}export const a = spawn('ioreg', [], { stdio: 'pipe' });`)).toEqual([
      expect.stringMatching(/spawn\(\) must pass `windowsHide: true`/),
    ]);
    expect(await errors(file, `${head}export const a = spawn('ioreg', [], { windowsHide: true });`)).toEqual([]);
    // The promisified form the telemetry sources use is caught too, and so is fork.
    expect(
      await errors(
        file,
        `${head}const run = promisify(execFile);\nexport const a = run('powershell.exe', [], { timeout: 5 });`,
      ),
    ).toEqual([expect.stringMatching(/run\(\) must pass/)]);
    expect(await errors(file, `${head}export const a = fork('w.js', [], { windowsHide: false });`)).toHaveLength(1);
    expect(
      await errors(
        'scripts/x.ts',
        "import * as cp from 'node:child_process';\nexport const a = cp.execFileSync('ls');",
      ),
    ).toHaveLength(1);
  });
});

describe('renderer components read data through stores', () => {
  it('a component may not import the contract client or its transport', async () => {
    expect(
      await errors(
        'renderer/src/components/X.tsx',
        "import { rpc } from '../rpc/client.ts';\nexport const a = () => rpc().call('fit.facts', {});",
      ),
    ).toHaveLength(1);
    expect(
      await errors(
        'renderer/src/components/X.tsx',
        "import { connect } from '../rpc/transport.ts';\nexport const a = connect;",
      ),
    ).toHaveLength(1);
    expect(
      await errors(
        'renderer/src/components/X.tsx',
        "import { createClient } from '../../../shared/rpc.ts';\nexport const a = createClient;",
      ),
    ).toHaveLength(1);
    // The renderer-wide boundary still holds inside components/.
    expect(
      await errors(
        'renderer/src/components/X.tsx',
        "import { createApp } from '../../../electron/services/app.ts';\nexport const a = createApp;",
      ),
    ).toHaveLength(1);
    // Stores are what components read; the stores themselves use the client.
    expect(
      await errors(
        'renderer/src/components/X.tsx',
        "import { useChatStore } from '../state/chatStore.ts';\nexport const a = useChatStore;",
      ),
    ).toHaveLength(0);
    expect(
      await errors('renderer/src/state/x.ts', "import { rpc } from '../rpc/client.ts';\nexport const a = rpc;"),
    ).toHaveLength(0);
  });
});

describe('the layers inside electron/ are enforced by lint', () => {
  const imports = (from: string) => `import { a } from '${from}';\nexport const b = a;`;
  // [file, import, allowed]: each layer's forbidden imports fail, its allowed ones pass.
  const cases: [string, string, boolean][] = [
    ['electron/services/chat/x.ts', '../../main/security.ts', false],
    ['electron/services/chat/x.ts', '../../server/server.ts', false],
    ['electron/services/chat/x.ts', '../../cli/args.ts', false],
    ['electron/services/x.ts', '../tools/bench/layers.ts', false],
    ['electron/services/x.ts', '../common/wsClient.ts', false],
    ['electron/services/chat/x.ts', '../store/conversationStore.ts', true],
    ['electron/services/chat/x.ts', '../../../shared/contract.ts', true],
    ['electron/server/x.ts', '../main/security.ts', false],
    ['electron/server/x.ts', '../cli/args.ts', false],
    ['electron/server/x.ts', '../tools/bench/screen.ts', false],
    ['electron/server/x.ts', '../common/csp.ts', true],
    ['electron/server/x.ts', '../services/app.ts', true],
    ['electron/main/x.ts', '../server/server.ts', false],
    ['electron/main/x.ts', '../cli/args.ts', false],
    ['electron/main/x.ts', '../preload/index.ts', false],
    ['electron/main/x.ts', '../common/csp.ts', true],
    ['electron/main/x.ts', '../services/app.ts', true],
    ['electron/cli/x.ts', '../main/index.ts', false],
    ['electron/cli/x.ts', '../server/openaiApi.ts', false],
    ['electron/cli/x.ts', '../server/server.ts', true],
    ['electron/cli/x.ts', '../tools/bench/layers.ts', true],
    ['electron/cli/x.ts', '../services/paths.ts', true],
    ['electron/preload/x.ts', '../services/app.ts', false],
    ['electron/preload/x.ts', '../main/security.ts', false],
    ['electron/preload/x.ts', '../../shared/contract.ts', true],
    ['electron/tools/bench/x.ts', '../../server/server.ts', false],
    ['electron/tools/bench/x.ts', '../../cli/args.ts', false],
    ['electron/tools/bench/x.ts', '../../main/index.ts', false],
    ['electron/tools/bench/x.ts', '../../common/wsClient.ts', true],
    ['electron/tools/bench/x.ts', '../../services/engine/engineHost.ts', true],
    ['electron/common/x.ts', '../services/app.ts', false],
    ['electron/common/x.ts', '../server/server.ts', false],
    ['electron/common/x.ts', '../../shared/rpc.ts', true],
    ['electron/services/x.ts', '../../renderer/src/store.ts', false],
    ['electron/tools/bench/x.ts', '../../../renderer/src/store.ts', false],
  ];
  it.each(cases)('%s importing %s: allowed %s', async (file, from, allowed) => {
    const found = await errors(file, imports(from));
    expect(found).toHaveLength(allowed ? 0 : 1);
  });
  it('says why an import is refused', async () => {
    const [message] = await errors('electron/services/x.ts', imports('../server/server.ts'));
    expect(message).toContain('services/ never imports a shell');
  });
  it('tests may cross layers: they drive a service through a shell on purpose', async () => {
    expect(await errors('electron/services/router/x.test.ts', imports('../../server/server.ts'))).toHaveLength(0);
    expect(await errors('electron/services/x.test.ts', imports('../../renderer/src/store.ts'))).toHaveLength(1);
  });
});

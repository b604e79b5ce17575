// `edgewise mcp list|add|rm` and `edgewise chat --tools`, run as the user runs them.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, stories260k, tempDir } from './fixtures.ts';

function edgewise(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), ...args],
      { env: { ...process.env, EDGEWISE_DATA_DIR: dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

const serverScript = join(repoRoot, 'tests', 'mcp', 'mcpTestServer.ts');

describe('edgewise mcp', () => {
  it('adds a stdio server, lists it and its tools, and removes it', async () => {
    const dir = tempDir();
    const owner = `EDGEWISE_TEST_OWNER=${process.env.EDGEWISE_TEST_OWNER ?? ''}`;
    const add = await edgewise(
      [
        'mcp',
        'add',
        'tester',
        '--command',
        process.execPath,
        '--arg',
        serverScript,
        '--env',
        owner,
        '--env',
        'MCP_MODE=good',
        '--json',
      ],
      dir,
    );
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ name: 'tester', transport: 'stdio', args: [serverScript] });
    expect(add.stdout).not.toContain(process.env.EDGEWISE_TEST_OWNER ?? 'never');

    const dup = await edgewise(['mcp', 'add', 'TESTER', '--url', 'http://127.0.0.1:9/mcp'], dir);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
    const bad = await edgewise(['mcp', 'add', 'web', '--url', 'file:///etc/passwd'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/http/);

    const listed = await edgewise(['mcp', 'list', '--tools', '--json'], dir);
    expect(listed.code).toBe(0);
    const { servers } = JSON.parse(listed.stdout) as { servers: { name: string; tools: { name: string }[] }[] };
    expect(servers.map((s) => s.name)).toEqual(['tester']);
    expect(servers[0]!.tools.map((t) => t.name).sort()).toEqual(['add', 'delete_everything', 'echo']);

    expect((await edgewise(['mcp', 'rm', 'tester'], dir)).code).toBe(0);
    expect((await edgewise(['mcp', 'rm', 'tester'], dir)).stderr).toMatch(/No MCP server named "tester"/);
    expect((await edgewise(['mcp', 'list'], dir)).stdout).toMatch(/No MCP servers/);
  }, 300_000);

  it('chat --tools answers through the function-calling path and reports its tool steps', async () => {
    const { code, stdout } = await edgewise(
      [
        'chat',
        '--tools',
        '--model',
        stories260k,
        '--gpu',
        'cpu',
        '--threads',
        '1',
        '--temperature',
        '0',
        '--max-tokens',
        '24',
        '--json',
        'What is 2 + 2?',
      ],
      tempDir(),
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { toolSteps: unknown[]; outputTokens: number };
    expect(Array.isArray(out.toolSteps)).toBe(true);
    expect(out.outputTokens).toBeGreaterThan(0);
  }, 300_000);
});

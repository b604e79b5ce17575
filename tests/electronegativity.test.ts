import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from './fixtures.ts';

interface Finding {
  id: string;
  file: string;
  line: number;
  severity: string;
  description: string;
}
const scan = (dir?: string): Finding[] =>
  JSON.parse(
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'electronegativity.cjs'), ...(dir ? [dir] : [])], {
      encoding: 'utf8',
    }),
  );

describe('Electronegativity', () => {
  it('finds nothing at medium severity or above in electron/ (the rest is explained in place)', () => {
    const serious = scan().filter((f) => f.severity !== 'LOW' && f.severity !== 'INFORMATIONAL');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
  }, 60_000);

  it('does flag an insecure window, so a clean result means something', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'main.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\n",
    );
    expect(scan(dir).map((f) => f.id)).toEqual(
      expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK']),
    );
  }, 60_000);
});

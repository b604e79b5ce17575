import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoModel, repoRoot, stories260k, tempDir } from './fixtures.ts';

function edgewise(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'electron/cli/index.ts'), ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** A greedy 20-token story from the demo model, as --json, with any extra flags. */
const greedyStory = (extra: string[] = []) =>
  edgewise([
    'chat',
    '--model',
    demoModel,
    '--gpu',
    'cpu',
    ...extra,
    '--temperature',
    '0',
    '--max-tokens',
    '20',
    '--raw',
    '--json',
    'Once upon a time',
  ]);

describe('edgewise chat', () => {
  it('--json prints one object with honest figures', async () => {
    const { code, stdout } = await greedyStory();
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'text',
        'model',
        'backend',
        'ttftMs',
        'promptTokens',
        'outputTokens',
        'prefillTokensPerSec',
        'decodeTokensPerSec',
        'stopReason',
      ]),
    );
    expect(result).toMatchObject({
      model: 'TinyStories-656K-Q8_0.gguf',
      backend: 'cpu',
      outputTokens: 20,
      stopReason: 'maxTokens',
    });
    expect(result.text.startsWith(', a little girl named Lily')).toBe(true);
    expect(result.ttftMs).toBeGreaterThan(0);
    expect(result.decodeTokensPerSec).toBeGreaterThan(0);
    // no power sensor on this machine: null figures, with the reason
    expect(result).toMatchObject({ energyJoules: null, energyPerTokenMj: null, powerSource: null });
    expect(result.powerUnavailable).toMatch(/no RAPL/);
  });

  it('streams plain text with another model', async () => {
    const { code, stdout } = await edgewise([
      'chat',
      '--model',
      stories260k,
      '--gpu',
      'cpu',
      '--max-tokens',
      '10',
      '--seed',
      '7',
      'Once upon a time',
    ]);
    expect(code).toBe(0);
    expect(stdout.trim().length).toBeGreaterThan(0);
  });

  it('--flash-attention off makes the contexts without it and says so in --json; a wrong value is refused', async () => {
    const { code, stdout, stderr } = await greedyStory(['--flash-attention', 'off']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ flashAttention: 'off', outputTokens: 20, stopReason: 'maxTokens' });
    // The same greedy story as with llama.cpp's default (flash attention on here): only the kernels differ.
    expect(result.text.startsWith(', a little girl named Lily')).toBe(true);
    const wrong = await edgewise(['chat', '--flash-attention', 'sometimes', 'hi']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--flash-attention must be one of auto, on, off (got "sometimes")');
  });

  it('exit 2 for bad input, 3 for a model that cannot load', async () => {
    expect((await edgewise(['chat', '--temperature', 'hot', 'hi'])).code).toBe(2);
    expect((await edgewise(['chat', ''])).code).toBe(2);
    expect((await edgewise(['chat', '--model', '/nope/missing.gguf', 'hi'])).code).toBe(2);
    const broken = join(tempDir(), 'broken.gguf');
    writeFileSync(broken, readFileSync(demoModel).subarray(0, 5000));
    const result = await edgewise(['chat', '--model', broken, 'hi']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/truncated|past the end/);
    const untokenizable = await edgewise(['chat', '--gpu', 'cpu', 'tell me # things']);
    expect(untokenizable.code).toBe(2);
    expect(untokenizable.stderr).toContain('no token for "#"');
  });
});

describe('edgewise fit', () => {
  it('--json gives devices and tiered rows of verdicts, and reads a local GGUF for its own facts', async () => {
    const { code, stdout } = await edgewise([
      'fit',
      '--quant',
      'Q8_0',
      '--ctx',
      '4096',
      '--kv-type',
      'f16',
      '--gpu',
      'cpu',
      '--model',
      stories260k,
      '--json',
    ]);
    expect(code).toBe(0);
    const matrix = JSON.parse(stdout);
    expect(matrix.devices.map((d: { name: string }) => d.name)).toEqual([
      '4-6 GB phone (iPhone 17)',
      '8-12 GB phone (Pixel 11)',
      '16 GB MacBook Air',
      '32 GB Mac Studio',
      'This machine (CPU)',
    ]);
    for (const d of matrix.devices) expect(d.budgetBytes).toBeLessThanOrEqual(d.memoryBytes);
    const under1b = matrix.rows.find((r: { tier: string }) => r.tier === 'under 1B');
    const local = under1b.cells[4].models.find((m: { id: string }) => m.id === stories260k);
    expect(local).toMatchObject({ verdict: 'fits', quantization: 'F32' });
    expect(local.weightsBytes).toBeGreaterThan(1_000_000); // F32 tensors, not the Q8_0 chosen for the catalog
    expect(local.totalBytes).toBe(local.weightsBytes + local.kvCacheBytes + local.overheadBytes);
    const big = matrix.rows.find((r: { tier: string }) => r.tier === '30B+').cells[0];
    expect(big.verdict).toBe('no');
  });

  it('prints a table by default and refuses a wrong setting with exit code 2', async () => {
    const table = await edgewise(['fit', '--gpu', 'cpu']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Fit at Q4_K_M, 8192-token context/);
    expect(table.stdout).toMatch(/^3-8B\s/m);
    const bad = await edgewise(['fit', '--quant', 'Q9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--quant must be one of/);
    expect((await edgewise(['fit', '--kv-type', 'q4'])).code).toBe(2);
  });
});

describe('edgewise fit speed', () => {
  it('--json gives each model predictedDecodeTokensPerSec and predictedTtftMs, and each device bandwidthBytesPerSec', async () => {
    const dataDir = tempDir('edgewise-cli-fit-');
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(repoRoot, 'electron/cli/index.ts'), ...args],
          { env: { ...process.env, EDGEWISE_DATA_DIR: dataDir } },
          (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      });
    const args = ['fit', '--gpu', 'cpu', '--ctx', '2048', '--model', demoModel, '--json'];
    const { code, stdout } = await run([...args, '--reading-speed', '15']);
    expect(code).toBe(0);
    const matrix = JSON.parse(stdout);
    expect(matrix.controls).toMatchObject({ readingSpeed: 15, promptTokens: 100 });
    const air = matrix.devices.find((d: { name: string }) => d.name === '16 GB MacBook Air');
    expect(air.bandwidthBytesPerSec).toBe(120e9); // Apple's M4 figure
    const machine = matrix.devices.at(-1);
    // measured by the bandwidth probe, not looked up, and said so. No floor on the figure: how fast memory
    // reads under load is this machine's speed (the benchmark's business); the test checks it is the probe's.
    expect(machine.bandwidthBytesPerSec).toBeGreaterThan(0);
    const probed = /memory probe ([\d.]+) GB\/s/.exec(machine.speedSource);
    // shown to one decimal: within half of 0.1 GB/s of the field
    expect(Math.abs(Number(probed?.[1]) - machine.bandwidthBytesPerSec / 1e9)).toBeLessThanOrEqual(0.05 + 1e-9);
    const models = matrix.rows.flatMap((r: { cells: { models: unknown[] }[] }) => r.cells.flatMap((c) => c.models));
    for (const m of models) {
      expect(m.predictedDecodeTokensPerSec).toBeGreaterThan(0);
      expect(m.predictedTtftMs).toBeGreaterThan(0);
      expect(m.tooSlow).toBe(m.verdict !== 'no' && m.speed.decodeTokensPerSec < 15);
    }
    const demo = matrix.rows[0].cells.at(-1).models.find((m: { id: string }) => m.id === demoModel);
    // the field is 1 / seconds per token, to three significant figures
    expect(Math.abs(demo.predictedDecodeTokensPerSec * demo.speed.secondsPerToken - 1)).toBeLessThan(0.005);
    // the probe's figure is cached per machine: a second run reads the same one
    const again = JSON.parse((await run(args)).stdout);
    expect(again.devices.at(-1).bandwidthBytesPerSec).toBe(machine.bandwidthBytesPerSec);
    const table = await run(['fit', '--gpu', 'cpu']);
    expect(table.stdout).toMatch(/Predicted speed on This machine .*a prediction/);
    expect(table.stdout).toMatch(/~[\d.]+ tok\/s, first token ~/);
  });
});

describe('edgewise telemetry', () => {
  it('--json prints one reading of every source, each a value or unavailable with the reason', async () => {
    const { code, stdout } = await edgewise(['telemetry', '--json']);
    expect(code).toBe(0);
    const t = JSON.parse(stdout);
    expect(Object.keys(t)).toEqual(['platform', 'battery', 'batteryPower', 'energyCounter', 'powerMonitor', 'process']);
    for (const key of ['battery', 'batteryPower', 'energyCounter', 'powerMonitor']) {
      expect(t[key].available ? typeof t[key].source : typeof t[key].reason).toBe('string');
    }
    expect(t.energyCounter).toMatchObject({ available: false, reason: expect.stringMatching(/RAPL/) });
    expect(t.process.rssBytes).toBeGreaterThan(1e6);
  });
});

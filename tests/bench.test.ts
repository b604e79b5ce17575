// Smoke test: the benchmark runs end to end and reports every figure; no timing is asserted here.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { demoModel, repoRoot, tempDir } from './fixtures.ts';
import { canList, describeLeft, processesWith, reap } from './setup/processes.ts';

describe('edgewise bench', () => {
  it('--quick --json measures both layers and names each target pass or fail', () => {
    const out = execFileSync(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), 'bench', '--quick', '--json'],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out);
    expect(r.machine).toMatchObject({
      backend: 'cpu',
      physicalCores: expect.any(Number),
      ramBytes: expect.any(Number),
    });
    expect(r.versions.nodeLlamaCpp).toMatch(/^\d+\.\d+\.\d+/);
    for (const layer of [r.layers.a, r.layers.b]) {
      expect(layer.tokens).toBe(128);
      expect(layer.decodeTokensPerSec).toBeGreaterThan(0);
      expect(layer.ttftMs).toBeGreaterThan(0);
    }
    expect(r.ratios.ba).toBeGreaterThan(0);
    // (c): the real UI in Chromium, start-up, a short stream under watch and the 500-message scroll.
    expect(r.notMeasured).toEqual([]);
    expect(r.layers.c.tokens).toBeGreaterThan(0);
    expect(typeof r.ratios.ca).toBe('number');
    expect(r.startup.interactiveMs).toBeGreaterThan(r.startup.serveMs);
    expect(r.underFire.tokens).toBeGreaterThanOrEqual(300);
    // The same under fire as Markdown, from the loopback private tier: the page drew its table and math.
    expect(r.underFireMarkdown.tokens).toBe(300);
    expect(r.underFireMarkdown.rendered.tables).toBeGreaterThan(0);
    expect(r.underFireMarkdown.rendered.formulas).toBeGreaterThan(0);
    expect(r.scroll.renderedArticles).toBeLessThan(r.scroll.messages / 10);
    for (const t of r.targets) expect(typeof t.pass).toBe('boolean');
    expect(
      r.targets
        .filter((t: { pass: boolean; cause: string | null }) => !t.pass)
        .every((t: { cause: string | null }) => typeof t.cause === 'string'),
    ).toBe(true);
  }, 180_000);

  it('--attention times flash attention on and off at each depth, alternating, and refuses a depth past the model', () => {
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, 'electron/cli/index.ts'), 'bench', '--attention', ...args], {
        encoding: 'utf8',
      });
    const run = cli(['--model', demoModel, '--depths', '0,64', '--repetitions', '2', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.runs).toHaveLength(2);
    // Each repetition holds one run of each setting, in alternating order.
    expect(r.runs.map((rep: { flashAttention: boolean }[]) => rep.map((x) => x.flashAttention))).toEqual([
      [true, false],
      [false, true],
    ]);
    for (const rep of r.runs)
      for (const timing of rep) {
        expect(timing.points.map((p: { depth: number }) => p.depth)).toEqual([0, 64]);
        for (const p of timing.points) {
          expect(p.turnMs).toBeGreaterThan(0);
          expect(p.decodeTokensPerSec).toBeGreaterThan(0);
        }
        expect(timing.fillTokensPerSec).toBeGreaterThan(0);
      }
    expect(r.depths.map((d: { depth: number }) => d.depth)).toEqual([0, 64]);
    expect(r.markdown).toContain('| 64 |');
    const deep = cli(['--model', demoModel, '--depths', '0,4096', '--repetitions', '1']);
    expect(deep.status).toBe(2);
    expect(deep.stderr).toContain('A depth of 4096 tokens needs a context of 4174; the model has 512');
    // Another mode's flag is refused rather than ignored: a CPU run is not to be read as --gpu's.
    const plain = spawnSync(
      process.execPath,
      [join(repoRoot, 'electron/cli/index.ts'), 'bench', '--quick', '--gpu', 'vulkan'],
      {
        encoding: 'utf8',
      },
    );
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain('--gpu applies to edgewise bench --attention only.');
  }, 60_000);

  it('make-model writes a llama GGUF of the asked size with a real tokenizer, quantized by llama.cpp', async () => {
    const out = join(tempDir('edgewise-make-'), 'synthetic.gguf');
    const r = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(repoRoot, 'electron/cli/index.ts'),
          'bench',
          'make-model',
          '--params',
          '5M',
          '--type',
          'Q4_0',
          '--out',
          out,
          '--json',
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(r.parameters).toBeGreaterThan(4e6);
    expect(r.parameters).toBeLessThan(6e6);
    const answer = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(repoRoot, 'electron/cli/index.ts'),
          'chat',
          '--model',
          out,
          '--raw',
          '--max-tokens',
          '8',
          '--json',
          'Once upon a time',
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(answer).toMatchObject({ quantization: 'Q4_0', outputTokens: 8 });
    // A chat model as llama-server needs one: ChatML's template and tokens, and byte fallback, so that a
    // conversation through either server formats and tokenizes the same (and "(" no longer aborts).
    const info = await readGgufFileInfo(out, { readTensorInfo: false });
    expect(info.metadata.tokenizer?.chat_template).toContain('<|im_start|>');
    const tokens = info.metadata.tokenizer?.ggml?.tokens as string[];
    expect(tokens).toEqual(expect.arrayContaining(['<|im_start|>', '<|im_end|>', '<0x28>']));
    const chat = JSON.parse(
      execFileSync(
        process.execPath,
        [join(repoRoot, 'electron/cli/index.ts'), 'chat', '--model', out, '--max-tokens', '4', '--json', 'Hi (there)'],
        { encoding: 'utf8' },
      ),
    );
    expect(chat.promptTokens).toBeGreaterThan(5);
  }, 120_000);

  it.runIf(canList)(
    'SIGTERM mid-run stops the bench and every process it started, Chromium and the shell included',
    async () => {
      // Its own mark, inherited by everything the bench starts: the children, the shell's engine worker, Chromium.
      const mark = randomUUID();
      const bench = spawn(process.execPath, [join(repoRoot, 'electron/cli/index.ts'), 'bench', '--quick'], {
        env: { ...process.env, EDGEWISE_BENCH_TRIAL: mark },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      bench.stdout.on('data', (chunk: Buffer) => (output += chunk));
      bench.stderr.on('data', (chunk: Buffer) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => bench.once('exit', (code) => resolve(code)));
      try {
        // Mid-run: once the bench has started the headless shell for layer (c), with Chromium beside it. Polled
        // (these are not this process's children, so there is no event to wait on), bounded by the test's limit.
        const started = () => processesWith('EDGEWISE_BENCH_TRIAL', mark).map((p) => p.command);
        while (!started().some((c) => c.includes(' serve ')) || !started().some((c) => /chrom/i.test(c))) {
          if (bench.exitCode !== null) throw new Error(`the bench ended before its shell started:\n${output}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        bench.kill('SIGTERM');
        expect(await exited).toBe(143);
        expect(output).toMatch(/SIGTERM received, stopping \d+ child process/);
        // Nothing it started may outlive it (a moment's grace for Chromium's helpers, which its main process ends).
        const left = await reap('EDGEWISE_BENCH_TRIAL', mark, 3000);
        expect(left, describeLeft(left)).toEqual([]);
      } finally {
        bench.kill('SIGKILL');
        await reap('EDGEWISE_BENCH_TRIAL', mark, 0);
      }
    },
    240_000,
  );
});

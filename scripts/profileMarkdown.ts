// node scripts/profileMarkdown.ts [--tokens N] [--rate TOK_PER_S] [--repetitions N] [--trace] [--json FILE]
//                                  [--renderers NAME=DIR,NAME=DIR]
// (after `npm run build`): streams the bench's long Markdown answer (code, tables, math) from a loopback
// private tier into the real UI in Chromium, and counts the renderer's long tasks over 50 ms. With --trace
// each long task is also attributed (trace events and a CPU profile over the same span: React commit,
// parsing, highlighting, KaTeX, style, layout, GC). Tracing costs time itself, so the counts of a traced
// run are reported apart from the plain ones. Build the renderer with `npx vite build --minify false` to
// read function names in the profile. --renderers compares renderer builds in one run: each repetition
// loads each build in turn (copied into dist/renderer, which the shell serves from disk), so a before and
// an after see the same machine load; dist/renderer is rebuilt by `npm run build` afterwards.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { openDatabase } from '../electron/services/store/database.ts';
import { ConversationStore } from '../electron/services/store/conversationStore.ts';
import { defaultSettings, defaultSampling } from '../shared/schemas.ts';
import { connect } from '../electron/common/wsClient.ts';
import { modelIdFor } from '../electron/services/library/modelLibrary.ts';
import { startShell, stopProcess } from '../electron/tools/bench/screen.ts';
import { startMarkdownServer } from '../electron/tools/bench/markdownStream.ts';
import {
  longTaskCauses,
  taskCpu,
  threadTotals,
  type CpuProfile,
  type LongTask,
  type TraceEvent,
} from './longTaskCauses.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '800' },
    repetitions: { type: 'string', default: '2' },
    trace: { type: 'boolean', default: false },
    json: { type: 'string' },
    renderers: { type: 'string' },
  },
});
const tokens = Number(values.tokens);
const rate = Number(values.rate);
const repetitions = Number(values.repetitions);
const demo = join(root, 'models', 'TinyStories-656K-Q8_0.gguf');
const builds = values.renderers
  ? values.renderers.split(',').map((pair) => {
      const [name, dir] = pair.split('=');
      return { name: name!, dir: dir! };
    })
  : [{ name: 'dist', dir: '' }];
const served = join(root, 'dist', 'renderer');

const dataDir = mkdtempSync(join(tmpdir(), 'edgewise-profile-'));
{
  const db = openDatabase(join(dataDir, 'edgewise.db'));
  const store = new ConversationStore(db);
  const sampling = { ...defaultSampling, temperature: 0, topK: 1, maxTokens: tokens };
  for (let i = 1; i <= repetitions; i++)
    for (const build of builds)
      store.create(`profile ${build.name} ${i}`, modelIdFor(demo), { ...defaultSettings, sampling });
  db.close();
}

const probe = `
  window.longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
    .observe({ type: 'longtask' });
`;

const shell = await startShell(dataDir, { threads: 1, modelPath: demo }, performance.now());
const server = await startMarkdownServer(tokens, rate);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
const { client, close } = await connect(shell.url);
const runs: {
  run: number;
  build: string;
  traced: boolean;
  cpu: ReturnType<typeof taskCpu>;
  load: number[];
  longTasks: number[];
  causes: LongTask[];
}[] = [];
try {
  await client.call('routing.set', {
    policy: 'private',
    private: { name: 'profile markdown', baseUrl: server.baseUrl, model: server.model },
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(300_000);
  await page.addInitScript({ content: probe });
  const conversations = await client.call('conversations.list', {});
  const cdp = await page.context().newCDPSession(page);
  for (let i = 1; i <= repetitions; i++) for (const build of builds) await run(i, build.name, build.dir);

  async function run(i: number, buildName: string, buildDir: string) {
    if (buildDir) {
      rmSync(served, { recursive: true, force: true });
      cpSync(buildDir, served, { recursive: true });
    }
    await page.goto(shell.url);
    await page.getByText('Ready ·').waitFor();
    const title = `profile ${buildName} ${i}`;
    const id = conversations.find((c) => c.title === title)!.id;
    await page.getByRole('button', { name: title, exact: true }).click();
    await page
      .locator('[data-testid="conversation"].current')
      .getByRole('button', { name: title, exact: true })
      .waitFor();
    const traced = values.trace ?? false;
    const events: TraceEvent[] = [];
    const collect = (e: { value: object[] }) => events.push(...(e.value as unknown as TraceEvent[]));
    if (traced) {
      cdp.on('Tracing.dataCollected', collect);
      await cdp.send('Tracing.start', {
        categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink',
        transferMode: 'ReportEvents',
      });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    await page.evaluate('window.longTasks = []');
    const load = loadavg().map((l) => Math.round(l * 100) / 100);
    const done = new Promise<void>((resolve) => {
      const off = client.on('chat.done', (e) => {
        if (e.conversationId === id) {
          off();
          resolve();
        }
      });
    });
    await page.getByLabel('Message', { exact: true }).fill('Write the long report.');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await done;
    await page.locator('[data-testid="messages"] article[data-status="streaming"]').waitFor({ state: 'detached' });
    // Highlighting and typesetting of the settled answer count too.
    await page.waitForTimeout(3000);
    const longTasks = (await page.evaluate('window.longTasks')) as number[];
    let causes: LongTask[] = [];
    let cpu: ReturnType<typeof taskCpu> = null;
    if (traced) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      cdp.off('Tracing.dataCollected', collect);
      causes = longTaskCauses(events, profile);
      cpu = taskCpu(events);
      if (cpu)
        console.log(
          `  CPU time: ${cpu.cpuMs} ms in ${cpu.tasks} tasks; over 50 ms of CPU: ${cpu.overBoundCpu} (over 25 ms: ${cpu.over25Cpu}), longest ${cpu.longestCpuMs} ms; over 50 ms of wall time: ${cpu.overBoundWall}`,
        );
      const totals = threadTotals(events, profile);
      if (totals)
        console.log(
          `  main thread, whole run (ms): ${totals.events.map(([n, ms]) => `${n} ${ms}`).join(', ')}\n  JS self: ${totals.selfJs.map(([n, ms]) => `${n} ${ms}`).join('; ')}\n  JS total: ${totals.totalJs.map(([n, ms]) => `${n} ${ms}`).join('; ')}`,
        );
    }
    const over = longTasks.filter((d) => d > 50);
    console.log(
      `run ${i} ${buildName}${traced ? ' (traced)' : ''}: load ${load.join(' ')}; ${over.length} long tasks over 50 ms, longest ${Math.round(Math.max(0, ...longTasks))} ms: ${over.map(Math.round).join(', ')}`,
    );
    for (const c of causes)
      console.log(
        `  +${c.startMs} ms, ${c.durationMs} ms (CPU ${c.cpuMs} ms): ${c.events.map(([n, ms]) => `${n} ${ms}`).join(', ')}\n    self: ${c.selfJs.map(([n, ms]) => `${n} ${ms}`).join('; ')}\n    total: ${c.totalJs.map(([n, ms]) => `${n} ${ms}`).join('; ')}`,
      );
    runs.push({ run: i, build: buildName, traced, load, longTasks: over, cpu, causes });
  }
} finally {
  close();
  await browser.close().catch(() => undefined);
  await server.close();
  await stopProcess(shell.child);
  rmSync(dataDir, { recursive: true, force: true });
}
for (const build of builds) {
  const mine = runs.filter((r) => r.build === build.name);
  const counts = mine.map((r) => r.longTasks.length);
  console.log(
    `${build.name}: long tasks over 50 ms per run ${counts.join(', ')} (total ${counts.reduce((a, b) => a + b, 0)}), longest ${Math.round(Math.max(0, ...mine.flatMap((r) => r.longTasks)))} ms` +
      (mine.some((r) => r.cpu)
        ? `; CPU ms per run ${mine.map((r) => r.cpu?.cpuMs).join(', ')}, tasks over 50 ms of CPU ${mine.map((r) => r.cpu?.overBoundCpu).join(', ')}, over 25 ms ${mine.map((r) => r.cpu?.over25Cpu).join(', ')}, longest ${mine.map((r) => r.cpu?.longestCpuMs).join(', ')}`
        : ''),
  );
}
if (values.json) writeFileSync(values.json, JSON.stringify({ tokens, rate, runs }, null, 2));

// Layer (c) of the benchmark and the UI under fire: the headless shell with the real UI in Chromium.
// Tokens are timestamped when the engine emits them (the message's own figures) and when they reach
// the screen (a MutationObserver on the answer, stamped at the next animation frame). The same run
// measures start-up (process start to an interactive UI), long tasks while streaming 10,000 tokens, and
// scrolling a 500-message conversation.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../services/store/database.ts';
import { ConversationStore } from '../../services/store/conversationStore.ts';
import { defaultSettings, defaultSampling, type Message } from '../../../shared/schemas.ts';
import { connect } from '../../common/wsClient.ts';
import { appRoot } from '../../services/paths.ts';
import { modelIdFor } from '../../services/library/modelLibrary.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { markdownAnswer, plainAnswer, startMarkdownServer } from './markdownStream.ts';
import { atStop, tracked } from './children.ts';

export interface ScreenOptions {
  /** The model the shell starts with, for (c). */
  modelPath: string;
  /** The model that streams under fire (the demo model, at its full speed). */
  fireModelPath: string;
  threads: number;
  prompt: string;
  tokens: number;
  fireTokens: number;
  /** Tokens of the long Markdown answer streamed under fire after the plain-text run (0: none). */
  markdownTokens?: number;
  chromium?: string;
}

export interface ScreenResult {
  startup: { serveMs: number; modelReadyMs: number; interactiveMs: number };
  /** Null where that part was not asked for (tokens or fireTokens 0). */
  c: null | {
    screenTtftMs: number;
    engineTtftMs: number;
    sendToFirstDeltaMs: number;
    coldScreenTtftMs: number;
    /** The cold answer's split: send to first delta in the back end, and the engine's own TTFT. */
    coldSendToFirstDeltaMs: number;
    coldEngineTtftMs: number;
    decodeTokensPerSecOnScreen: number;
    engineDecodeTokensPerSec: number;
    tokens: number;
  };
  fire: null | FireRun;
  /** The same, for one long Markdown answer (code, tables, math) from a loopback private tier. */
  fireMarkdown: null | (FireRun & { rendered: RenderedBlocks; plain: FireRun | null });
  /** What this run could not measure, each with why (the rest is still reported). */
  notMeasured: string[];
  scroll: null | {
    messages: number;
    renderedArticles: number;
    openMs: number;
    longTasks: number;
    longestTaskMs: number;
    droppedFrames: number;
  };
}

export interface FireRun {
  tokens: number;
  answers: number;
  seconds: number;
  longTasks: number;
  longestTaskMs: number;
  droppedFrames: number;
  frames: number;
  heapGrowthBytes: number;
  /** The last answer: tokens per second as the back end received them, and as they were painted. */
  arrivalTokensPerSec: number;
  paintedTokensPerSec: number;
  /** Painted over arrival: whether the screen kept up with the stream (1 when it did). */
  keepUp: number;
  /** The machine's 1-minute load average when the run ended: on a loaded machine a task's wall time counts
   * the time other processes held the core (scripts/profileMarkdown.ts --trace splits the two). */
  loadAverage: number;
}

/** What the Markdown answer drew, so that a run which rendered it as plain text cannot pass unnoticed. */
export interface RenderedBlocks {
  tables: number;
  codeBlocks: number;
  highlighted: number;
  formulas: number;
}

/** Seeds the bench's conversations before the shell starts: greedy, long answers, and one of 500 messages. */
function seed(dataDir: string, options: ScreenOptions) {
  const db = openDatabase(join(dataDir, 'edgewise.db'));
  const store = new ConversationStore(db);
  const greedy = { ...defaultSampling, temperature: 0, repeatPenalty: 1, topK: 1 };
  const long = store.create('bench: 500 messages', null);
  for (let i = 0; i < 250; i++) {
    store.addMessage(long.id, 'user', `Question ${i + 1}: tell me about **item ${i + 1}**.`, 'done');
    store.addMessage(
      long.id,
      'assistant',
      `Answer ${i + 1}. ${'Lily and Ben played in the park with a red ball. '.repeat(1 + (i % 7))}\n\n- a list item\n- another one`,
      'done',
    );
  }
  store.create('bench: under fire', modelIdFor(options.fireModelPath), {
    ...defaultSettings,
    contextSize: options.fireTokens + 512,
    sampling: { ...greedy, maxTokens: options.fireTokens },
  });
  for (const title of ['bench: markdown under fire', 'bench: plain from the same server'])
    store.create(title, modelIdFor(options.fireModelPath), {
      ...defaultSettings,
      sampling: { ...greedy, maxTokens: Math.max(1, options.markdownTokens ?? 0) },
    });
  // The warm-up answer (on another prompt) creates the context if the load did not; the measured one then
  // starts from an empty conversation, so its prompt is evaluated, not taken from the cache.
  // At the default context size, as a user's new conversation is.
  for (const title of ['bench: warm-up', 'bench: screen']) {
    store.create(title, modelIdFor(options.modelPath), {
      ...defaultSettings,
      sampling: { ...greedy, maxTokens: options.tokens },
    });
  }
  db.close();
}

/** Starts `edgewise serve` on the given data folder and resolves once its model is ready. */
export function startShell(
  dataDir: string,
  options: Pick<ScreenOptions, 'threads' | 'modelPath'>,
  started: number,
): Promise<{ child: ChildProcess; url: string; serveMs: number; modelReadyMs: number }> {
  const child = tracked(
    spawn(
      process.execPath,
      [
        join(appRoot(), 'dist', 'electron', 'cli', 'index.js'),
        'serve',
        '--gpu',
        'cpu',
        '--threads',
        String(options.threads),
        '--model',
        options.modelPath,
      ],
      {
        env: { ...process.env, EDGEWISE_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      },
    ),
  );
  let output = '';
  let url = '';
  let serveMs = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!url && (url = /serving at (\S+)/.exec(output)?.[1] ?? '')) serveMs = performance.now() - started;
      if (url && output.includes('Model ready')) {
        clearTimeout(timer);
        resolve({ child, url, serveMs, modelReadyMs: performance.now() - started });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    // A bound, not a measurement: a shell that never gets ready fails the run instead of hanging it.
    const timer = setTimeout(() => {
      void stopProcess(child);
      reject(new Error(`edgewise serve was not ready within ${STEP_LIMIT_MS / 1000} s: ${output.slice(-1000)}`));
    }, STEP_LIMIT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`edgewise serve exited (${code}) before it was ready: ${output.slice(-1000)}`));
    });
  });
}

/**
 * In the page (plain JavaScript, as this file is compiled without the DOM's types): long tasks, frame
 * gaps and answer paints, kept on window.probe for the bench to read. A paint of the answer is the frame
 * after the last message's text grew (or a new last message appeared with text).
 */
const pageProbe = `
  window.probe = { longTasks: [], frames: [], paints: [], pressAt: 0, on: false };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (probe.on) probe.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  let last = performance.now();
  const frame = (t) => { if (probe.on) probe.frames.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') probe.pressAt = performance.now(); }, true);
  // Only the changed nodes are looked at: reading the whole answer's text on every change costs as much
  // as the page's own work once a long answer holds tables and typeset math.
  addEventListener('DOMContentLoaded', () => new MutationObserver((records) => {
    if (!probe.on) return;
    const articles = document.querySelectorAll('[data-testid="messages"] article');
    const body = articles[articles.length - 1]?.querySelector('[data-testid="message-text"]');
    if (body && records.some((r) => body.contains(r.target) && (r.type === 'characterData' || r.addedNodes.length > 0)))
      requestAnimationFrame(() => probe.paints.push(performance.now()));
  }).observe(document.body, { subtree: true, characterData: true, childList: true }));
`;
const probeOn = 'probe.longTasks = []; probe.frames = []; probe.paints = []; probe.on = true';
const probeOff = '(() => { probe.on = false; return { ...probe }; })()';
const heapUsed = 'performance.memory?.usedJSHeapSize ?? 0';
/** For an error message: the open conversation, how many messages are in the DOM, and the scroll. */
const whatIsShown = `(() => {
  const list = document.querySelector('[data-testid="messages"]');
  const current = document.querySelector('[data-testid="conversation"].current')?.textContent ?? 'none';
  return 'open: ' + current + ', articles: ' + (list?.querySelectorAll('article').length ?? 0) +
    ', scrollTop ' + Math.round(list?.scrollTop ?? 0) + ' of ' + Math.round(list?.scrollHeight ?? 0);
})()`;
/** Counts what the last answer drew: tables, code blocks (and how many are highlighted), typeset formulas. */
const renderedBlocks = `(() => {
  const articles = document.querySelectorAll('[data-testid="messages"] article');
  const answer = articles[articles.length - 1];
  const count = (selector) => answer?.querySelectorAll(selector).length ?? 0;
  return {
    tables: count('table'),
    codeBlocks: count('[data-testid="code-block"]'),
    highlighted: count('[data-testid="code-block"][data-highlighted="true"]'),
    formulas: count('[data-testid="math"][data-state="typeset"]'),
  };
})()`;
/** The longest the shell's start or one page step may take before the run gives up on it. */
const STEP_LIMIT_MS = 180_000;
/** The longest one stage's answers (one, or several that end early) may take before the run gives up on it. */
const ANSWER_LIMIT_MS = 300_000;
interface Probe {
  longTasks: number[];
  frames: number[];
  paints: number[];
  pressAt: number;
}

const frameStats = (frames: number[]) => ({
  frames: frames.length,
  // A frame is 16.7 ms at 60 Hz; a gap of n frames' length means n - 1 were dropped.
  droppedFrames: frames.reduce((n, gap) => n + Math.max(0, Math.round(gap / 16.7) - 1), 0),
});

export async function benchScreen(options: ScreenOptions): Promise<ScreenResult> {
  let playwright;
  try {
    playwright = await import('@playwright/test');
  } catch {
    throw new Error(
      'Playwright is not installed (it is a development dependency), so the path to the screen cannot be measured',
    );
  }
  const executablePath = options.chromium ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 'edgewise-bench-'));
  const forget = atStop(() => rmSync(dataDir, { recursive: true, force: true }));
  seed(dataDir, options);
  const started = performance.now();
  // Whatever started is stopped again, however far the start got: a failed run leaves no process behind.
  let shell: Awaited<ReturnType<typeof startShell>> | undefined;
  let browser: Awaited<ReturnType<typeof playwright.chromium.launch>> | undefined;
  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    shell = await startShell(dataDir, options, started);
    browser = await playwright.chromium.launch({
      executablePath,
      headless: true,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    connection = await connect(shell.url);
    const { client } = connection;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Bounds, not measurements: on a loaded machine a step can take longer than Playwright's 30 s default.
    page.setDefaultTimeout(STEP_LIMIT_MS);
    await page.addInitScript({ content: pageProbe });
    await page.goto(shell.url);
    await page.getByText('Ready ·').waitFor();
    const interactiveMs = performance.now() - started;
    const conversations = await client.call('conversations.list', {});
    const byTitle = (title: string) => conversations.find((c) => c.title === title)!;
    /** Resolves with the answer when the back end says it is done (events go to every client). */
    const done = (conversationId: string, title: string, limitMs: number, streamed: number) =>
      new Promise<Message>((resolve, reject) => {
        // A bound, not a measurement: an answer that never ends must fail the stage, not hang the run. It
        // is stopped too, or it would run on in the shell and hold the engine through every later stage.
        const timer = setTimeout(
          () => {
            off();
            void client.call('chat.stop', { conversationId }).catch(() => undefined);
            reject(
              new Error(
                `"${title}" did not finish within its ${ANSWER_LIMIT_MS / 1000} s limit (${streamed} tokens streamed before the last answer, which was stopped)`,
              ),
            );
          },
          Math.max(0, limitMs),
        );
        const off = client.on('chat.done', (event) => {
          if (event.conversationId === conversationId) {
            clearTimeout(timer);
            off();
            resolve(event.message);
          }
        });
      });

    /**
     * Opens a conversation and waits until the page shows it as the current one. The list reorders
     * after every answer (most recent first), and a message typed before the page has switched would
     * go to the conversation open before.
     */
    const open = async (title: string) => {
      await page.getByRole('button', { name: title, exact: true }).click();
      await page
        .locator('[data-testid="conversation"].current')
        .getByRole('button', { name: title, exact: true })
        .waitFor();
    };

    /** Sends the prompt until at least `tokens` have streamed (an answer may end early at end-of-text). */
    const answer = async (title: string, tokens: number, prompt = options.prompt) => {
      await open(title);
      await page.evaluate(probeOn);
      const heapBefore = (await page.evaluate(heapUsed)) as number;
      const t0 = performance.now();
      let streamed = 0;
      let answers = 0;
      let stats;
      // The whole stage shares one limit, however many answers it takes.
      const deadline = t0 + ANSWER_LIMIT_MS;
      while (streamed < tokens) {
        await page.getByLabel('Message', { exact: true }).fill(prompt);
        const answered = done(byTitle(title).id, title, deadline - performance.now(), streamed);
        await page.getByLabel('Message', { exact: true }).press('Enter');
        stats = (await answered).stats!;
        streamed += stats.outputTokens;
        answers++;
      }
      const seconds = (performance.now() - t0) / 1000;
      // The page gets the last delta and the done event after the back end sent them: wait until it shows
      // the answer as finished, and one frame more, so that the last paint is counted.
      await page.locator('[data-testid="messages"] article[data-status="streaming"]').waitFor({ state: 'detached' });
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const probe = (await page.evaluate(probeOff)) as Probe;
      const heapAfter = (await page.evaluate(heapUsed)) as number;
      return { probe, stats: stats!, streamed, answers, seconds, heapGrowthBytes: heapAfter - heapBefore };
    };

    let c: ScreenResult['c'] = null;
    if (options.tokens > 0) {
      // The first answer also creates the context; a second conversation then measures the steady state.
      // The first one's prompt is another text (the words reversed), so the second cannot reuse its evaluated
      // prompt: cold minus warm is then the cost of a first answer, not also the prompt's evaluation.
      const cold = await answer('bench: warm-up', 1, options.prompt.split(' ').reverse().join(' '));
      const { probe, stats } = await answer('bench: screen', 1);
      const firstPaint = (p: Probe) => p.paints.find((t) => t > p.pressAt) ?? p.pressAt;
      const first = firstPaint(probe);
      const lastPaint = probe.paints.at(-1) ?? first;
      c = {
        screenTtftMs: first - probe.pressAt,
        engineTtftMs: stats.ttftMs,
        sendToFirstDeltaMs: stats.ttftFromSendMs ?? 0,
        coldScreenTtftMs: firstPaint(cold.probe) - cold.probe.pressAt,
        coldSendToFirstDeltaMs: cold.stats.ttftFromSendMs ?? 0,
        coldEngineTtftMs: cold.stats.ttftMs,
        decodeTokensPerSecOnScreen: lastPaint > first ? (stats.outputTokens - 1) / ((lastPaint - first) / 1000) : 0,
        engineDecodeTokensPerSec: stats.decodeTokensPerSec,
        tokens: stats.outputTokens,
      };
    }
    const startup = { serveMs: shell.serveMs, modelReadyMs: shell.modelReadyMs, interactiveMs };
    if (options.fireTokens === 0) return { startup, c, fire: null, fireMarkdown: null, scroll: null, notMeasured: [] };

    const notMeasured: string[] = [];
    const fireRun = (run: Awaited<ReturnType<typeof answer>>): FireRun => {
      const paints = run.probe.paints.filter((t) => t > run.probe.pressAt);
      const span = (paints.at(-1) ?? 0) - (paints[0] ?? 0);
      const paintedTokensPerSec = span > 0 ? (run.stats.outputTokens - 1) / (span / 1000) : 0;
      const arrivalTokensPerSec = run.stats.decodeTokensPerSec;
      return {
        tokens: run.streamed,
        answers: run.answers,
        seconds: run.seconds,
        longTasks: run.probe.longTasks.filter((d) => d > 50).length,
        longestTaskMs: Math.max(0, ...run.probe.longTasks),
        ...frameStats(run.probe.frames),
        heapGrowthBytes: run.heapGrowthBytes,
        arrivalTokensPerSec,
        paintedTokensPerSec,
        keepUp: arrivalTokensPerSec > 0 ? paintedTokensPerSec / arrivalTokensPerSec : 0,
        loadAverage: Number(loadavg()[0]!.toFixed(2)),
      };
    };
    let fire: ScreenResult['fire'] = null;
    try {
      fire = fireRun(await answer('bench: under fire', options.fireTokens));
    } catch (error) {
      notMeasured.push(`the UI under fire: ${errorMessage(error)}`);
    }
    let fireMarkdown: ScreenResult['fireMarkdown'] = null;
    if (options.markdownTokens)
      try {
        fireMarkdown = await markdownUnderFire(options.markdownTokens, fire);
      } catch (error) {
        notMeasured.push(`the UI under fire with a Markdown answer: ${errorMessage(error)}`);
      }
    /**
     * The long Markdown answer, from a loopback private tier at the rate the plain run streamed (the
     * demo model's; 1,000 tok/s when that run failed). Routing goes back to this device afterwards.
     */
    async function markdownUnderFire(tokens: number, demoRun: FireRun | null) {
      const rate = demoRun && demoRun.tokens > 0 ? demoRun.tokens / demoRun.seconds : 1000;
      /** One answer of `pieces` from a loopback private tier at `rate`; the caller sets routing back. */
      const fromLoopback = async (title: string, pieces: string[]) => {
        const server = await startMarkdownServer(tokens, rate, pieces);
        try {
          await client.call('routing.set', {
            policy: 'private',
            private: { name: title, baseUrl: server.baseUrl, model: server.model },
          });
          const run = await answer(title, tokens);
          if (run.stats.backend !== 'remote')
            throw new Error(`the answer came from ${run.stats.backend}, not the loopback private tier`);
          return run;
        } finally {
          await server.close();
        }
      };
      try {
        // The yardstick for keeping up: the same number of tokens as plain prose, from the same server at the
        // same rate, in one answer (the demo model's run is dozens of short stories, too short to judge by).
        let plain: FireRun | null = null;
        try {
          plain = fireRun(await fromLoopback('bench: plain from the same server', plainAnswer(tokens)));
        } catch (error) {
          notMeasured.push(`the plain-text yardstick for keeping up: ${errorMessage(error)}`);
        }
        const run = await fromLoopback('bench: markdown under fire', markdownAnswer(tokens));
        // Highlighting and typesetting load their chunks once the answer settles: wait for them (bounded),
        // then count what the page drew.
        const answerView = page.locator('[data-testid="messages"] article').last();
        for (const pending of [
          '[data-testid="code-block"][data-highlighted="false"]',
          '[data-testid="math"][data-state="pending"]',
        ])
          await answerView
            .locator(pending)
            .first()
            .waitFor({ state: 'detached', timeout: 30_000 })
            .catch(() => undefined);
        const rendered = (await page.evaluate(renderedBlocks)) as RenderedBlocks;
        return { ...fireRun(run), rendered, plain };
      } finally {
        await client.call('routing.set', { policy: 'auto', private: null }).catch(() => undefined);
      }
    }
    let scroll: ScreenResult['scroll'] = null;
    try {
      const openStart = performance.now();
      await open('bench: 500 messages');
      await page
        .getByText('Answer 250.')
        .waitFor()
        .catch(async (error: Error) => {
          const shown = await page.evaluate(whatIsShown).catch(() => 'unknown');
          throw new Error(`the last answer of 500 messages was not shown (${shown}): ${error.message}`);
        });
      const openMs = performance.now() - openStart;
      await page.evaluate(probeOn);
      const list = page.getByTestId('messages');
      for (let i = 0; i < 60; i++) {
        await list.evaluate((el) => {
          el.scrollTop -= 1200;
        });
        await page.evaluate('new Promise(requestAnimationFrame)');
      }
      await page.getByText('Question 1:', { exact: false }).first().waitFor();
      const scrollProbe = (await page.evaluate(probeOff)) as Probe;
      const renderedArticles = await page.locator('[data-testid="messages"] article').count();
      scroll = {
        messages: 500,
        renderedArticles,
        openMs,
        longTasks: scrollProbe.longTasks.filter((d) => d > 50).length,
        longestTaskMs: Math.max(0, ...scrollProbe.longTasks),
        droppedFrames: frameStats(scrollProbe.frames).droppedFrames,
      };
    } catch (error) {
      notMeasured.push(`scrolling 500 messages: ${errorMessage(error)}`);
    }
    return { startup, c, fire, fireMarkdown, scroll, notMeasured };
  } finally {
    connection?.close();
    await browser?.close().catch(() => undefined);
    if (shell) await stopProcess(shell.child);
    rmSync(dataDir, { recursive: true, force: true });
    forget();
  }
}

/** Ends a child process: SIGTERM, then SIGKILL if it has not exited within a few seconds. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

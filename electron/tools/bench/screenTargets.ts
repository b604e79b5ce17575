// The screen's targets (issue 17 item 5, issue 14 item 3), each PASS or FAIL with what the run saw as its
// cause: c/a ≥ 0.95, TTFT on screen ≤ engine TTFT + 10 ms warm, the cold first answer of a conversation
// under 100 ms over the warm one, and 0 long tasks over 50 ms while 10,000 tokens stream, as plain text and
// as Markdown with code, tables and math.
import type { FireRun, RenderedBlocks, ScreenResult } from './screen.ts';

export interface Target {
  name: string;
  pass: boolean;
  value: number;
  cause: string | null;
}

export const target = (name: string, pass: boolean, value: number, cause: string): Target => ({
  name,
  pass,
  value: Number(value.toFixed(3)),
  cause: pass ? null : cause,
});

type LayerC = NonNullable<ScreenResult['c']>;

/** (c) against (a): decode on screen, TTFT warm, and a conversation's cold first answer. */
export function layerCTargets(c: LayerC, a: { ttftMs: number; decodeTokensPerSec: number }, cores: number): Target[] {
  const ca = c.decodeTokensPerSecOnScreen / a.decodeTokensPerSec;
  const cold = c.coldScreenTtftMs - c.screenTtftMs;
  return [
    target(
      'c/a decode ≥ 0.95',
      ca >= 0.95,
      ca,
      c.decodeTokensPerSecOnScreen === 0
        ? 'the whole answer reached the screen in one frame, so no painted rate could be measured: use more --tokens or a larger model'
        : c.decodeTokensPerSecOnScreen >= 0.97 * c.engineDecodeTokensPerSec
          ? `the screen kept up with the engine (painted ${c.decodeTokensPerSecOnScreen.toFixed(1)} of ${c.engineDecodeTokensPerSec.toFixed(1)} tok/s emitted), but the engine itself ran slower beside Chromium and the shell on ${cores} cores`
          : `tokens reach the screen slower than the engine emits them (${c.decodeTokensPerSecOnScreen.toFixed(1)} of ${c.engineDecodeTokensPerSec.toFixed(1)} tok/s): batching, rendering or the WebSocket`,
    ),
    // Against the same answer's engine TTFT: (a) evaluates the bare prompt, the chat evaluates it in the
    // model's chat template (more tokens), so the difference from (a) also counted the template's tokens.
    target(
      "TTFT on screen over the same answer's engine TTFT ≤ 10 ms",
      c.screenTtftMs - c.engineTtftMs <= 10,
      c.screenTtftMs - c.engineTtftMs,
      `from Enter to the first painted token ${c.screenTtftMs.toFixed(0)} ms, the engine's own TTFT ${c.engineTtftMs.toFixed(0)} ms (bare prompt in (a): ${a.ttftMs.toFixed(0)} ms): ${c.sendToFirstDeltaMs.toFixed(0)} ms from send to the first delta in the back end (routing, store writes, telemetry start, worker round trip, the engine) and ${(c.screenTtftMs - c.sendToFirstDeltaMs).toFixed(0)} ms in the WebSocket and the page; Chromium, the shell and the engine share ${cores} cores here`,
    ),
    target(
      "a conversation's cold first answer ≤ 100 ms over a warm one (TTFT on screen)",
      cold <= 100,
      cold,
      `the first answer took ${c.coldScreenTtftMs.toFixed(0)} ms to its first painted token against ${c.screenTtftMs.toFixed(0)} ms warm; of those, send to first delta in the back end ${c.coldSendToFirstDeltaMs.toFixed(0)} against ${c.sendToFirstDeltaMs.toFixed(0)} ms (the engine's TTFT ${c.coldEngineTtftMs.toFixed(0)} against ${c.engineTtftMs.toFixed(0)} ms), the rest in the WebSocket and the page`,
    ),
  ];
}

function blockedCause(run: FireRun, cores: number) {
  const loaded = run.loadAverage > cores;
  return `the renderer blocked for up to ${run.longestTaskMs.toFixed(0)} ms while streaming, with a load average of ${run.loadAverage} on ${cores} cores${loaded ? ': a task then waits for a core as long as it runs, so compare the tasks’ CPU time (node scripts/profileMarkdown.ts --trace)' : ''}`;
}

/** Long tasks under fire, plain and Markdown, and whether the Markdown answer really drew its blocks. */
export function fireTargets(
  fire: FireRun | null,
  markdown: (FireRun & { rendered: RenderedBlocks; plain: FireRun | null }) | null,
  cores: number,
): Target[] {
  const out: Target[] = [];
  if (fire)
    out.push(
      target(
        'no long task over 50 ms while streaming',
        fire.longTasks === 0,
        fire.longTasks,
        blockedCause(fire, cores),
      ),
    );
  if (markdown) {
    out.push(
      target(
        'no long task over 50 ms while streaming Markdown (code, tables, math)',
        markdown.longTasks === 0,
        markdown.longTasks,
        blockedCause(markdown, cores),
      ),
    );
    const r = markdown.rendered;
    out.push(
      target(
        'the Markdown answer drew its tables, highlighted code and formulas',
        // The document's first code block starts after some 300 tokens (a --quick run's whole answer).
        r.tables > 0 &&
          (r.codeBlocks > 0 || markdown.tokens < 1000) &&
          r.highlighted === r.codeBlocks &&
          r.formulas > 0,
        r.tables + r.codeBlocks + r.formulas,
        `the page showed ${r.tables} tables, ${r.codeBlocks} code blocks (${r.highlighted} highlighted) and ${r.formulas} typeset formulas`,
      ),
    );
    // Keeping up means painting as fast as tokens arrive: the same server's plain answer is the yardstick.
    const plain = markdown.plain;
    out.push(
      target(
        'Markdown painted as fast as plain text (keep-up ratio ≥ 0.95 × plain)',
        // no yardstick, no verdict: a plain run with no painted rate fails instead of passing anything
        plain !== null && plain.keepUp > 0 && markdown.keepUp >= 0.95 * plain.keepUp,
        plain && plain.keepUp > 0 ? markdown.keepUp / plain.keepUp : 0,
        plain && plain.keepUp > 0
          ? `painted ${markdown.paintedTokensPerSec.toFixed(0)} of ${markdown.arrivalTokensPerSec.toFixed(0)} tok/s received as Markdown, against ${plain.paintedTokensPerSec.toFixed(0)} of ${plain.arrivalTokensPerSec.toFixed(0)} as plain text from the same server`
          : 'the plain answer from the same server gave no painted rate to compare with',
      ),
    );
  }
  return out;
}

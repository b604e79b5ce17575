// Answer text leaves the worker in batches: every message costs serialization and a process hop here,
// then a parse, an event to the window or an SSE write on the other side. A model that decodes 2,000
// tokens a second spent more on those messages than on decoding, one per token. The first text, and any
// text after a pause of WINDOW_MS, goes at once; text that follows sooner waits for the window's end.
// So a slow model (a token every 10 ms and more) still sends every token as it comes, and nothing waits
// longer than WINDOW_MS. Thought and answer text never share a batch.

/**
 * One screen frame: the window paints no more often, and the shell batches its events to the window by the
 * same 16 ms. Each message also wakes the worker's main thread and the shell, and when the decode uses every
 * core that wake takes a core from a compute thread that the others then wait for at ggml's barrier: on the
 * 2-core VM at 2 threads, a 2 ms window decoded at 54-140 tok/s (half the runs near 55) and 16 ms at 103-147
 * (6 alternating runs each, synthetic 300M Q4_0); at 1 thread 103-108 against 102-115.
 * EDGEWISE_TEXT_BATCH_MS=0 sends every token by itself, as before batching: for measuring the difference.
 */
export const WINDOW_MS = windowFromEnv(process.env.EDGEWISE_TEXT_BATCH_MS) ?? 16;

function windowFromEnv(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0 || ms > 100)
    throw new Error(`EDGEWISE_TEXT_BATCH_MS must be 0 to 100 (got "${value}")`);
  return ms;
}

export type SendText = (text: string, tokens: number, thought: boolean | undefined) => void;

export class TextBatcher {
  private text = '';
  private tokens = 0;
  private thought: boolean | undefined = undefined;
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Messages sent, for the benchmark and tests. */
  sent = 0;

  private readonly send: SendText;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(send: SendText, windowMs = WINDOW_MS, now: () => number = () => performance.now()) {
    this.send = send;
    this.windowMs = windowMs;
    this.now = now;
  }

  push(text: string, tokens: number, thought?: boolean): void {
    if (this.text && this.thought !== thought) this.flush();
    this.text += text;
    this.tokens = tokens;
    this.thought = thought;
    const since = this.now() - this.lastSent;
    if (since >= this.windowMs) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.windowMs - since);
  }

  /** Sends what is held now; called when the answer ends, so that all its text precedes the result. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.text) return;
    const { text, tokens, thought } = this;
    this.text = '';
    this.lastSent = this.now();
    this.sent++;
    this.send(text, tokens, thought);
  }
}

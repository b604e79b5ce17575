// Samples speed, memory, CPU, battery and power at 4 Hz while an answer is generated, and not at all
// otherwise. Samples go to the renderer in batches; each answer ends with its energy, measured against
// an idle baseline from just before it started, or with the reason energy could not be measured.
import { raplJoules, type RaplCounter } from './linuxPower.ts';
import type { PowerSources } from './powerSources.ts';
import type { TelemetrySample } from '../../../shared/schemas.ts';
import type { WorkerUsage as EngineUsage } from '../engine/workerContract.ts';

export const SAMPLE_MS = 250;
const BATCH_EVERY = 2; // samples per event: two events a second
const BASELINE_MS = 200;
/** How often an energy counter is read while no answer runs, so an answer finds its idle window ready. */
const IDLE_TICK_MS = 5_000;
/** The longest idle window used (a counter wraps at its range; raplJoules counts one wrap). */
const MAX_IDLE_WINDOW_MS = 30_000;
/** How long a measured baseline stands in for a window too short to measure (answers back to back). */
const BASELINE_REUSE_MS = 60_000;

export type WorkerUsage = { pid: number } & EngineUsage;

export type Sample = TelemetrySample;

export interface RunSummary {
  energyJoules: number | null;
  energyPerTokenMj: number | null;
  /** Where the energy figure came from and how, or null with powerUnavailable saying why. */
  powerSource: string | null;
  powerMethod: string | null;
  powerUnavailable: string | null;
  peakRssBytes: number | null;
  /** The most GPU memory in use on the device during the answer; null where the backend has none. */
  peakVramBytes: number | null;
  meanCpuPercent: number | null;
  samples: number;
  /** CPU time the sampler itself spent, as a share of one core over the run. */
  samplerCpuShare: number;
}

export interface TelemetryOptions {
  sources: PowerSources;
  usage: () => Promise<WorkerUsage | null>;
  emit: (samples: Sample[]) => void;
  now?: () => number;
  /** Waits for an idle baseline to be measured (tests pass their own to see that an answer did not wait). */
  wait?: (ms: number) => Promise<void>;
}

/** The options' clock, or performance.now(). */
const clockOf = (options: TelemetryOptions) => (options.now ? options.now() : performance.now());

export class TelemetryRun {
  private readonly options: TelemetryOptions;
  private readonly messageId: string;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private tokens = 0;
  private lastTokens = 0;
  private lastAt: number;
  private lastCpuUs: number | null = null;
  private lastCounter: RaplCounter | null;
  private batch: Sample[] = [];
  private samples: Sample[] = [];
  private samplerUs = 0;
  private busy = false;
  private pending = false;
  /** The sampling grid's origin, on the clock the timers run on (options.now may be another). */
  private readonly origin = performance.now();
  /** Speculation counts when this answer's sampling began: the live rate is over this answer's guesses. */
  private draftBase: { validated: number; refuted: number } | null = null;
  readonly baselineW: number | null;
  private readonly counterStart: RaplCounter | null;
  private readonly powerReason: string | null;

  private onEnd: (() => void) | null;

  constructor(
    options: TelemetryOptions,
    messageId: string,
    baseline: { watts: number | null; counter: RaplCounter | null; reason: string | null },
    onEnd: (() => void) | null = null,
  ) {
    this.onEnd = onEnd;
    this.options = options;
    this.messageId = messageId;
    this.startedAt = this.now();
    this.lastAt = this.startedAt;
    this.baselineW = baseline.watts;
    this.counterStart = baseline.counter;
    this.lastCounter = baseline.counter;
    this.powerReason = baseline.reason;
    this.schedule();
  }

  /**
   * Samples are due on a fixed grid from the start, not SAMPLE_MS after the last timer ran: setInterval re-arms
   * from when its callback ran, so on a busy machine each late tick pushed every later one back and the rate
   * fell below 4 Hz. A tick that fires while a sample is still waiting on the worker is taken as soon as that
   * one ends (each sample records its own time), so a slow reply delays a sample rather than losing it.
   */
  private schedule() {
    const elapsed = performance.now() - this.origin;
    const next = (Math.floor(elapsed / SAMPLE_MS) + 1) * SAMPLE_MS;
    this.timer = setTimeout(() => {
      this.schedule();
      void this.sample();
    }, next - elapsed);
  }

  private now() {
    return clockOf(this.options);
  }

  private acceptance(validated: number, refuted: number): number | null {
    // A new sequence (another kind of speculation) starts its counts again from zero.
    if (!this.draftBase || validated < this.draftBase.validated || refuted < this.draftBase.refuted)
      this.draftBase = this.draftBase ? { validated: 0, refuted: 0 } : { validated, refuted };
    const kept = validated - this.draftBase.validated;
    const checked = kept + refuted - this.draftBase.refuted;
    return checked > 0 ? kept / checked : null;
  }

  /** Tokens produced so far (called from the token stream; cheap). */
  setTokens(tokens: number) {
    this.tokens = tokens;
  }

  private async sample() {
    if (this.busy) {
      this.pending = true;
      return;
    }
    this.busy = true;
    // The sampler's own CPU time: its code before and after it waits for the worker's and the battery's
    // readings, not the wait. The process's CPU over the wait also counts whatever else it did meanwhile
    // (the answer's stream, other requests): on a loaded machine the wait is long and that counted 5.9%.
    let mark = process.cpuUsage();
    const charge = () => {
      const cpu = process.cpuUsage(mark);
      this.samplerUs += cpu.user + cpu.system;
      mark = process.cpuUsage();
    };
    try {
      const at = this.now();
      const readings = Promise.all([this.options.usage().catch(() => null), this.options.sources.battery()]);
      charge();
      const [usage, battery] = await readings;
      mark = process.cpuUsage();
      const cpuUs = usage ? usage.cpuUserUs + usage.cpuSystemUs : null;
      const elapsed = (at - this.lastAt) / 1000;
      const cpuPercent =
        cpuUs !== null && this.lastCpuUs !== null && elapsed > 0
          ? ((cpuUs - this.lastCpuUs) / 1e6 / elapsed) * 100
          : null;
      const tokensPerSec =
        elapsed > 0 && this.tokens > this.lastTokens
          ? (this.tokens - this.lastTokens) / elapsed
          : this.tokens > 0
            ? 0
            : null;
      const powerW = this.powerNow(battery.ok ? battery.value : null, elapsed);
      const excess = powerW !== null && this.baselineW !== null ? Math.max(0, powerW - this.baselineW) : null;
      const draftAcceptanceRate = usage ? this.acceptance(usage.draftValidated, usage.draftRefuted) : null;
      const s: Sample = {
        messageId: this.messageId,
        atMs: Math.round(at - this.startedAt),
        tokens: this.tokens,
        tokensPerSec,
        rssBytes: usage?.rssBytes ?? null,
        cpuPercent,
        contextTokens: usage?.contextTokens ?? null,
        contextSize: usage?.contextSize ?? null,
        vramUsedBytes: usage?.vramUsedBytes ?? null,
        vramTotalBytes: usage?.vramTotalBytes ?? null,
        draftAcceptanceRate,
        batteryPercent: battery.ok ? battery.value.percent : null,
        charging: battery.ok ? battery.value.charging : null,
        powerW,
        energyPerTokenMj: excess !== null && tokensPerSec ? (excess / tokensPerSec) * 1000 : null,
      };
      this.lastAt = at;
      this.lastTokens = this.tokens;
      this.lastCpuUs = cpuUs;
      this.samples.push(s);
      this.batch.push(s);
      if (this.batch.length >= BATCH_EVERY) this.flush();
    } finally {
      charge();
      this.busy = false;
    }
    if (this.pending && this.timer) {
      this.pending = false;
      void this.sample();
    }
  }

  private powerNow(
    battery: { powerW: number | null; charging: boolean | null } | null,
    seconds: number,
  ): number | null {
    if (this.lastCounter) {
      const counter = this.options.sources.energy();
      if (!counter.ok || seconds <= 0) return null;
      const watts = raplJoules(this.lastCounter, counter.value) / seconds;
      this.lastCounter = counter.value;
      return watts;
    }
    if (!battery || battery.powerW === null || battery.charging) return null;
    return battery.powerW;
  }

  private flush() {
    if (this.batch.length === 0) return;
    this.options.emit(this.batch);
    this.batch = [];
  }

  finish(outputTokens: number): RunSummary {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
    this.onEnd?.();
    this.onEnd = null;
    const seconds = (this.now() - this.startedAt) / 1000;
    const rss = this.samples.map((s) => s.rssBytes).filter((v): v is number => v !== null);
    const vram = this.samples.map((s) => s.vramUsedBytes).filter((v): v is number => v !== null);
    const cpu = this.samples.map((s) => s.cpuPercent).filter((v): v is number => v !== null);
    let energyJoules: number | null = null;
    let powerSource: string | null = null;
    let powerMethod: string | null = null;
    let powerUnavailable = this.powerReason;
    const counterEnd = this.counterStart ? this.options.sources.energy() : null;
    if (this.counterStart && counterEnd?.ok) {
      energyJoules = Math.max(0, raplJoules(this.counterStart, counterEnd.value) - (this.baselineW ?? 0) * seconds);
      powerSource = counterEnd.source;
      powerMethod = `energy counter over the answer minus an idle baseline of ${(this.baselineW ?? 0).toFixed(2)} W measured while idle just before`;
    } else if (this.baselineW !== null) {
      const points = this.samples.filter((s) => s.powerW !== null);
      if (points.length >= 2) {
        energyJoules = 0;
        for (let i = 1; i < points.length; i++) {
          const dt = (points[i]!.atMs - points[i - 1]!.atMs) / 1000;
          energyJoules +=
            (dt *
              (Math.max(0, points[i]!.powerW! - this.baselineW) +
                Math.max(0, points[i - 1]!.powerW! - this.baselineW))) /
            2;
        }
        powerSource = 'battery discharge rate';
        powerMethod = `∫(battery power − idle baseline ${this.baselineW.toFixed(2)} W) dt over ${points.length} samples at ${1000 / SAMPLE_MS} Hz`;
      } else powerUnavailable = 'the answer was too short for two battery power samples';
    }
    return {
      energyJoules,
      powerSource,
      powerMethod,
      powerUnavailable: energyJoules === null ? powerUnavailable : null,
      energyPerTokenMj: energyJoules !== null && outputTokens > 0 ? (energyJoules / outputTokens) * 1000 : null,
      peakRssBytes: rss.length ? Math.max(...rss) : null,
      peakVramBytes: vram.length ? Math.max(...vram) : null,
      meanCpuPercent: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : null,
      samples: this.samples.length,
      samplerCpuShare: seconds > 0 ? this.samplerUs / 1e6 / seconds : 0,
    };
  }
}

export class TelemetryService {
  private readonly options: TelemetryOptions;
  /** Answers running now; the energy counter's idle readings are taken only while there are none. */
  private active = 0;
  /** Energy counter readings since the last answer ended, oldest first (at most two). */
  private idle: { counter: RaplCounter; at: number }[] = [];
  private lastBaseline: { watts: number; at: number } | null = null;

  constructor(options: TelemetryOptions) {
    this.options = options;
    // Where an energy counter is readable, it is read every few seconds while idle, so that an answer's
    // baseline is the idle power since the last reading: measured, and no wait before the answer (a
    // 200 ms wait before each one was time to first token).
    if (this.noteIdle()) setInterval(() => this.active === 0 && this.noteIdle(), IDLE_TICK_MS).unref();
  }

  private clock() {
    return clockOf(this.options);
  }

  private noteIdle(): boolean {
    const reading = this.options.sources.energy();
    if (!reading.ok) return false;
    this.idle = [...this.idle, { counter: reading.value, at: this.clock() }].slice(-2);
    return true;
  }

  /** The idle power from the newest reading long enough ago, or a baseline measured within the last minute. */
  private idleWatts(now: RaplCounter): number | null {
    const at = this.clock();
    if (this.active === 0) {
      for (const r of [...this.idle].reverse()) {
        const ms = at - r.at;
        if (ms < BASELINE_MS || ms > MAX_IDLE_WINDOW_MS) continue;
        const watts = raplJoules(r.counter, now) / (ms / 1000);
        this.lastBaseline = { watts, at };
        return watts;
      }
    }
    return this.lastBaseline && at - this.lastBaseline.at <= BASELINE_REUSE_MS ? this.lastBaseline.watts : null;
  }

  private ended = () => {
    this.active = Math.max(0, this.active - 1);
    if (this.active === 0) {
      this.idle = [];
      this.noteIdle();
    }
  };

  /** Takes the idle baseline (only where a power source exists), then starts sampling. */
  async start(messageId: string): Promise<TelemetryRun> {
    const { sources } = this.options;
    let counter = sources.energy();
    if (counter.ok) {
      let watts = this.idleWatts(counter.value);
      if (watts === null) {
        // No idle window yet (the first answer right after start): measure one, as before.
        await (this.options.wait ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))))(BASELINE_MS);
        const after = sources.energy();
        watts = after.ok ? raplJoules(counter.value, after.value) / (BASELINE_MS / 1000) : null;
        if (watts !== null) this.lastBaseline = { watts, at: this.clock() };
        counter = after;
      }
      this.active++;
      this.idle = [];
      return new TelemetryRun(
        this.options,
        messageId,
        { watts, counter: counter.ok ? counter.value : null, reason: null },
        this.ended,
      );
    }
    const battery = await sources.battery();
    if (battery.ok && battery.value.powerW !== null && !battery.value.charging) {
      return new TelemetryRun(this.options, messageId, { watts: battery.value.powerW, counter: null, reason: null });
    }
    const batteryWhy = !battery.ok
      ? battery.reason
      : battery.value.charging
        ? 'on AC power: the battery rate measures charging, not use'
        : 'the battery reports no power figure';
    return new TelemetryRun(this.options, messageId, {
      watts: null,
      counter: null,
      reason: `${counter.reason}; ${batteryWhy}`,
    });
  }
}

// What each long task of a Chromium trace was: the renderer main thread's top-level tasks over a bound,
// each with its self time split by trace event (script, style, layout, paint, GC) and the JavaScript it
// ran by function (from a CDP CPU profile taken over the same span; both clocks are TimeTicks in µs).

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, which the machine's load does not stretch. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface CpuProfile {
  nodes: { id: number; parent?: number; children?: number[]; callFrame: { functionName: string; url: string } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface LongTask {
  startMs: number;
  durationMs: number;
  cpuMs: number;
  /** Self time per trace event name, largest first (ms). */
  events: [string, number][];
  /** JavaScript self time per function, largest first (ms, from samples). */
  selfJs: [string, number][];
  /** JavaScript time per function including what it called, largest first (ms, from samples). */
  totalJs: [string, number][];
}

const TOP_LEVEL = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const named = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // The busiest renderer main thread is the page's (an about:blank renderer may exist too).
  let best: { pid: number; tid: number } | null = null;
  let most = -1;
  for (const t of named) {
    const n = events.filter((e) => e.pid === t.pid && e.tid === t.tid).length;
    if (n > most) [best, most] = [{ pid: t.pid, tid: t.tid }, n];
  }
  return best;
}

/** Complete events of one thread, B/E pairs joined, sorted by start (outer before inner). */
function spans(events: TraceEvent[], pid: number, tid: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  const open: TraceEvent[] = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.ph === 'X') out.push(e);
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const b = open.pop();
      if (b) out.push({ ...b, ph: 'X', dur: e.ts - b.ts });
    }
  }
  return out.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
}

function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => [k, Math.round(v * 10) / 10]);
}

function frameName(node: CpuProfile['nodes'][number]): string {
  const f = node.callFrame;
  const file =
    f.url
      .split('/')
      .pop()
      ?.replace(/-[\w-]{8}\.js$/, '.js') ?? '';
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
}

/** Self time per event name over a sorted run of events (each event less its direct children). */
function selfTimes(events: TraceEvent[], into: Map<string, number>): void {
  const stack: TraceEvent[] = [];
  const childTime = new Map<TraceEvent, number>();
  for (const e of events) {
    while (stack.length && e.ts >= stack.at(-1)!.ts + (stack.at(-1)!.dur ?? 0)) stack.pop();
    const parent = stack.at(-1);
    if (parent) childTime.set(parent, (childTime.get(parent) ?? 0) + (e.dur ?? 0));
    stack.push(e);
  }
  for (const e of events) into.set(e.name, (into.get(e.name) ?? 0) + ((e.dur ?? 0) - (childTime.get(e) ?? 0)) / 1000);
}

/** The main thread's whole run: self time per trace event and JavaScript time per function (ms). */
export function threadTotals(events: TraceEvent[], profile: CpuProfile | null) {
  const thread = mainThread(events);
  if (!thread) return null;
  const self = new Map<string, number>();
  selfTimes(spans(events, thread.pid, thread.tid), self);
  const js = jsTimes(profile, 0, Infinity);
  return { events: top(self, 12), selfJs: top(js.self, 15), totalJs: top(js.total, 25) };
}

function jsTimes(profile: CpuProfile | null, from: number, to: number) {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  if (!profile) return { self, total };
  const parent = new Map<number, number>();
  const byId = new Map<number, CpuProfile['nodes'][number]>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t >= to) continue;
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    let id: number | undefined = profile.samples[i];
    const node = byId.get(id!);
    if (!node || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
    self.set(frameName(node), (self.get(frameName(node)) ?? 0) + ms);
    const seen = new Set<string>();
    for (; id !== undefined; id = parent.get(id)) {
      const name = frameName(byId.get(id)!);
      if (seen.has(name) || name.startsWith('(root)')) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  }
  return { self, total };
}

/** The page's top-level tasks, outermost only (a RunTask can hold another). */
function topLevelTasks(all: TraceEvent[]): TraceEvent[] {
  const tasks: TraceEvent[] = [];
  for (const e of all) {
    if (!TOP_LEVEL.has(e.name)) continue;
    const outer = tasks.at(-1);
    if (outer && e.ts < outer.ts + outer.dur!) continue;
    tasks.push(e);
  }
  return tasks;
}

/**
 * The main thread's tasks by CPU time: on a loaded machine a task's wall time counts the time other
 * processes held the core, and its CPU time is about what it would take on a free one.
 */
export function taskCpu(events: TraceEvent[], boundMs = 50) {
  const thread = mainThread(events);
  if (!thread) return null;
  const tasks = topLevelTasks(spans(events, thread.pid, thread.tid));
  const cpu = tasks.map((t) => (t.tdur ?? t.dur ?? 0) / 1000);
  const wall = tasks.map((t) => (t.dur ?? 0) / 1000);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    tasks: tasks.length,
    cpuMs: Math.round(cpu.reduce((a, b) => a + b, 0)),
    overBoundCpu: cpu.filter((ms) => ms > boundMs).length,
    over25Cpu: cpu.filter((ms) => ms > 25).length,
    longestCpuMs: round(Math.max(0, ...cpu)),
    overBoundWall: wall.filter((ms) => ms > boundMs).length,
  };
}

export function longTaskCauses(events: TraceEvent[], profile: CpuProfile | null, boundMs = 50): LongTask[] {
  const thread = mainThread(events);
  if (!thread) return [];
  const all = spans(events, thread.pid, thread.tid);
  const tasks = topLevelTasks(all);
  // Long in wall time, or in CPU time (which the machine's load does not stretch).
  const long = tasks.filter((e) => e.dur! > boundMs * 1000 || (e.tdur ?? 0) > (boundMs / 2) * 1000);
  const origin = tasks[0]?.ts ?? 0;
  let cursor = 0;
  return long.map((task) => {
    const end = task.ts + task.dur!;
    while (cursor < all.length && all[cursor]!.ts < task.ts) cursor++;
    const inside: TraceEvent[] = [];
    for (let i = cursor; i < all.length && all[i]!.ts < end; i++) inside.push(all[i]!);
    const self = new Map<string, number>();
    selfTimes(inside, self);
    const { self: selfJs, total: totalJs } = jsTimes(profile, task.ts, end);
    return {
      startMs: Math.round((task.ts - origin) / 1000),
      durationMs: Math.round(task.dur! / 1000),
      cpuMs: Math.round((task.tdur ?? 0) / 1000),
      events: top(self, 5),
      selfJs: top(selfJs, 6),
      totalJs: top(totalJs, 10),
    };
  });
}

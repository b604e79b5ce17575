// Work that can arrive in a burst runs in slices: typesetting every formula of an answer at once (when
// KaTeX's chunk arrives, or a long conversation opens) would block the page for as long as all of them
// take. A job runs at once while the current task has spent less than SLICE_MS on such jobs, so a formula
// that appears while an answer streams is still typeset before its frame is painted; the rest wait for
// later tasks, SLICE_MS each, and the page paints and takes input in between.

export const SLICE_MS = 8;

interface Job {
  run: () => void;
  cancelled: boolean;
}

const queue: Job[] = [];
/** When the current task started running jobs (null: none ran in this task yet). */
let sliceStart: number | null = null;
let posted = false;
/** Made on first use, so that merely importing this (server rendering, tests under Node) opens no port. */
let channel: MessageChannel | null = null;

/** A later task: runs queued jobs for one slice, and posts itself again while any are left. */
function drain() {
  posted = false;
  sliceStart = performance.now();
  while (queue.length && performance.now() - sliceStart < SLICE_MS) {
    const job = queue.shift()!;
    if (!job.cancelled) job.run();
  }
  sliceStart = null;
  if (queue.length) post();
}

function post() {
  if (posted) return;
  posted = true;
  // A message task, not setTimeout: nested timeouts are clamped to 4 ms and throttled in background pages.
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = drain;
    // Under Node (tests) an open port would keep the process alive; browsers have no unref.
    (channel.port1 as { unref?: () => void }).unref?.();
  }
  channel.port2.postMessage(null);
}

/** Runs `job` now if this task's slice has room, else in a later task; returns a cancel function. */
export function runSliced(run: () => void): () => void {
  const job: Job = { run, cancelled: false };
  const now = performance.now();
  if (sliceStart === null) {
    sliceStart = now;
    // This slice ends with the task: the message posted now runs after it and starts the next one.
    post();
  }
  if (!queue.length && now - sliceStart < SLICE_MS) run();
  else {
    queue.push(job);
    post();
  }
  return () => {
    job.cancelled = true;
  };
}

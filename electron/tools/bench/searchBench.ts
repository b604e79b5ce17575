// Full-text search on a large generated history: N conversations of M messages each, written through
// the real store (one transaction, the real triggers), then each query timed as the app runs it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSettings } from '../../../shared/schemas.ts';
import type { ExportedConversation } from '../../../shared/exportFormat.ts';
import { openDatabase } from '../../services/store/database.ts';
import { TransferStore } from '../../services/store/transferStore.ts';
import { SearchStore } from '../../services/store/searchStore.ts';

// Common words first: picked with a skewed (Zipf-like) draw, so "the" is everywhere and the synthetic
// tail words are rare, as in real text.
const COMMON =
  'the a and of to in is it that you for on with as was this be are not have at or by from but what can an your all they we if more one about will there which when their would so has out some do how time like just use model text make code file data answer first two way could then run line new long also after story small good write because most need over back much where only see well these same any error test very value each question dragon river memory engine speed token prompt context thread window'.split(
    ' ',
  );
const VOCABULARY = [...COMMON, ...Array.from({ length: 20_000 }, (_, i) => `w${(i * 7919).toString(36)}x`)];

/** A small deterministic generator (mulberry32), so every run searches the same history. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(VOCABULARY[Math.floor(VOCABULARY.length * next() ** 4)]!);
  return out.join(' ');
}

export function generateHistory(conversations: number, messagesEach: number, seed = 1): ExportedConversation[] {
  const next = random(seed);
  const start = Date.UTC(2025, 0, 1);
  return Array.from({ length: conversations }, (_, c) => ({
    id: `bench-c${c}`,
    title: sentence(next, 4),
    modelId: null,
    settings: defaultSettings,
    createdAt: start + c * 60_000,
    updatedAt: start + c * 60_000,
    // One path: each message follows the one before.
    leafId: messagesEach > 0 ? `bench-c${c}-m${messagesEach - 1}` : null,
    messages: Array.from({ length: messagesEach }, (_, m) => ({
      id: `bench-c${c}-m${m}`,
      parentId: m > 0 ? `bench-c${c}-m${m - 1}` : null,
      role: m % 2 === 0 ? ('user' as const) : ('assistant' as const),
      text: sentence(next, m % 2 === 0 ? 12 + Math.floor(next() * 20) : 40 + Math.floor(next() * 80)),
      status: 'done' as const,
      stats: null,
      error: null,
      trace: null,
      createdAt: start + c * 60_000 + m * 1000,
    })),
  }));
}

export const benchQueries = [
  'the', // in nearly every message
  'dragon river', // two common words
  'memory engine speed', // three
  'mod', // a prefix, as typed
  `${VOCABULARY[COMMON.length + 15_000]}`, // a rare word
  '"unbalanced NEAR -speed *', // FTS5 syntax, taken as text
  'zzzz nothing matches', // no hit
];

export interface SearchBenchResult {
  conversations: number;
  messages: number;
  buildSeconds: number;
  databaseBytes: number;
  queries: { query: string; hits: number; medianMs: number; p95Ms: number; maxMs: number }[];
  worstMedianMs: number;
  worstP95Ms: number;
}

export function benchSearch(options: {
  dir: string;
  conversations: number;
  messagesEach: number;
  runs: number;
  say: (line: string) => void;
}): SearchBenchResult {
  const path = join(options.dir, 'search-bench.db');
  rmSync(path, { force: true });
  const db = openDatabase(path);
  try {
    const built = performance.now();
    const transfer = new TransferStore(db);
    // In slices of 1,000 conversations so the generated text never sits in memory all at once.
    for (let from = 0; from < options.conversations; from += 1000) {
      const slice = generateHistory(Math.min(1000, options.conversations - from), options.messagesEach, from + 1);
      transfer.write(slice.map((c, i) => ({ ...c, id: `bench-c${from + i}` })));
    }
    const buildSeconds = (performance.now() - built) / 1000;
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number };
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const { bytes } = db
      .prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()')
      .get() as { bytes: number };
    options.say(
      `  history: ${options.conversations.toLocaleString('en')} conversations, ${Number(n).toLocaleString('en')} messages, ${(Number(bytes) / 1e6).toFixed(0)} MB, written and indexed in ${buildSeconds.toFixed(1)} s`,
    );
    const search = new SearchStore(db);
    const queries = benchQueries.map((query) => {
      const hits = search.search(query).length; // warm-up
      const times: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        const t = performance.now();
        search.search(query);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2));
      const row = { query, hits, medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
      options.say(
        `  ${JSON.stringify(query).padEnd(30)} ${String(hits).padStart(3)} hits  median ${row.medianMs} ms, p95 ${row.p95Ms} ms, max ${row.maxMs} ms`,
      );
      return row;
    });
    return {
      conversations: options.conversations,
      messages: Number(n),
      buildSeconds: Number(buildSeconds.toFixed(1)),
      databaseBytes: Number(bytes),
      queries,
      worstMedianMs: Math.max(...queries.map((q) => q.medianMs)),
      worstP95Ms: Math.max(...queries.map((q) => q.p95Ms)),
    };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}

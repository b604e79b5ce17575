// `edgewise bench search`: full-text search timed on a generated history (10,000 conversations,
// 200,000 messages by default); the target is every query's p95 under 50 ms.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchSearch } from '../tools/bench/searchBench.ts';
import { appRoot } from '../services/paths.ts';
import { exitCodes, numberOption, parseCommandLine } from './args.ts';

export const searchBenchUsage =
  'Usage: edgewise bench search [--conversations N] [--messages-each N] [--runs N] [--json]';
const TARGET_MS = 50;

export async function searchBenchCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      strict: true,
      options: {
        conversations: { type: 'string' },
        'messages-each': { type: 'string' },
        runs: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    searchBenchUsage,
  );
  const say = (line: string) => {
    if (!values.json) console.log(line);
  };
  const dir = join(appRoot(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  say('Search benchmark: FTS5 on a generated history, newest 50 hits per query');
  const result = benchSearch({
    dir,
    conversations: numberOption(values.conversations, 'conversations', 1, 1_000_000, true) ?? 10_000,
    messagesEach: numberOption(values['messages-each'], 'messages-each', 1, 1000, true) ?? 20,
    runs: numberOption(values.runs, 'runs', 1, 10_000, true) ?? 30,
    say,
  });
  const pass = result.worstP95Ms < TARGET_MS;
  const report = { ...result, target: { name: `search p95 < ${TARGET_MS} ms`, pass } };
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else say(`  target search p95 < ${TARGET_MS} ms: ${pass ? 'pass' : 'FAIL'} (worst p95 ${result.worstP95Ms} ms)`);
  return exitCodes.ok;
}

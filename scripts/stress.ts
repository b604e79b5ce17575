// npm run test:stress [-- --runs N]: the whole test suite (Vitest's two tiers, then Playwright) N times in
// a row (3 unless told), with a CPU-bound neighbour busy on every core, as on a CI machine that other
// work shares. Prints each run's failures (test, file, first line of the error) and exits 1 if any.
// Build, typecheck, lint and format checks are left out: they do not depend on load. Full logs go to
// stress-results/.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// fileURLToPath, not .pathname: a checkout path with a space or other escaped character must still work
const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number of at least 1 (got ${values.runs})`);
  process.exit(2);
}
// not under test-results/: Playwright empties that folder when it starts
const logs = join(root, 'stress-results');
mkdirSync(logs, { recursive: true });

const neighbours: ChildProcess[] = [];
const stopNeighbours = () => {
  for (const n of neighbours) n.kill('SIGKILL');
};
process.once('exit', stopNeighbours);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    stopNeighbours();
    process.exit(130);
  });
for (let i = 0; i < availableParallelism(); i++)
  neighbours.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', windowsHide: true }));

interface Failure {
  tool: string;
  file: string;
  test: string;
  error: string;
}
const firstLine = (text: string | undefined) =>
  (text ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .trim()
    .split('\n')[0]!
    .slice(0, 300);

/** Runs a command, its output to a log file; resolves with its exit code. */
function run(command: string, args: string[], log: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    // written as it comes, so a run stopped early still shows how far it got
    const out = createWriteStream(log);
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    child.on('close', (code) => out.end(() => resolve(code ?? 1)));
  });
}

interface VitestReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}
function vitestFailures(file: string, code: number, log: string): Failure[] {
  if (!existsSync(file)) return [{ tool: 'vitest', file: '', test: '(no report)', error: `exit ${code}, see ${log}` }];
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
  const failures: Failure[] = [];
  for (const f of report.testResults) {
    const name = f.name.replace(root, '');
    const failed = f.assertionResults.filter((t) => t.status === 'failed');
    for (const t of failed)
      failures.push({ tool: 'vitest', file: name, test: t.fullName, error: firstLine(t.failureMessages[0]) });
    if (f.status === 'failed' && failed.length === 0)
      failures.push({ tool: 'vitest', file: name, test: '(the file)', error: firstLine(f.message) });
  }
  // an error outside any test (the end-of-run process and temporary-folder check) fails the run alone
  if (code !== 0 && failures.length === 0)
    failures.push({ tool: 'vitest', file: '', test: '(the run)', error: `exit ${code}, see ${log}` });
  return failures;
}

interface PlaywrightSuite {
  file: string;
  suites?: PlaywrightSuite[];
  specs?: { title: string; ok: boolean; tests: { results: { error?: { message?: string } }[] }[] }[];
}
function playwrightFailures(file: string, code: number, log: string): Failure[] {
  if (!existsSync(file))
    return [{ tool: 'playwright', file: '', test: '(no report)', error: `exit ${code}, see ${log}` }];
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    suites: PlaywrightSuite[];
    errors?: { message?: string }[];
  };
  const failures: Failure[] = [];
  const walk = (suite: PlaywrightSuite) => {
    for (const spec of suite.specs ?? [])
      if (!spec.ok) {
        const error = spec.tests.flatMap((t) => t.results).find((r) => r.error)?.error?.message;
        failures.push({ tool: 'playwright', file: suite.file, test: spec.title, error: firstLine(error) });
      }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
  for (const error of report.errors ?? [])
    failures.push({ tool: 'playwright', file: '', test: '(the run)', error: firstLine(error.message) });
  if (code !== 0 && failures.length === 0)
    failures.push({ tool: 'playwright', file: '', test: '(the run)', error: `exit ${code}, see ${log}` });
  return failures;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
console.log(`Stress: ${runs} run(s) of the whole suite beside ${neighbours.length} busy neighbour(s), one per core`);
const summary: { run: number; seconds: number; failures: Failure[] }[] = [];
for (let i = 1; i <= runs; i++) {
  const started = Date.now();
  const vitestJson = join(logs, `run-${i}-vitest.json`);
  const playwrightJson = join(logs, `run-${i}-playwright.json`);
  rmSync(vitestJson, { force: true });
  rmSync(playwrightJson, { force: true });
  const vitestLog = join(logs, `run-${i}-vitest.log`);
  const vitestCode = await run(
    npx,
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
    vitestLog,
  );
  const playwrightLog = join(logs, `run-${i}-playwright.log`);
  const playwrightCode = await run(npx, ['playwright', 'test', '--reporter=list,json'], playwrightLog, {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  const failures = [
    ...vitestFailures(vitestJson, vitestCode, vitestLog),
    ...playwrightFailures(playwrightJson, playwrightCode, playwrightLog),
  ];
  const seconds = Math.round((Date.now() - started) / 1000);
  summary.push({ run: i, seconds, failures });
  console.log(`run ${i}: ${failures.length === 0 ? 'passed' : `${failures.length} failure(s)`} in ${seconds} s`);
  for (const f of failures) console.log(`  ${f.tool} ${f.file} › ${f.test}\n    ${f.error}`);
}
stopNeighbours();
writeFileSync(join(logs, 'summary.json'), JSON.stringify(summary, null, 2));
const failed = summary.filter((s) => s.failures.length > 0).length;
console.log(`${runs - failed} of ${runs} run(s) passed; logs in ${logs}`);
process.exit(failed > 0 ? 1 : 0);

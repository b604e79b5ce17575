// Offline by default, shown: every outbound connection the shell, its worker and the CLI attempt during a
// full session is recorded, and none leaves loopback. Secrets stay secret: a planted partner key appears
// in no file, log, trace, export or message sent to the UI.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newDataDir, startShell } from '../../e2e/headlessShell.ts';
import { demoModel, repoRoot, tempDir } from '../fixtures.ts';
import { connect } from '../../electron/common/wsClient.ts';

const PLANTED = 'sk-ant-PLANTED-never-leaks-4242';
const loopback = (host: string) => ['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1'].includes(host);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('offline by default, and secrets stay secret', () => {
  it('a full session attempts no connection off loopback and leaks no key', async () => {
    const netLog = join(tempDir(), 'net.jsonl');
    const env = {
      NODE_OPTIONS: `--import=${pathToFileURL(join(repoRoot, 'tests/reliability/netRecorder.mjs')).href}`,
      EDGEWISE_NET_LOG: netLog,
    };
    const dataDir = newDataDir();
    const shell = await startShell(dataDir, env);
    const { client, close } = await connect(shell.url);
    const seen: string[] = [];
    for (const name of [
      'chat.delta',
      'chat.done',
      'route.consent',
      'telemetry.samples',
      'engine.status',
      'conversations.changed',
    ] as const) {
      client.on(name, (payload) => seen.push(JSON.stringify(payload)));
    }
    const keep = <T>(value: T) => {
      seen.push(JSON.stringify(value));
      return value;
    };

    // chat
    const conversation = keep(await client.call('conversations.create', {}));
    const done = (id: string) =>
      new Promise<any>((resolve) => {
        const off = client.on('chat.done', (p) => {
          if (p.conversationId === id) {
            off();
            resolve(p);
          }
        });
      });
    let finished = done(conversation.id);
    await client.call('chat.send', { conversationId: conversation.id, text: 'Once upon a time' });
    await finished;
    // routing with a partner configured (and its key planted), consent refused, local servers detected
    keep(
      await client.call('routing.set', {
        partner: {
          name: 'Cloud',
          kind: 'anthropic',
          baseUrl: 'https://api.anthropic.example/',
          model: 'big',
          apiKey: PLANTED,
          inputPricePerMTok: 3,
          outputPricePerMTok: 15,
        },
      }),
    );
    keep(await client.call('routing.get', {}));
    keep(await client.call('routing.detect', {}));
    const consent = new Promise<any>((resolve) => {
      const off = client.on('route.consent', (p) => {
        off();
        resolve(p);
      });
    });
    finished = done(conversation.id);
    await client.call('chat.send', {
      conversationId: conversation.id,
      text: 'Prove that there are infinitely many primes.',
    });
    const asked = await consent;
    await client.call('route.consent', { messageId: asked.messageId, answer: 'no' });
    await finished;
    // fit, telemetry, the conversation with its traces (what "Export JSON" saves)
    keep(await client.call('fit.facts', {}));
    keep(await client.call('telemetry.sources', {}));
    keep(await client.call('telemetry.summary', {}));
    keep(await client.call('routing.history', {}));
    const exported = keep(await client.call('conversations.get', { id: conversation.id }));
    expect(exported.messages.at(-1)!.trace).toMatchObject({ consent: 'no', answeredBy: { tier: 'device' } });
    close();
    await shell.stop();

    // the CLI, with the same recorder
    const cli = (args: string[]) =>
      execFileSync(process.execPath, [join(repoRoot, 'dist/electron/cli/index.js'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...env, EDGEWISE_DATA_DIR: dataDir },
      });
    const outputs = [
      cli(['route', '--json', 'Prove that there are infinitely many primes.']),
      cli(['fit', '--json', '--gpu', 'cpu']),
      cli(['telemetry', '--json']),
      cli(['chat', '--json', '--gpu', 'cpu', '--max-tokens', '8', '--model', demoModel, 'Once upon a time']),
    ];
    // route names the partner (configured in the settings) and asks for consent; it sends nothing itself
    expect(JSON.parse(outputs[0]!)).toMatchObject({ tier: 'partner', consentRequired: true });

    const records = existsSync(netLog)
      ? readFileSync(netLog, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
    const started = records.filter((r) => r.kind === 'start');
    const attempts = records.filter((r) => r.kind !== 'start');
    const offLoopback = attempts.filter((r) => r.kind !== 'ipc' && !r.path && !loopback(String(r.host)));
    // the recorder ran in the shell, its worker, each CLI run and the workers of fit and chat
    expect(started.length).toBeGreaterThanOrEqual(8);
    expect(started.filter((r) => r.argv.includes('engineWorker.js')).length).toBeGreaterThanOrEqual(3);
    console.log(
      `network: ${started.length} processes watched, ${attempts.length} attempts, ${offLoopback.length} off loopback: ${JSON.stringify(attempts.map((r) => `${r.kind} ${r.host}:${r.port ?? ''}`))}`,
    );
    expect(offLoopback).toEqual([]);

    // secrets: nowhere but the key file, which only the user can read
    const secretsFile = join(dataDir, 'secrets.json');
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const artifacts = filesUnder(dataDir).filter((f) => f !== secretsFile);
    for (const file of artifacts) expect(readFileSync(file).includes(PLANTED), file).toBe(false);
    expect(shell.output()).not.toContain(PLANTED);
    for (const out of outputs) expect(out).not.toContain(PLANTED);
    expect(seen.join('\n')).not.toContain(PLANTED);
    expect(seen.join('\n')).toContain('"hasKey":true');
    // the recorder does see an attempt off loopback (192.0.2.1 is TEST-NET-1: never routed)
    execFileSync(
      process.execPath,
      ['-e', "fetch('http://192.0.2.1/', { signal: AbortSignal.timeout(300) }).catch(() => {})"],
      { env: { ...process.env, ...env } },
    );
    const canary = readFileSync(netLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.host === '192.0.2.1');
    expect(canary.length).toBeGreaterThan(0);
    console.log(
      `secrets: planted key absent from ${artifacts.length} data files, the shell's output, ${outputs.length} CLI outputs and ${seen.length} payloads sent to the UI`,
    );
  }, 180_000);

  it('listens on 127.0.0.1 by default; another address needs a flag, and gets a warning', async () => {
    const shell = await startShell(newDataDir());
    expect(new URL(shell.url).hostname).toBe('127.0.0.1');
    await shell.stop();
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'dist/electron/cli/index.js'), 'serve', '--gpu', 'cpu', '--host', '0.0.0.0'],
      {
        env: { ...process.env, EDGEWISE_DATA_DIR: newDataDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/serving at/.test(output)) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
    child.kill('SIGKILL');
    expect(output).toMatch(/Warning: listening on 0\.0\.0\.0 makes Edgewise reachable from other machines/);
  }, 60_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoModel, tempDir } from './fixtures.ts';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { messageTransport, workerEntry, type SpawnWorker } from '../electron/services/engine/workerProcess.ts';
import {
  installCommand,
  installedVersions,
  missingPackages,
  startFailureLine,
} from '../electron/services/engine/enginePackages.ts';
import { RpcError } from '../shared/rpc.ts';

// The real worker and the real node-llama-cpp, on a machine whose engine package is not installed: a
// resolve hook (Node's module.registerHooks) makes every @node-llama-cpp/* package unresolvable in the
// worker, as on a Mac whose install skipped mac-arm64-metal.
const hook = join(tempDir(), 'hideEnginePackages.mjs');
writeFileSync(
  hook,
  `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    if (!specifier.startsWith('@node-llama-cpp/')) return next(specifier, context);
    const error = new Error("Cannot find package '" + specifier + "'");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  },
});
`,
);

const spawnWithoutEngine: SpawnWorker = () => {
  const child = fork(workerEntry(), [], {
    execArgv: [...process.execArgv, '--import', hook],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
    windowsHide: true,
  });
  child.on('error', () => {});
  return {
    transport: messageTransport(
      (m) => {
        if (child.connected) child.send(m);
      },
      (listener) => child.on('message', listener),
    ),
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    onExit: (listener) => child.on('exit', listener),
  };
};

describe('no engine binary for this platform', () => {
  const statuses: string[] = [];
  const engine = new EngineHost({
    spawn: spawnWithoutEngine,
    gpu: 'cpu',
    onStatus: (s) => statuses.push(`${s.state}: ${s.error ?? ''}`),
  });
  afterAll(() => engine.dispose());

  it('is reported with the command that installs it, not as a model that failed to load', async () => {
    const missing = missingPackages(process.platform, process.arch, (name) => !name.startsWith('@node-llama-cpp/'));
    const command = installCommand(missing, installedVersions());
    expect(command).toMatch(/^npm install --no-save @node-llama-cpp\/\S+@\d+\.\d+\.\d+$/);
    const error = await engine.load({ id: 'demo', name: 'TinyStories', path: demoModel }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe('engine_missing');
    expect((error as RpcError).message).toMatch(/^The llama\.cpp engine for .+ is not installed \(@node-llama-cpp\//);
    expect((error as RpcError).message.endsWith(`Install it with: ${command}`)).toBe(true);
    expect(startFailureLine(error as RpcError)).toBe((error as RpcError).message);
    // What the UI's engine bar shows: the same sentence, with no model named as the culprit.
    expect(engine.status).toMatchObject({ state: 'error', modelName: null, error: (error as RpcError).message });
    expect(statuses.join('\n')).not.toMatch(/Could not load TinyStories/);
  }, 60_000);
});

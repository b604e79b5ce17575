// `edgewise serve`: the headless shell. Prints the URL (with its token) and runs until stopped.
import { join, resolve } from 'node:path';
import { startServer } from '../server/server.ts';
import { appRoot, defaultDataDir } from '../services/paths.ts';
import { startFailureLine } from '../services/engine/enginePackages.ts';
import { DataLockedError } from '../services/dataLock.ts';
import { CliError, exitCodes, flashAttentionOption, gpuOption, numberOption, parseCommandLine } from './args.ts';

export const serveUsage =
  'Usage: edgewise serve [--port N] [--model PATH] [--gpu auto|cpu|metal|cuda|vulkan] [--threads N] [--flash-attention auto|on|off] [--host ADDRESS] [--api-key KEY] [--rotate-api-key]';

/** How long a stop asked for by SIGTERM or SIGINT may take before the shell exits regardless. */
const STOP_LIMIT_MS = 20_000;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        model: { type: 'string' },
        gpu: { type: 'string' },
        threads: { type: 'string' },
        'flash-attention': { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        // Tests and the benchmark only (not in the usage line, not a user setting): answers ignore the
        // end-of-text token and run to their max tokens unless stopped; see README's "Testing".
        'ignore-eos': { type: 'boolean' },
        'rotate-api-key': { type: 'boolean' },
      },
    },
    serveUsage,
  );
  const host = values.host ?? '127.0.0.1';
  if (values['api-key'] !== undefined && values['rotate-api-key'])
    throw new CliError(exitCodes.badInput, '--api-key and --rotate-api-key cannot be used together.');
  if (values['api-key'] !== undefined && values['api-key'].length < 8)
    throw new CliError(exitCodes.badInput, '--api-key must be at least 8 characters long.');
  if (values.host && !['127.0.0.1', 'localhost', '::1'].includes(values.host)) {
    console.warn(
      `Warning: listening on ${values.host} makes Edgewise reachable from other machines. Anyone with the URL's token can use your models and read your conversations.`,
    );
  }
  const server = await startServer({
    ownerName: 'edgewise serve',
    dataDir: defaultDataDir(),
    port: numberOption(values.port, 'port', 0, 65535, true) ?? 0,
    host,
    gpu: gpuOption(values.gpu),
    threads: numberOption(values.threads, 'threads', 1, 1024, true) ?? null,
    flashAttention: flashAttentionOption(values['flash-attention']),
    modelPath: values.model ? resolve(values.model) : undefined,
    rendererDir: join(appRoot(), 'dist', 'renderer'),
    apiKey: values['api-key'],
    ignoreEos: values['ignore-eos'] === true,
  }).catch((error: unknown) => {
    if (error instanceof DataLockedError) throw new CliError(exitCodes.dataLocked, error.message);
    throw error;
  });
  if (values['rotate-api-key']) server.rotateApiKey();
  if (server.apiKeyProblem) console.warn(`Warning: ${server.apiKeyProblem}`);
  console.log(`Edgewise is serving at ${server.url}`);
  console.log(`OpenAI-compatible API: ${new URL('/v1', server.url).href} (API key: ${server.apiKey})`);
  console.log(
    values['api-key']
      ? 'The API key was given with --api-key: it lasts this run only.'
      : 'The API key is kept across restarts; `edgewise serve --rotate-api-key` makes a new one.',
  );
  console.log(`Data: ${defaultDataDir()}`);
  const health = server.app.data.status();
  if (health.message) console.warn(`Warning: ${health.message}`);
  if (server.app.interrupted > 0)
    console.log(`${server.app.interrupted} answer(s) interrupted by the last shutdown were kept.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Bounded: an answer that does not end when stopped, or an engine busy in native code, must not keep the
    // shell running after SIGTERM (seen once: a bench's shell ran on, orphaned). Past the limit the worker
    // is killed and the shell exits all the same, saying why.
    setTimeout(() => {
      console.error(
        `Edgewise did not stop within ${STOP_LIMIT_MS / 1000} s (an answer or the engine did not end): exiting anyway.`,
      );
      const worker = server.app.engine.pid;
      try {
        if (worker) process.kill(worker, 'SIGKILL');
      } catch {
        // gone already
      }
      process.exit(1);
    }, STOP_LIMIT_MS);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await server.app.start().then(
    () =>
      console.log(
        `Model ready: ${server.app.engine.status.modelName} on ${server.app.engine.status.backend} (${server.app.engine.status.threads} threads)`,
      ),
    (error: Error) => console.error(startFailureLine(error)),
  );
  return new Promise<number>(() => {});
}

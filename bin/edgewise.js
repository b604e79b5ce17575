#!/usr/bin/env node
// Runs the built CLI (npm install builds it through the "prepare" script).
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
const built = new URL('../dist/electron/cli/index.js', import.meta.url);
if (!existsSync(built)) {
  console.error('edgewise: not built yet. Run `npm install` (it builds) or `npm run build`.');
  process.exit(1);
}
// The bench runs node-llama-cpp in this process too (its layer (a) and thread sweep): with libuv's pool at
// one thread, as the engine worker runs (electron/services/engine/workerProcess.ts, workerEnv). libuv sizes
// its pool from the environment on first use: set it, use the pool once, and give the environment back, so
// that the shells and llama.cpp's tools the bench starts run as they would for a user.
if (process.argv[2] === 'bench') {
  const { workerEnv } = await import(
    new URL('../dist/electron/services/engine/workerProcess.js', import.meta.url).href
  );
  const before = process.env.UV_THREADPOOL_SIZE;
  process.env.UV_THREADPOOL_SIZE = workerEnv().UV_THREADPOOL_SIZE;
  await access(built);
  if (before === undefined) delete process.env.UV_THREADPOOL_SIZE;
  else process.env.UV_THREADPOOL_SIZE = before;
}
await import(built.href);

#!/usr/bin/env node
// Runs the built CLI (npm install builds it through the "prepare" script).
import { existsSync } from 'node:fs';
const built = new URL('../dist/electron/cli/index.js', import.meta.url);
if (!existsSync(built)) {
  console.error('edgewise: not built yet. Run `npm install` (it builds) or `npm run build`.');
  process.exit(1);
}
// The bench runs node-llama-cpp in this process too (its layer (a) and thread sweep): with libuv's pool at
// one thread, as the engine worker runs (electron/services/engine/workerProcess.ts, workerEnv). Set before
// anything uses the pool, which is sized on first use.
if (process.argv[2] === 'bench') process.env.UV_THREADPOOL_SIZE = process.env.EDGEWISE_WORKER_UV_THREADS || '1';
await import(built.href);

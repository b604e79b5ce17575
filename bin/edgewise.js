#!/usr/bin/env node
// Runs the built CLI (npm install builds it through the "prepare" script).
import { existsSync } from 'node:fs';
const built = new URL('../dist/electron/cli/index.js', import.meta.url);
if (!existsSync(built)) {
  console.error('edgewise: not built yet. Run `npm install` (it builds) or `npm run build`.');
  process.exit(1);
}
await import(built.href);

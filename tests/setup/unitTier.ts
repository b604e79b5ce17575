// The unit tier is pure: no engine, no child process, no listening server, so it stays fast and cannot
// leave anything running. A test that needs one of those lives in tests/ (the integration tier).
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const refuse = (what: string) => () => {
  throw new Error(`The unit tier starts no ${what}: a test that needs one belongs in tests/ (npm test runs it).`);
};
const childProcess = require('node:child_process') as Record<string, unknown>;
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'])
  childProcess[name] = refuse(`child process (${name})`);
const net = require('node:net') as typeof import('node:net');
net.Server.prototype.listen = refuse('server (listen)') as never;
syncBuiltinESMExports();

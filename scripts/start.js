// `npm start`: the Electron app when an Electron binary and a display are available; otherwise say
// why, plainly, and run the headless shell instead (its URL opens the same UI in a browser).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    return { path: require('electron') };
  } catch (error) {
    return {
      why: `the Electron binary is not installed and could not be downloaded (${String(error.message).split('\n')[0]})`,
    };
  }
}

function displayProblem() {
  if (process.platform !== 'linux') return null;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return null;
  return 'no display is available (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

function run(command, args) {
  // Not hidden: this starts Electron's own window (windowsHide would hide a GUI program's first window too)
  // or the headless shell in the terminal that ran `npm start`.
  // eslint-disable-next-line edgewise/windows-hide
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
const why = electron.why ?? displayProblem();
if (why) {
  console.log(`Edgewise cannot open its desktop window here: ${why}.`);
  console.log('Starting the headless shell instead; open the URL below in a browser.');
  run(process.execPath, ['dist/electron/cli/index.js', 'serve', ...process.argv.slice(2)]);
} else {
  run(electron.path, ['.', ...process.argv.slice(2)]);
}

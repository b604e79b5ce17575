// The Electron shell: one window, the engine in a utilityProcess, the contract over IPC.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  powerMonitor,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../services/app.ts';
import { messageTransport, workerEntry, workerEnv, type SpawnWorker } from '../services/engine/workerProcess.ts';
import type { AppEmit } from '../services/events.ts';
import { APP_NAME, appRoot, defaultDataDir } from '../services/paths.ts';
import { applySessionRules, applyWindowRules, secureWebPreferences } from './security.ts';
import { serveContractOverIpc } from './ipcAdapter.ts';
import { IPC_CHANNEL } from '../../shared/contract.ts';
import { thermalStateSupported } from '../services/telemetry/powerState.ts';
import { startFailureLine } from '../services/engine/enginePackages.ts';
import { bringToFront } from './singleInstance.ts';
import { errorMessage } from '../../shared/errors.ts';

const spawnUtilityWorker: SpawnWorker = () => {
  const child = utilityProcess.fork(workerEntry(), [], {
    serviceName: 'Edgewise engine',
    stdio: 'inherit',
    env: workerEnv() as Record<string, string>,
  });
  return {
    transport: messageTransport(
      (m) => child.postMessage(m),
      (listener) => child.on('message', listener),
    ),
    get pid() {
      return child.pid;
    },
    // utilityProcess.kill() takes no signal: a worker that outlasted it is ended by its pid.
    kill: (signal) => (signal === 'SIGKILL' && child.pid ? process.kill(child.pid, 'SIGKILL') : child.kill()),
    onExit: (listener) => child.on('exit', (code) => listener(code, null)),
  };
};

app.setName(APP_NAME);
app.setPath('userData', defaultDataDir());
app.enableSandbox();

let window: BrowserWindow | null = null;
let services: App | null = null;
const indexFile = join(appRoot(), 'dist', 'renderer', 'index.html');
const indexUrl = pathToFileURL(indexFile).href;

const emit: AppEmit = (name, payload) => {
  if (window && !window.isDestroyed()) window.webContents.send(IPC_CHANNEL, { t: 'event', name, payload });
};

async function main() {
  await app.whenReady();
  applySessionRules(session.defaultSession);
  // API keys at rest: encrypted with the OS keychain (safeStorage) when it is available.
  const cipher = safeStorage.isEncryptionAvailable()
    ? {
        encrypt: (plain: string) => safeStorage.encryptString(plain).toString('base64'),
        decrypt: (sealed: string) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
      }
    : null;
  // Read now, then followed: the change event alone would leave it "unknown" until the first change.
  // Electron has a thermal state on macOS only; elsewhere it stays null and is labelled unavailable.
  let thermalState: string | null = thermalStateSupported(process.platform)
    ? powerMonitor.getCurrentThermalState()
    : null;
  if (thermalState !== null)
    powerMonitor.on('thermal-state-change', (details: { state: string }) => {
      thermalState = details.state;
    });
  const powerState = () => ({ onBattery: powerMonitor.isOnBatteryPower(), thermalState });
  services = await createApp({
    dataDir: app.getPath('userData'),
    spawn: spawnUtilityWorker,
    emit,
    shell: 'electron',
    cipher,
    powerState,
    // A tool call's consent is asked of the window; once it is closed no one can answer.
    listening: () => window !== null && !window.isDestroyed(),
  });
  serveContractOverIpc(ipcMain, services.handlers, () => window, indexUrl);
  // Electronegativity cannot see through secureWebPreferences(): it sets contextIsolation and sandbox on,
  // nodeIntegration off and disables Auxclick (security.test.ts asserts each). The remote module no longer
  // exists in Electron 45.
  // Electronegativity reads its eng-disable comment on the matched line itself, so Prettier must keep it there.
  // prettier-ignore
  window = new BrowserWindow({ // eng-disable NODE_INTEGRATION_JS_CHECK CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK REMOTE_MODULE_JS_CHECK
    width: 1200,
    height: 800,
    title: APP_NAME,
    show: false,
    webPreferences: secureWebPreferences(join(appRoot(), 'dist', 'preload', 'index.cjs')),
  });
  // openExternal gets only the URLs applyWindowRules lets through: http and https, never file: or custom schemes.
  applyWindowRules(window.webContents, indexUrl, (url) => void shell.openExternal(url)); // eng-disable OPEN_EXTERNAL_JS_CHECK
  window.once('ready-to-show', () => window?.show());
  window.once('closed', () => services?.toolAsker.noOneLeft());
  await window.loadFile(indexFile);
  void services.start().catch((error: Error) => console.error(startFailureLine(error)));
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!services) return;
  event.preventDefault();
  const closing = services;
  services = null;
  void closing.dispose().finally(() => app.exit(0));
});

// The lock lives in userData (set above), so it is per data folder as well as per user.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => bringToFront(window));
  main().catch((error: unknown) => {
    // A desktop user sees no console: say why the app could not start (for example, `edgewise serve` holds
    // this data folder) before quitting.
    console.error(error);
    dialog.showErrorBox(`${APP_NAME} could not start`, errorMessage(error));
    app.exit(1);
  });
}

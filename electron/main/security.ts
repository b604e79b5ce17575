// Every security rule of the Electron shell, in one place. The pure parts (web preferences, URL
// checks) are exported on their own so tests can assert them without an Electron binary.
import type { BrowserWindow, Session, WebContents, WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../common/csp.ts';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // A middle click would open a link in a new window; window.open is denied anyway, this closes the path too.
    disableBlinkFeatures: 'Auxclick',
  };
}

/**
 * A file URL's path as compared on this platform. On Windows, Chromium reports the page's URL with an
 * upper-case drive letter (file:///C:/…) while pathToFileURL keeps the letter as the app was started
 * with (file:///c:/…), so the drive letter is compared case-insensitively there, and only there.
 */
export function comparableFilePath(url: URL, platform: NodeJS.Platform): string {
  return platform === 'win32'
    ? url.pathname.replace(/^\/([A-Za-z]):/, (_m, d: string) => `/${d.toUpperCase()}:`)
    : url.pathname;
}

/** The app's own pages: the built renderer on disk and nothing else. */
export function isAppUrl(url: string, appIndexUrl: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appIndexUrl);
    return (
      target.protocol === 'file:' &&
      target.host === app.host &&
      comparableFilePath(target, platform) === comparableFilePath(app, platform)
    );
  } catch {
    return false;
  }
}

/** Links the user clicked may open in their browser, and only web links. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function isTrustedSender(
  frame: { url: string; parent: unknown } | null,
  window: BrowserWindow | null,
  sender: WebContents,
  appIndexUrl: string,
): boolean {
  return (
    !!frame && !!window && sender === window.webContents && frame.parent === null && isAppUrl(frame.url, appIndexUrl)
  );
}

/** The one permission the page has: writing text to the clipboard in answer to a click (a code block's
 * Copy button); Chromium asks for it as 'clipboard-sanitized-write'. Reading the clipboard stays denied. */
export function isPermissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

export function applySessionRules(session: Session): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionAllowed(permission)));
  session.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
}

export function applyWindowRules(
  contents: WebContents,
  appIndexUrl: string,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appIndexUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appIndexUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) openExternal(url);
    return { action: 'deny' };
  });
}

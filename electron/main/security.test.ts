import { describe, expect, it } from 'vitest';
import { isAppUrl, isExternalLinkAllowed, isPermissionAllowed, secureWebPreferences } from './security.ts';
import { contentSecurityPolicy } from '../common/csp.ts';

describe('Electron security rules', () => {
  it('the window is isolated, sandboxed and has no Node', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });
  it('navigation stays on the app page; only web links open outside', () => {
    const app = 'file:///opt/Edgewise/dist/renderer/index.html';
    expect(isAppUrl(app, app)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', app)).toBe(false);
    expect(isAppUrl('https://evil.example/', app)).toBe(false);
    expect(isExternalLinkAllowed('https://example.org')).toBe(true);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('smb://host/share')).toBe(false);
  });
  it('on Windows the drive letter compares case-insensitively, and nothing else does', () => {
    const started = 'file:///c:/Users/Ann/Edgewise/dist/renderer/index.html'; // pathToFileURL of a lower-case path
    const chromium = 'file:///C:/Users/Ann/Edgewise/dist/renderer/index.html';
    expect(isAppUrl(chromium, started, 'win32')).toBe(true);
    expect(isAppUrl(started, chromium, 'win32')).toBe(true);
    expect(isAppUrl('file:///D:/Users/Ann/Edgewise/dist/renderer/index.html', started, 'win32')).toBe(false);
    expect(isAppUrl('file:///C:/Users/Ann/Other/dist/renderer/index.html', started, 'win32')).toBe(false);
    expect(isAppUrl('file://evil-host/C:/Users/Ann/Edgewise/dist/renderer/index.html', started, 'win32')).toBe(false);
    // Elsewhere paths are case-sensitive, so the comparison stays exact.
    expect(isAppUrl('file:///C:/x/index.html', 'file:///c:/x/index.html', 'linux')).toBe(false);
    expect(isAppUrl('file:///opt/E/index.html', 'file:///opt/E/index.html', 'darwin')).toBe(true);
  });
  it('permissions are denied but writing to the clipboard after a click (Copy on a code block)', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const permission of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen'])
      expect(isPermissionAllowed(permission), permission).toBe(false);
  });
  it('the CSP allows no inline or remote script', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

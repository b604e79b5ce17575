import { describe, expect, it } from 'vitest';
import { bringToFront, type FocusableWindow } from './singleInstance.ts';

/** A window's state as Electron's BrowserWindow reports it, recording what was done to it. */
function windowState(minimized: boolean, destroyed = false) {
  const calls: string[] = [];
  const window: FocusableWindow = {
    isDestroyed: () => destroyed,
    isMinimized: () => minimized,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
  return { window, calls };
}

describe('a second start brings the running window forward', () => {
  it('restores a minimized window before showing and focusing it', () => {
    const { window, calls } = windowState(true);
    expect(bringToFront(window)).toBe(true);
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });
  it('shows and focuses a window that is only behind others or hidden', () => {
    const { window, calls } = windowState(false);
    bringToFront(window);
    expect(calls).toEqual(['show', 'focus']);
  });
  it('does nothing before the window exists or after it is gone', () => {
    expect(bringToFront(null)).toBe(false);
    const { window, calls } = windowState(true, true);
    expect(bringToFront(window)).toBe(false);
    expect(calls).toEqual([]);
  });
});

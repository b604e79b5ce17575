// One Edgewise per user: a second start hands over to the running one, whose window comes forward.
// (The other shells guard the data folder with their own lock file.)

export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** Brings the running window back: restored if minimized, shown if hidden, then focused. */
export function bringToFront(window: FocusableWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return true;
}

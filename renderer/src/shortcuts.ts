// The keyboard shortcuts, declared once: the key handler matches them and the help sheet lists them.
// "Mod" is Cmd on macOS and Ctrl elsewhere. Browser-owned keys (Ctrl+N, Ctrl+T, Ctrl+W, Ctrl+R, Ctrl+L)
// are avoided: a page cannot always take them back from the browser.
export type ShortcutId =
  | 'new'
  | 'search'
  | 'composer'
  | 'stop'
  | 'regenerate'
  | 'edit'
  | 'previous'
  | 'next'
  | 'previousVersion'
  | 'nextVersion'
  | 'help';

export interface Shortcut {
  id: ShortcutId;
  /** Key as KeyboardEvent.key, lower-cased for letters. */
  key: string;
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
  label: string;
}

export const shortcuts: Shortcut[] = [
  { id: 'new', key: 'o', mod: true, shift: true, label: 'New conversation' },
  { id: 'search', key: 'k', mod: true, label: 'Search all messages' },
  { id: 'composer', key: 'Escape', shift: true, label: 'Focus the message box' },
  { id: 'stop', key: 'Escape', label: 'Stop the answer being written' },
  { id: 'regenerate', key: 'g', mod: true, shift: true, label: 'Regenerate the last answer' },
  { id: 'edit', key: 'e', mod: true, shift: true, label: 'Edit your last message' },
  { id: 'previous', key: 'ArrowUp', alt: true, label: 'Previous conversation' },
  { id: 'next', key: 'ArrowDown', alt: true, label: 'Next conversation' },
  // Alt+←/→ alone is the browser's Back and Forward. Outside a text box; in one, the keys select words.
  {
    id: 'previousVersion',
    key: 'ArrowLeft',
    alt: true,
    shift: true,
    label: 'Previous version of a message (the focused one, else the last with versions)',
  },
  {
    id: 'nextVersion',
    key: 'ArrowRight',
    alt: true,
    shift: true,
    label: 'Next version of a message (the focused one, else the last with versions)',
  },
  { id: 'help', key: '/', mod: true, label: 'Show these shortcuts' },
];

export const isMac = (platform: string) => /mac|iphone|ipad/i.test(platform);

export function matchShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
  mac: boolean,
): ShortcutId | null {
  const mod = mac ? event.metaKey : event.ctrlKey;
  const other = mac ? event.ctrlKey : event.metaKey;
  if (other) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const found = shortcuts.find(
    (s) => s.key === key && !!s.mod === mod && !!s.shift === event.shiftKey && !!s.alt === event.altKey,
  );
  return found?.id ?? null;
}

export function describeShortcut(s: Shortcut, mac: boolean): string {
  const names: Record<string, string> = {
    ArrowUp: '↑',
    ArrowDown: '↓',
    ArrowLeft: '←',
    ArrowRight: '→',
    Escape: 'Esc',
  };
  const parts = [s.mod && (mac ? '⌘' : 'Ctrl'), s.alt && (mac ? '⌥' : 'Alt'), s.shift && 'Shift'];
  return [...parts.filter(Boolean), names[s.key] ?? s.key.toUpperCase()].join('+');
}

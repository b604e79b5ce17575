// Global keyboard shortcuts (renderer/src/shortcuts.ts) and their help sheet.
import { useEffect, useRef, useState } from 'react';
import { describeShortcut, isMac, matchShortcut, shortcuts, type ShortcutId } from '../shortcuts.ts';
import { appActions } from '../state/appStore.ts';
import { chatActions, useChatStore } from '../state/chatStore.ts';

const mac = isMac(navigator.platform);

function focus(selector: string) {
  document.querySelector<HTMLElement>(selector)?.focus();
}

function run(id: ShortcutId, openHelp: () => void): boolean {
  const chat = useChatStore.getState();
  const streaming = chat.messages.some((m) => m.status === 'streaming');
  switch (id) {
    case 'new':
      appActions.show('chat');
      void chatActions.create().then(() => focus('textarea[aria-label="Message"]'));
      return true;
    case 'search':
      focus('input[aria-label="Search all messages"]');
      return true;
    case 'composer':
      appActions.show('chat');
      requestAnimationFrame(() => focus('textarea[aria-label="Message"]'));
      return true;
    case 'stop':
      // Esc in an open dialog closes the dialog and nothing else.
      if (!streaming || document.querySelector('dialog[open]')) return false;
      void chatActions.stop();
      return true;
    case 'regenerate':
      if (streaming || chat.messages.at(-1)?.role !== 'assistant') return false;
      void chatActions.regenerate();
      return true;
    case 'edit': {
      const buttons = document.querySelectorAll<HTMLButtonElement>('[data-testid="message-user"] button.edit');
      const last = buttons[buttons.length - 1];
      if (!last) return false;
      last.click();
      requestAnimationFrame(() => focus('textarea[aria-label="Edit message"]'));
      return true;
    }
    case 'previous':
    case 'next': {
      const list = chat.conversations;
      if (list.length === 0) return false;
      const at = list.findIndex((c) => c.id === chat.currentId);
      const to = id === 'next' ? Math.min(list.length - 1, at + 1) : Math.max(0, at < 0 ? 0 : at - 1);
      appActions.show('chat');
      void chatActions.select(list[to]!.id);
      return true;
    }
    case 'previousVersion':
    case 'nextVersion': {
      const target = document.activeElement;
      // In a text box these keys select by word; leave them to it.
      if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) return false;
      const { siblings } = chat.branches;
      const focused = target?.closest<HTMLElement>('[data-message-id]')?.dataset.messageId;
      const messageId =
        focused && siblings[focused] ? focused : chat.messages.findLast((m) => siblings[m.id] !== undefined)?.id;
      if (!messageId || streaming) return false;
      void chatActions.stepVersion(messageId, id === 'nextVersion' ? 1 : -1);
      return true;
    }
    case 'help':
      openHelp();
      return true;
  }
}

export function Shortcuts() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const id = matchShortcut(event, mac);
      if (id && run(id, () => setOpen(true))) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [open]);
  if (!open) return null;
  return (
    <dialog ref={dialog} className="shortcuts" aria-labelledby="shortcuts-title" onClose={() => setOpen(false)}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.id}>
              <td>
                <kbd>{describeShortcut(s, mac)}</kbd>
              </td>
              <td>{s.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button autoFocus>Close</button>
      </form>
    </dialog>
  );
}

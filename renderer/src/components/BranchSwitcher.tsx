// "‹ 2 / 3 ›" under a message that has other versions (an edit or a regenerated answer), and a way to
// delete the version shown. Disabled while an answer is being written: switching would hide it mid-stream.
import type { Message } from '../../../shared/schemas.ts';
import { chatActions, useChatStore } from '../state/chatStore.ts';

/** The shown version replaces this one on screen: keep the keyboard user's place on its ‹ or › button. */
async function step(messageId: string, by: -1 | 1) {
  const to = await chatActions.stepVersion(messageId, by);
  if (!to) return;
  requestAnimationFrame(() => {
    const group = document.querySelector(`[data-message-id="${CSS.escape(to)}"] [data-testid="branches"]`);
    const buttons = [...(group?.querySelectorAll<HTMLButtonElement>('button[data-step]') ?? [])];
    const same = buttons.find((b) => b.dataset.step === String(by) && !b.disabled);
    (same ?? buttons.find((b) => !b.disabled))?.focus();
  });
}

export function BranchSwitcher({ message }: { message: Message }) {
  const versions = useChatStore((s) => s.branches.siblings[message.id]);
  const busy = useChatStore((s) => s.messages.some((m) => m.status === 'streaming'));
  if (!versions) return null;
  const at = versions.indexOf(message.id);
  const what = message.role === 'user' ? 'message' : 'answer';
  return (
    <div className="branches" role="group" aria-label={`Versions of this ${what}`} data-testid="branches">
      <button
        aria-label={`Previous version of this ${what}`}
        data-step="-1"
        disabled={busy || at <= 0}
        onClick={() => void step(message.id, -1)}
      >
        ‹
      </button>
      <span data-testid="branch-position">
        {at + 1} / {versions.length}
      </span>
      <button
        aria-label={`Next version of this ${what}`}
        data-step="1"
        disabled={busy || at >= versions.length - 1}
        onClick={() => void step(message.id, 1)}
      >
        ›
      </button>
      <button
        className="delete-version"
        aria-label={`Delete version ${at + 1} of this ${what}`}
        disabled={busy}
        onClick={() => {
          if (window.confirm(`Delete version ${at + 1} of ${versions.length} of this ${what}, and what followed it?`))
            void chatActions.deleteVersion(message.id);
        }}
      >
        Delete version
      </button>
    </div>
  );
}

// The view switcher, a WAI-ARIA tab list with manual activation: one tab is in the Tab order, the arrow
// keys (and Home, End) move between tabs, Enter or Space opens the focused one. Opening a view from here
// moves focus into it (App.tsx), so arrowing across the tabs must not open each one on the way.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { appActions, useAppStore, type View } from '../state/appStore.ts';

export const views: { id: View; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'fit', label: 'Fit' },
  { id: 'models', label: 'Models' },
  { id: 'quant', label: 'Quantize' },
  { id: 'routing', label: 'Routing' },
  { id: 'backups', label: 'Backups' },
];

export const tabId = (view: View) => `tab-${view}`;

export function ViewTabs() {
  const view = useAppStore((s) => s.view);
  const list = useRef<HTMLDivElement>(null);
  // The tab the arrows moved to; the selected one again once a view opens.
  const [current, setCurrent] = useState<View>(view);
  useEffect(() => setCurrent(view), [view]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const tabs = [...list.current!.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const to =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? (at + 1) % tabs.length
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? (at - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : -1;
    // Alt+arrows belong to the conversation shortcuts (renderer/src/shortcuts.ts).
    if (to < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    setCurrent(views[to]!.id);
    tabs[to]!.focus();
  };
  return (
    <div className="views" role="tablist" aria-label="Views" ref={list} onKeyDown={onKeyDown}>
      {views.map((v) => (
        <button
          key={v.id}
          id={tabId(v.id)}
          role="tab"
          aria-selected={view === v.id}
          aria-controls="view-panel"
          tabIndex={current === v.id ? 0 : -1}
          onClick={() => appActions.show(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

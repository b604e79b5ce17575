// A windowed list for long conversations: only the items in view (plus a few either side) are in the
// DOM; the others are stand-in space, sized by each item's measured height (or an estimate until it has
// been seen). It sticks to the bottom while the user is there, so a streaming answer stays in view.
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

type RowRef = (el: HTMLDivElement | null) => void;

const ESTIMATE = 96;
const OVERSCAN = 6;

export function VirtualList<T>({
  items,
  keyOf,
  render,
  testId,
  children,
  scrollToKey,
  onScrolledTo,
}: {
  items: T[];
  keyOf: (item: T) => string;
  render: (item: T) => ReactNode;
  testId?: string;
  children?: ReactNode;
  /** An item to bring into view (a search result), then marked until another is chosen. */
  scrollToKey?: string | null;
  onScrolledTo?: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const atBottom = useRef(true);
  // Where the last stick-to-bottom put the list. Only a scroll above it is the user's: one measured
  // after the content grew (a taller answer, a stats line) is still ours, and must not unstick the list.
  const pinnedTop = useRef(0);
  const stick = useRef(0);
  const [viewport, setViewport] = useState({ top: 0, height: 800 });
  const [, remeasured] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const [marked, setMarked] = useState<string | null>(null);
  // One ref callback per row, kept while the row is shown. A new callback on every render would make React
  // detach and attach it each time, and observe() again makes the observer measure (a forced layout of
  // every shown row) on each streamed token.
  const rowRefs = useRef(new Map<string, RowRef>());
  const rowRef = (key: string): RowRef => {
    let ref = rowRefs.current.get(key);
    if (!ref) {
      let observed: HTMLDivElement | null = null;
      ref = (el) => {
        if (observed) observer.current?.unobserve(observed);
        observed = el;
        if (el) observe().observe(el);
        else rowRefs.current.delete(key);
      };
      rowRefs.current.set(key, ref);
    }
    return ref;
  };

  // Made on first use: rows attach their refs before this component's own layout effects run.
  const observe = () =>
    (observer.current ??= new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const key = (entry.target as HTMLElement).dataset.key!;
        const height = (entry.target as HTMLElement).offsetHeight;
        if (heights.current.get(key) !== height) {
          heights.current.set(key, height);
          changed = true;
        }
      }
      if (changed) remeasured((n) => n + 1);
    }));
  useLayoutEffect(
    () => () => {
      observer.current?.disconnect();
      observer.current = null;
    },
    [],
  );

  const offsets = new Array<number>(items.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < items.length; i++)
    offsets[i + 1] = offsets[i]! + (heights.current.get(keyOf(items[i]!)) ?? ESTIMATE);
  let start = 0;
  while (start < items.length && offsets[start + 1]! < viewport.top) start++;
  let end = start;
  while (end < items.length && offsets[end]! < viewport.top + viewport.height) end++;
  start = Math.max(0, start - OVERSCAN);
  end = Math.min(items.length, end + OVERSCAN);

  // After every render: bring a wanted item into view (first to its estimated place so it is rendered,
  // then to the element itself); otherwise, if the user was at the bottom, stay there.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const index = scrollToKey ? items.findIndex((item) => keyOf(item) === scrollToKey) : -1;
    if (index >= 0) {
      atBottom.current = false;
      const row = el.querySelector<HTMLElement>(`[data-key="${CSS.escape(scrollToKey!)}"]`);
      if (row) {
        row.scrollIntoView({ block: 'center' });
        setMarked(scrollToKey!);
        onScrolledTo?.();
      } else {
        el.scrollTop = offsets[index]!;
        setViewport({ top: el.scrollTop, height: el.clientHeight });
      }
      return;
    }
    if (atBottom.current && !stick.current)
      // Once per frame, however many commits the frame had (a delta, a re-measure, the live figures):
      // reading scrollHeight lays out the whole list, a long streaming answer included.
      stick.current = requestAnimationFrame(() => {
        stick.current = 0;
        if (!atBottom.current) return;
        el.scrollTop = el.scrollHeight;
        pinnedTop.current = el.scrollTop;
      });
  });
  useLayoutEffect(() => () => cancelAnimationFrame(stick.current), []);

  return (
    <div
      className="messages"
      data-testid={testId}
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current =
          (atBottom.current && el.scrollTop >= pinnedTop.current - 1) ||
          el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        setViewport({ top: el.scrollTop, height: el.clientHeight });
      }}
    >
      {children}
      <div style={{ height: offsets[start], flexShrink: 0 }} aria-hidden />
      {items.slice(start, end).map((item) => {
        const key = keyOf(item);
        return (
          <div
            key={key}
            data-key={key}
            className={key === marked ? 'found' : undefined}
            data-found={key === marked || undefined}
            ref={rowRef(key)}
          >
            {render(item)}
          </div>
        );
      })}
      <div style={{ height: offsets[items.length]! - offsets[end]!, flexShrink: 0 }} aria-hidden />
    </div>
  );
}

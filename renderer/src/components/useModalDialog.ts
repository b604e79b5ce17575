import { useEffect, useRef } from 'react';

/**
 * A <dialog> shown modally while `open`: the browser keeps the focus inside it and gives it back to where it
 * was when it closes. Focus starts on its [data-initial-focus] element (the choice that runs or sends
 * nothing). `key` re-runs the effect when one request follows another without the dialog closing.
 */
export function useModalDialog(open: boolean, key?: string) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      d.querySelector<HTMLElement>('[data-initial-focus]')?.focus();
    }
    if (!open && d.open) d.close();
  }, [open, key]);
  return dialog;
}

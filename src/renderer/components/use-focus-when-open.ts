import { useEffect, type RefObject } from 'react';

/**
 * Moves the focus into a modal after it opens. The native <dialog> focuses its first control (the
 * close button) when shown, which happens in the Dialog's own effect after ours; waiting a frame lets
 * the field the user needs take the focus instead.
 */
export function useFocusWhenOpen(ref: RefObject<HTMLElement | null>, open: boolean): void {
  useEffect(() => {
    if (!open) return;
    const frame = requestAnimationFrame(() => ref.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [open, ref]);
}

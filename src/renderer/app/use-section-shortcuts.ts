import { useEffect, useEffectEvent } from 'react';
import { SECTIONS, type Section } from '../../shared/models/settings';

/** Reads the digit from the physical key, so Ctrl+1 works on layouts where 1 needs Shift (AZERTY). */
function digitOf(event: KeyboardEvent): number | undefined {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code) ?? /^([1-9])$/.exec(event.key);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Ctrl+1…5 (⌘1…5 on macOS) open the sections in sidebar order, from anywhere in the window. */
export function useSectionShortcuts(onSelect: (section: Section) => void): void {
  const select = useEffectEvent(onSelect);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.repeat) return;
      // A modal dialog owns the keyboard until it closes.
      if (event.target instanceof Element && event.target.closest('dialog[open]')) return;
      const digit = digitOf(event);
      const section = digit === undefined ? undefined : SECTIONS[digit - 1];
      if (!section) return;
      event.preventDefault();
      select(section);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

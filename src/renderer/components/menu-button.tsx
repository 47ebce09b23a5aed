import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import './menu-button.css';

export type MenuEntry =
  | {
      readonly kind: 'item';
      readonly label: string;
      readonly shortcut?: string;
      readonly disabled?: boolean;
      /** A second line under the label (why an item is disabled, what it does). */
      readonly detail?: string;
      readonly onSelect: () => void;
    }
  | { readonly kind: 'check'; readonly label: string; readonly checked: boolean; readonly disabled?: boolean; readonly onSelect: () => void }
  | { readonly kind: 'separator' }
  | { readonly kind: 'heading'; readonly label: string };

export interface MenuButtonProps {
  /** The button's accessible name (and the menu's). */
  label: string;
  /** What the button shows (an icon). */
  children: ReactNode;
  entries: readonly MenuEntry[];
  className?: string;
  /** The button's own class (default: an icon button). */
  buttonClassName?: string;
  disabled?: boolean;
  /** The tooltip, when it should say more than the label. */
  title?: string;
  /** The menu's own name when it differs from the button's (default: the label). */
  menuLabel?: string;
  /** Places the menu at the button on screen (position: fixed), for buttons inside clipping containers (grid cells). */
  floating?: boolean;
}

/**
 * A button with a menu (ARIA menu button): opens on click, Enter, Space or ↓; arrows, Home and End move,
 * Escape closes and gives the focus back. Items may be checkboxes (menuitemcheckbox) and show a shortcut.
 */
export function MenuButton({ label, children, entries, className, buttonClassName = 'icon-button', disabled = false, title, menuLabel, floating = false }: MenuButtonProps): ReactNode {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; right: number } | undefined>(undefined);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('[role^="menuitem"]:not(:disabled)')?.focus();
    const onPointer = (event: PointerEvent): void => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>): void {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]:not(:disabled)') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    let next: HTMLButtonElement | undefined;
    if (event.key === 'ArrowDown') next = items[(at + 1) % items.length];
    else if (event.key === 'ArrowUp') next = items[(at - 1 + items.length) % items.length];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items[items.length - 1];
    else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      setOpen(false);
      button.current?.focus();
      return;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  /** Opens (or toggles) the menu; a floating one is placed under the button, right-aligned to it. */
  function toggle(next?: boolean): void {
    if (floating && button.current) {
      const r = button.current.getBoundingClientRect();
      setPlace({ top: r.bottom + 4, right: Math.max(4, window.innerWidth - r.right) });
    }
    setOpen((was) => next ?? !was);
  }

  function choose(entry: { onSelect: () => void }): void {
    setOpen(false);
    button.current?.focus();
    entry.onSelect();
  }

  return (
    <span className={`menu-button${className ? ` ${className}` : ''}`}>
      <button
        ref={button}
        type="button"
        className={buttonClassName}
        aria-label={label}
        title={title ?? label}
        disabled={disabled}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={(event) => {
          event.stopPropagation();
          toggle();
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            toggle(true);
          }
        }}
      >
        {children}
      </button>
      {open && (
        <div
          ref={menu}
          id={id}
          className="menu-button__list"
          role="menu"
          aria-label={menuLabel ?? label}
          onKeyDown={onMenuKey}
          onClick={(event) => event.stopPropagation()}
          style={floating && place ? { position: 'fixed', top: place.top, right: place.right } : undefined}
        >
          {entries.map((entry, index) => {
            if (entry.kind === 'separator') return <div key={index} role="separator" className="menu-button__separator" />;
            if (entry.kind === 'heading') {
              return (
                <div key={index} className="menu-button__heading" role="presentation">
                  {entry.label}
                </div>
              );
            }
            return (
              <button
                key={index}
                type="button"
                role={entry.kind === 'check' ? 'menuitemcheckbox' : 'menuitem'}
                aria-checked={entry.kind === 'check' ? entry.checked : undefined}
                disabled={entry.disabled}
                className="menu-button__item"
                onClick={() => choose(entry)}
              >
                <span className="menu-button__check" aria-hidden="true">
                  {entry.kind === 'check' && entry.checked ? '✓' : ''}
                </span>
                <span className="menu-button__label">
                  {entry.label}
                  {entry.kind === 'item' && entry.detail !== undefined && <span className="menu-button__detail">{entry.detail}</span>}
                </span>
                {entry.kind === 'item' && entry.shortcut && (
                  <kbd className="menu-button__shortcut" aria-label={`shortcut ${entry.shortcut}`}>
                    {entry.shortcut}
                  </kbd>
                )}
              </button>
            );
          })}
        </div>
      )}
    </span>
  );
}

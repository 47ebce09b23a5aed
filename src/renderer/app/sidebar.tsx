import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Section, ThemePreference } from '../../shared/models/settings';
import { AppMark } from '../components/app-mark';
import { TransferOverlays } from '../features/transfers/transfer-overlays';
import { TransfersBadge } from '../features/transfers/transfers-badge';
import { CostsBadge } from '../features/costs/costs-badge';
import { ariaShortcut, shortcutLabel } from '../components/platform';
import { SECTION_LIST } from './sections';
import { ThemeSwitch } from './theme-switch';

export interface SidebarProps {
  section: Section;
  onSelect: (section: Section) => void;
  theme: ThemePreference;
  onThemeChange: (theme: ThemePreference) => void;
}

const NEXT_KEYS = new Set(['ArrowDown', 'ArrowRight']);
const PREVIOUS_KEYS = new Set(['ArrowUp', 'ArrowLeft']);

/**
 * The section list is one Tab stop (roving tabindex): Tab enters at the current section, arrows,
 * Home and End move between sections, Enter or Space opens one.
 */
export function Sidebar({ section, onSelect, theme, onThemeChange }: SidebarProps): ReactNode {
  const items = useRef<(HTMLButtonElement | null)[]>([]);
  const activeIndex = SECTION_LIST.findIndex((meta) => meta.id === section);
  // Where arrow keys last left the focus; follows the current section whenever that changes.
  const [roving, setRoving] = useState({ index: activeIndex, forSection: section });
  const tabIndex = roving.forSection === section ? roving.index : activeIndex;

  function moveTo(index: number): void {
    const count = SECTION_LIST.length;
    const next = (index + count) % count;
    setRoving({ index: next, forSection: section });
    items.current[next]?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const current = items.current.findIndex((item) => item === document.activeElement);
    if (current === -1) return;
    if (NEXT_KEYS.has(event.key)) moveTo(current + 1);
    else if (PREVIOUS_KEYS.has(event.key)) moveTo(current - 1);
    else if (event.key === 'Home') moveTo(0);
    else if (event.key === 'End') moveTo(SECTION_LIST.length - 1);
    else return;
    event.preventDefault();
  }

  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <AppMark size={24} />
        <span className="sidebar__name">Hangar</span>
      </div>
      <nav aria-label="Sections" className="sidebar__nav">
        <ul className="nav-list" onKeyDown={onKeyDown}>
          {SECTION_LIST.map((meta, index) => {
            const current = meta.id === section;
            return (
              <li key={meta.id}>
                <button
                  type="button"
                  ref={(element) => {
                    items.current[index] = element;
                  }}
                  className="nav-item"
                  aria-current={current ? 'page' : undefined}
                  aria-keyshortcuts={ariaShortcut(meta.shortcut)}
                  tabIndex={index === tabIndex ? 0 : -1}
                  onFocus={() => setRoving({ index, forSection: section })}
                  onClick={() => onSelect(meta.id)}
                >
                  <meta.Icon className="nav-item__icon" size={18} />
                  <span className="nav-item__label">{meta.label}</span>
                  {meta.id === 'transfers' && <TransfersBadge />}
                  {meta.id === 'costs' && <CostsBadge />}
                  <kbd className="nav-item__shortcut" aria-hidden="true">
                    {shortcutLabel(meta.shortcut)}
                  </kbd>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="sidebar__footer">
        <ThemeSwitch value={theme} onChange={onThemeChange} />
      </div>
      {/* The transfer queue's questions and drop notices, over whatever section is open. */}
      <TransferOverlays onShowTransfers={() => onSelect('transfers')} />
    </aside>
  );
}

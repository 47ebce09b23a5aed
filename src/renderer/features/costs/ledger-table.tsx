import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import type { LedgerRow as Row } from '../../../shared/models/costs';
import { ExtraIcons } from '../../components/extra-icons';
import { HEADER_HEIGHT, LEDGER_COLUMNS, LEDGER_GRID_TEMPLATE, LEDGER_TABLE_WIDTH, ROW_HEIGHT } from './ledger-columns';
import type { LedgerSort, LedgerSortKey } from './ledger-query';
import { LedgerRow, ledgerRowDomId } from './ledger-row';

const OVERSCAN = 8;
/** The first commit that put ledger rows on screen (a benchmark may read it). */
export const LEDGER_RENDERED_MARK = 'hangar:ledger-rendered';

export interface LedgerTableProps {
  /** Filtered and sorted. */
  rows: readonly Row[];
  selection: ReadonlySet<string>;
  onSelectionChange: (next: ReadonlySet<string>) => void;
  sort: LedgerSort;
  onSort: (key: LedgerSortKey) => void;
  now: number;
  /** The row the keyboard (or a click) is on, for the details under the table. */
  activeKey: string | undefined;
  onActiveChange: (key: string | undefined) => void;
  accountLabel: (accountId: string) => string | undefined;
}

/**
 * The ledger as a virtualised grid: fixed row height, so only the rows in view (and a few either side)
 * exist in the DOM however many thousands there are. One Tab stop; arrows, Page Up/Down, Home/End move
 * the active row, Space selects (Shift for a range), Ctrl+A selects every shown row, Escape clears.
 */
export function LedgerTable({ rows, selection, onSelectionChange, sort, onSort, now, activeKey, onActiveChange, accountLabel }: LedgerTableProps): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const anchor = useRef<string | undefined>(undefined);
  const marked = useRef(false);
  const selectAll = useRef<HTMLInputElement>(null);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (marked.current || rows.length === 0) return;
    marked.current = true;
    performance.mark(LEDGER_RENDERED_MARK);
  }, [rows.length]);

  const selectedShown = rows.reduce((n, row) => n + (selection.has(row.key) ? 1 : 0), 0);
  const allShown = rows.length > 0 && selectedShown === rows.length;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = selectedShown > 0 && !allShown;
  }, [selectedShown, allShown]);

  const activeIndex = activeKey === undefined ? -1 : rows.findIndex((row) => row.key === activeKey);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport - HEADER_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  const latest = useRef({ rows, selection, onSelectionChange, onActiveChange });
  useLayoutEffect(() => {
    latest.current = { rows, selection, onSelectionChange, onActiveChange };
  });

  const toggle = useCallback((key: string, range: boolean) => {
    const { rows: list, selection: current, onSelectionChange: change, onActiveChange: activate } = latest.current;
    const next = new Set(current);
    const from = anchor.current === undefined ? -1 : list.findIndex((row) => row.key === anchor.current);
    const to = list.findIndex((row) => row.key === key);
    if (range && from !== -1 && to !== -1) {
      const on = !current.has(key) || current.has(list[from]?.key ?? '');
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
        const k = list[i]?.key;
        if (k === undefined) continue;
        if (on) next.add(k);
        else next.delete(k);
      }
    } else if (next.has(key)) {
      next.delete(key);
    } else {
      next.add(key);
    }
    anchor.current = key;
    activate(key);
    change(next);
  }, []);

  const activate = useCallback((key: string) => latest.current.onActiveChange(key), []);

  function moveTo(index: number): void {
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[clamped];
    const element = scroller.current;
    if (!row) return;
    onActiveChange(row.key);
    if (!element) return;
    const top = clamped * ROW_HEIGHT;
    const room = element.clientHeight - HEADER_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + room) element.scrollTop = top + ROW_HEIGHT - room;
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.target !== event.currentTarget) return;
    const page = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(activeIndex === -1 ? 0 : activeIndex - 1);
        break;
      case 'PageDown':
        moveTo(activeIndex + page);
        break;
      case 'PageUp':
        moveTo(activeIndex - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case ' ': {
        const row = rows[activeIndex === -1 ? 0 : activeIndex];
        if (row) toggle(row.key, event.shiftKey);
        break;
      }
      case 'a':
      case 'A':
        if (event.ctrlKey || event.metaKey) onSelectionChange(new Set([...selection, ...rows.map((row) => row.key)]));
        else handled = false;
        break;
      case 'Escape':
        if (selection.size > 0) onSelectionChange(new Set());
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  }

  function toggleAll(): void {
    const next = new Set(selection);
    if (allShown) for (const row of rows) next.delete(row.key);
    else for (const row of rows) next.add(row.key);
    onSelectionChange(next);
  }

  const style = { '--grid-template': LEDGER_GRID_TEMPLATE, '--table-width': `${LEDGER_TABLE_WIDTH}px` } as CSSProperties;
  const activeRendered = activeIndex >= first && activeIndex < last;

  return (
    <div
      ref={scroller}
      className="ledger-grid"
      role="grid"
      aria-label="Costs ledger"
      aria-rowcount={rows.length + 1}
      aria-colcount={LEDGER_COLUMNS.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeRendered && activeKey ? ledgerRowDomId(activeKey) : undefined}
      tabIndex={0}
      style={style}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        if (event.target === event.currentTarget && activeIndex === -1 && rows[0]) onActiveChange(rows[0].key);
      }}
    >
      <div role="rowgroup" className="ledger-grid__head">
        <div role="row" aria-rowindex={1} className="ledger-row ledger-row--head">
          <div role="columnheader" className="ledger-cell ledger-cell--select ledger-cell--sticky">
            <input
              ref={selectAll}
              type="checkbox"
              className="ledger-checkbox"
              tabIndex={-1}
              aria-label="Select all shown rows"
              checked={allShown}
              disabled={rows.length === 0}
              onChange={toggleAll}
            />
          </div>
          {LEDGER_COLUMNS.map((column) => {
            const sorted = sort.key === column.key;
            return (
              <div
                key={column.key}
                role="columnheader"
                aria-sort={sorted ? sort.direction : 'none'}
                className={`ledger-cell ledger-cell--head${column.sticky ? ' ledger-cell--sticky ledger-cell--name' : ''}`}
              >
                <button type="button" className="ledger-sort" onClick={() => onSort(column.key)}>
                  <span>{column.label}</span>
                  {sorted &&
                    (sort.direction === 'ascending' ? (
                      <ExtraIcons.sortUp size={14} className="ledger-sort__icon" />
                    ) : (
                      <ExtraIcons.sortDown size={14} className="ledger-sort__icon" />
                    ))}
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="ledger-grid__body" style={{ height: rows.length * ROW_HEIGHT }}>
        {visible.map((row, offset) => (
          <LedgerRow
            key={row.key}
            row={row}
            index={first + offset}
            selected={selection.has(row.key)}
            active={row.key === activeKey}
            now={now}
            accountLabel={accountLabel(row.accountId)}
            onToggle={toggle}
            onActivate={activate}
          />
        ))}
      </div>
    </div>
  );
}

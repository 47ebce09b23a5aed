import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { useScreenSlots } from '../../state/screen-slots';
import { useInstanceDrop } from './instance-drop';
import { gridTemplate, HEADER_HEIGHT, ROW_HEIGHT, tableWidth } from './instance-columns';
import { useInstanceColumns } from './instance-columns-store';
import { ExtraIcons } from '../../components/extra-icons';
import type { SortKey, SortOrder } from './instance-query';
import { InstanceRow, rowDomId } from './instance-row';
import type { InstanceTypes } from './use-instance-types';

const OVERSCAN = 8;
/** The benchmark reads this mark: the first commit that put instance rows on screen. */
export const RENDERED_MARK = 'hangar:instances-rendered';

export interface InstanceTableProps {
  /** Sorted and filtered. */
  rows: readonly InstanceSummary[];
  selection: ReadonlySet<string>;
  onSelectionChange: (next: ReadonlySet<string>) => void;
  sort: SortOrder;
  onSort: (key: SortKey) => void;
  types: InstanceTypes;
  now: number;
  onCopied: (message: string) => void;
  onConnect: (instance: InstanceSummary, access?: 'instance-connect') => void;
  onConnectionSettings: (instance: InstanceSummary) => void;
  onFiles?: (instance: InstanceSummary) => void;
  /** Opens the instance's CPU and network graph. */
  onMetrics?: (instance: InstanceSummary) => void;
  onWindowsPassword?: (instance: InstanceSummary) => void;
  onDetails?: (instance: InstanceSummary) => void;
  /** Brings this instance into view and makes it the active row (a reminder or notification was clicked); `seq` repeats it. */
  reveal?: { readonly id: string; readonly seq: number } | undefined;
  /** Files dropped on a running instance's row upload there (issue 5). */
  accountId: string;
}

/**
 * A virtualised grid: a fixed row height, so the visible slice is computed from scrollTop alone and
 * only those rows (plus a few either side) exist in the DOM, however many instances there are.
 * One Tab stop; arrows move the active row (aria-activedescendant), Space selects, Ctrl+A selects all.
 */
export function InstanceTable({ rows, selection, onSelectionChange, sort, onSort, types, now, onCopied, onConnect, onConnectionSettings, onFiles, onMetrics, onWindowsPassword, onDetails, reveal, accountId }: InstanceTableProps): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const [activeId, setActiveId] = useState<string>();
  const anchor = useRef<string | undefined>(undefined);
  const marked = useRef(false);
  const selectAll = useRef<HTMLInputElement>(null);
  const { uploads } = useScreenSlots();
  const drop = useInstanceDrop(accountId, rows, rowDomId, uploads);
  const columns = useInstanceColumns();

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
    performance.mark(RENDERED_MARK);
  }, [rows.length]);

  const selectedShown = rows.reduce((count, row) => count + (selection.has(row.id) ? 1 : 0), 0);
  const allShown = rows.length > 0 && selectedShown === rows.length;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = selectedShown > 0 && !allShown;
  }, [selectedShown, allShown]);

  const activeIndex = activeId === undefined ? -1 : rows.findIndex((row) => row.id === activeId);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport - HEADER_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  // The handlers rows receive stay the same between renders, so memoised rows skip re-rendering.
  const latest = useRef({ rows, selection, onSelectionChange });
  useLayoutEffect(() => {
    latest.current = { rows, selection, onSelectionChange };
  });

  const toggle = useCallback((id: string, range: boolean) => {
    const { rows: list, selection: current, onSelectionChange: change } = latest.current;
    const next = new Set(current);
    const from = anchor.current === undefined ? -1 : list.findIndex((row) => row.id === anchor.current);
    const to = list.findIndex((row) => row.id === id);
    if (range && from !== -1 && to !== -1) {
      const on = !current.has(id) || current.has(list[from]?.id ?? '');
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
        const rowId = list[i]?.id;
        if (rowId === undefined) continue;
        if (on) next.add(rowId);
        else next.delete(rowId);
      }
    } else if (next.has(id)) {
      next.delete(id);
    } else {
      next.add(id);
    }
    anchor.current = id;
    setActiveId(id);
    change(next);
  }, []);

  const activate = useCallback((id: string) => setActiveId(id), []);

  function scrollIntoView(index: number): void {
    const element = scroller.current;
    if (!element) return;
    const top = index * ROW_HEIGHT;
    const room = element.clientHeight - HEADER_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + room) element.scrollTop = top + ROW_HEIGHT - room;
  }

  function moveTo(index: number): void {
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[clamped];
    if (!row) return;
    setActiveId(row.id);
    scrollIntoView(clamped);
  }

  // A reminder or a notification asked to show this instance: scroll to it and make it the active row.
  // Once per request (seq); a row that arrives later than the request is revealed when it arrives.
  const revealIndex = reveal === undefined ? -1 : rows.findIndex((row) => row.id === reveal.id);
  const [revealed, setRevealed] = useState<number>();
  if (reveal !== undefined && revealIndex !== -1 && revealed !== reveal.seq) {
    setRevealed(reveal.seq);
    setActiveId(reveal.id);
  }
  useEffect(() => {
    if (revealed !== undefined && revealIndex !== -1) scrollIntoView(revealIndex);
    // Scrolled when a request is taken, not on every later move of the row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealed]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    // Buttons inside the active row handle their own keys.
    if (event.target !== event.currentTarget) return;
    const page = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const current = activeIndex === -1 ? -1 : activeIndex;
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
          moveTo(current + 1);
          return true;
        case 'ArrowUp':
          moveTo(current === -1 ? 0 : current - 1);
          return true;
        case 'PageDown':
          moveTo(current + page);
          return true;
        case 'PageUp':
          moveTo(current - page);
          return true;
        case 'Home':
          moveTo(0);
          return true;
        case 'End':
          moveTo(rows.length - 1);
          return true;
        case ' ': {
          const row = rows[current === -1 ? 0 : current];
          if (row) toggle(row.id, event.shiftKey);
          return true;
        }
        case 'a':
        case 'A':
          if (!(event.ctrlKey || event.metaKey)) return false;
          onSelectionChange(new Set([...selection, ...rows.map((row) => row.id)]));
          return true;
        case 'Escape':
          if (selection.size === 0) return false;
          onSelectionChange(new Set());
          return true;
        default:
          return false;
      }
    })();
    if (handled) event.preventDefault();
  }

  function toggleAll(): void {
    const next = new Set(selection);
    if (allShown) for (const row of rows) next.delete(row.id);
    else for (const row of rows) next.add(row.id);
    onSelectionChange(next);
  }

  const style = { '--grid-template': gridTemplate(columns), '--table-width': `${tableWidth(columns)}px` } as CSSProperties;
  const activeRendered = activeIndex >= first && activeIndex < last;

  return (
    <div
      ref={scroller}
      className="instance-grid"
      role="grid"
      aria-label="Instances"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeRendered && activeId ? rowDomId(activeId) : undefined}
      tabIndex={0}
      style={style}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      {...drop.handlers}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        if (event.target === event.currentTarget && activeIndex === -1 && rows[0]) setActiveId(rows[0].id);
      }}
    >
      <div role="rowgroup" className="instance-grid__head">
        <div role="row" aria-rowindex={1} className="grid-row grid-row--head">
          <div role="columnheader" className="cell cell--select cell--sticky">
            <input
              ref={selectAll}
              type="checkbox"
              className="checkbox"
              tabIndex={-1}
              aria-label="Select all shown instances"
              checked={allShown}
              disabled={rows.length === 0}
              onChange={toggleAll}
            />
          </div>
          {columns.map((column) => {
            const sorted = sort.key === column.key;
            return (
              <div
                key={column.key}
                role="columnheader"
                aria-sort={sorted ? sort.direction : 'none'}
                className={`cell cell--head${column.sticky ? ' cell--sticky cell--name' : ''}`}
              >
                <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                  <span>{column.label}</span>
                  {sorted &&
                    (sort.direction === 'ascending' ? (
                      <ExtraIcons.sortUp size={14} className="sort-button__icon" />
                    ) : (
                      <ExtraIcons.sortDown size={14} className="sort-button__icon" />
                    ))}
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="instance-grid__body" style={{ height: rows.length * ROW_HEIGHT }}>
        {visible.map((instance, offset) => (
          <InstanceRow
            key={instance.id}
            instance={instance}
            index={first + offset}
            selected={selection.has(instance.id)}
            active={instance.id === activeId}
            typeEntry={types.entry(instance.region, instance.type)}
            now={now}
            onToggle={toggle}
            onActivate={activate}
            onCopied={onCopied}
            onConnect={onConnect}
            onConnectionSettings={onConnectionSettings}
            onFiles={onFiles}
            onMetrics={onMetrics}
            onWindowsPassword={onWindowsPassword}
            onDetails={onDetails}
            dropHint={drop.over?.instanceId === instance.id ? drop.over.hint : undefined}
            accountId={accountId}
            columns={columns}
          />
        ))}
      </div>
    </div>
  );
}

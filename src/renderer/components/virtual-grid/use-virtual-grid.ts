import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject, type UIEvent, type FocusEvent } from 'react';
import { HEADER_HEIGHT, ROW_HEIGHT } from './grid-columns';

const OVERSCAN = 8;

export interface VirtualGridOptions<Row> {
  /** Filtered and sorted. */
  rows: readonly Row[];
  keyOf: (row: Row) => string;
  selection: ReadonlySet<string>;
  onSelectionChange: (next: ReadonlySet<string>) => void;
  /** The row the keyboard (or a click) is on. */
  activeKey: string | undefined;
  onActiveChange: (key: string) => void;
  /** A performance mark set at the first commit that put rows on screen (benchmarks read it). */
  renderedMark: string;
}

export interface VirtualGrid<Row> {
  readonly scrollerRef: RefObject<HTMLDivElement | null>;
  readonly selectAllRef: RefObject<HTMLInputElement | null>;
  /** The rows in the DOM: those in view and a few either side; `first` is the index of the first. */
  readonly visible: readonly Row[];
  readonly first: number;
  readonly activeIndex: number;
  /** The active row is among the rendered ones (aria-activedescendant may name it). */
  readonly activeRendered: boolean;
  readonly allShown: boolean;
  /** Selects or unselects a row (`range`: from the last toggled row); the same function every render. */
  toggle(key: string, range: boolean): void;
  /** Makes a row the active one; the same function every render. */
  activate(key: string): void;
  /** Scrolls just enough for the row at `index` to be in view. */
  scrollIntoView(index: number): void;
  toggleAll(): void;
  /** For the grid element: scrolling, the keyboard, and the first focus. */
  readonly handlers: {
    onScroll(event: UIEvent<HTMLDivElement>): void;
    onKeyDown(event: KeyboardEvent<HTMLDivElement>): void;
    onFocus(event: FocusEvent<HTMLDivElement>): void;
  };
}

/**
 * A virtualised, multi-select grid's behaviour, shared by the Instances table and the Costs ledger: a
 * fixed row height, so only the rows in view (and a few either side) exist in the DOM however many
 * thousands there are. One Tab stop; arrows, Page Up/Down, Home/End move the active row, Space selects
 * (Shift for a range), Ctrl/Cmd+A selects every shown row, Escape clears the selection.
 */
export function useVirtualGrid<Row>({ rows, keyOf, selection, onSelectionChange, activeKey, onActiveChange, renderedMark }: VirtualGridOptions<Row>): VirtualGrid<Row> {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const selectAllRef = useRef<HTMLInputElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const anchor = useRef<string | undefined>(undefined);
  const marked = useRef(false);

  useLayoutEffect(() => {
    const element = scrollerRef.current;
    if (!element) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (marked.current || rows.length === 0) return;
    marked.current = true;
    performance.mark(renderedMark);
  }, [rows.length, renderedMark]);

  const selectedShown = rows.reduce((count, row) => count + (selection.has(keyOf(row)) ? 1 : 0), 0);
  const allShown = rows.length > 0 && selectedShown === rows.length;
  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = selectedShown > 0 && !allShown;
  }, [selectedShown, allShown]);

  const activeIndex = activeKey === undefined ? -1 : rows.findIndex((row) => keyOf(row) === activeKey);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport - HEADER_HEIGHT) / ROW_HEIGHT) + OVERSCAN);

  // The handlers rows receive stay the same between renders, so memoised rows skip re-rendering.
  const latest = useRef({ rows, keyOf, selection, onSelectionChange, onActiveChange });
  useLayoutEffect(() => {
    latest.current = { rows, keyOf, selection, onSelectionChange, onActiveChange };
  });

  const toggle = useCallback((key: string, range: boolean) => {
    const { rows: list, keyOf: keyOfRow, selection: current, onSelectionChange: change, onActiveChange: setActive } = latest.current;
    const next = new Set(current);
    const from = anchor.current === undefined ? -1 : list.findIndex((row) => keyOfRow(row) === anchor.current);
    const to = list.findIndex((row) => keyOfRow(row) === key);
    if (range && from !== -1 && to !== -1) {
      const fromRow = list[from];
      const on = !current.has(key) || (fromRow !== undefined && current.has(keyOfRow(fromRow)));
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
        const row = list[i];
        if (row === undefined) continue;
        if (on) next.add(keyOfRow(row));
        else next.delete(keyOfRow(row));
      }
    } else if (next.has(key)) {
      next.delete(key);
    } else {
      next.add(key);
    }
    anchor.current = key;
    setActive(key);
    change(next);
  }, []);

  const activate = useCallback((key: string) => latest.current.onActiveChange(key), []);

  function scrollIntoView(index: number): void {
    const element = scrollerRef.current;
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
    if (row === undefined) return;
    onActiveChange(keyOf(row));
    scrollIntoView(clamped);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    // Buttons inside the active row handle their own keys.
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
        if (row !== undefined) toggle(keyOf(row), event.shiftKey);
        break;
      }
      case 'a':
      case 'A':
        if (event.ctrlKey || event.metaKey) onSelectionChange(new Set([...selection, ...rows.map(keyOf)]));
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
    if (allShown) for (const row of rows) next.delete(keyOf(row));
    else for (const row of rows) next.add(keyOf(row));
    onSelectionChange(next);
  }

  return {
    scrollerRef,
    selectAllRef,
    visible: rows.slice(first, last),
    first,
    activeIndex,
    activeRendered: activeIndex >= first && activeIndex < last,
    allShown,
    toggle,
    activate,
    scrollIntoView,
    toggleAll,
    handlers: {
      onScroll: (event) => setScrollTop(event.currentTarget.scrollTop),
      onKeyDown,
      onFocus: (event) => {
        const firstRow = rows[0];
        if (event.target === event.currentTarget && activeIndex === -1 && firstRow !== undefined) onActiveChange(keyOf(firstRow));
      },
    },
  };
}

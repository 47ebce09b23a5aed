/**
 * Split panes (issue 19) as plain data: a tab of the strip can hold several terminals side by side
 * ('row') or stacked ('column'), each pane its own shell (any instance). Keyed by the tab that shows in the
 * strip (the group's first pane). One direction per tab keeps the layout predictable and keyboard-friendly.
 */
export interface TerminalSplit {
  /** 'grid': as many columns as fit a square (several instances at once, for broadcast input). */
  readonly direction: 'row' | 'column' | 'grid';
  /** Tab ids, in order; the first is the one the strip shows. */
  readonly panes: readonly string[];
  /** Fractions of the space, one per pane, summing to 1. */
  readonly sizes: readonly number[];
  /** The pane that has (or last had) the keyboard. */
  readonly focused: string;
  /** Broadcast input (issue 16): the panes typing goes to; undefined when broadcast is off. */
  readonly broadcast?: readonly string[];
}

export type Splits = Readonly<Record<string, TerminalSplit>>;

const MIN_SIZE = 0.1;

function even(n: number): number[] {
  return Array.from({ length: n }, () => 1 / n);
}

/** The strip tab a terminal belongs to (itself when it is not in a split). */
export function groupOf(splits: Splits, tabId: string): string {
  for (const [primary, split] of Object.entries(splits)) if (split.panes.includes(tabId)) return primary;
  return tabId;
}

/** True for terminals shown as a pane of another tab (they have no tab of their own in the strip). */
export function isSecondary(splits: Splits, tabId: string): boolean {
  return groupOf(splits, tabId) !== tabId;
}

/** Adds `paneId` to the group of `tabId`, right after it; the new pane gets the keyboard. */
export function addPane(splits: Splits, tabId: string, paneId: string, direction: 'row' | 'column'): Splits {
  const primary = groupOf(splits, tabId);
  const current = splits[primary];
  const panes = current ? [...current.panes] : [primary];
  panes.splice(panes.indexOf(tabId) + 1, 0, paneId);
  // A group of one takes the asked direction; a group already split keeps its own.
  const dir = current && current.panes.length > 1 ? current.direction : direction;
  return { ...splits, [primary]: { direction: dir, panes, sizes: even(panes.length), focused: paneId } };
}

/** Takes a terminal out of its group (closed, or moved back to a tab of its own). */
export function removePane(splits: Splits, tabId: string): Splits {
  const primary = groupOf(splits, tabId);
  const current = splits[primary];
  if (!current) return splits;
  const { [primary]: _old, ...rest } = splits;
  const panes = current.panes.filter((id) => id !== tabId);
  if (panes.length < 2) return rest;
  const index = current.panes.indexOf(tabId);
  const focused = current.focused === tabId ? (panes[Math.min(index, panes.length - 1)] as string) : current.focused;
  const broadcast = current.broadcast?.filter((id) => id !== tabId);
  return { ...rest, [panes[0] as string]: { ...current, panes, sizes: even(panes.length), focused, ...(broadcast === undefined ? {} : { broadcast }) } };
}

export function focusPane(splits: Splits, tabId: string): Splits {
  const primary = groupOf(splits, tabId);
  const current = splits[primary];
  return current && current.focused !== tabId ? { ...splits, [primary]: { ...current, focused: tabId } } : splits;
}

/** The pane next to the focused one (wrapping), for the keyboard. */
export function neighbour(splits: Splits, tabId: string, step: 1 | -1): string {
  const current = splits[groupOf(splits, tabId)];
  if (!current) return tabId;
  const index = current.panes.indexOf(tabId);
  return current.panes[(index + step + current.panes.length) % current.panes.length] as string;
}

/** Moves the divider after pane `index` by `delta` (a fraction of the whole); no pane goes below 10 %. */
export function resizePanes(splits: Splits, primary: string, index: number, delta: number): Splits {
  const current = splits[primary];
  if (!current || index < 0 || index >= current.panes.length - 1) return splits;
  const sizes = [...current.sizes];
  const a = sizes[index] as number;
  const b = sizes[index + 1] as number;
  const moved = Math.max(MIN_SIZE - a, Math.min(b - MIN_SIZE, delta));
  sizes[index] = a + moved;
  sizes[index + 1] = b - moved;
  return { ...splits, [primary]: { ...current, sizes } };
}

/** Several terminals as one tab's grid from the start (the first is the strip's tab). */
export function groupPanes(splits: Splits, ids: readonly string[]): Splits {
  const [first] = ids;
  if (first === undefined || ids.length < 2) return splits;
  return { ...splits, [first]: { direction: 'grid', panes: [...ids], sizes: even(ids.length), focused: first } };
}

/** Broadcast on (every pane checked) or off. */
export function setBroadcast(splits: Splits, primary: string, on: boolean): Splits {
  const current = splits[primary];
  if (!current) return splits;
  const { broadcast: _was, ...rest } = current;
  return { ...splits, [primary]: on ? { ...rest, broadcast: [...current.panes] } : rest };
}

/** One pane in or out of the broadcast. */
export function toggleBroadcastPane(splits: Splits, tabId: string): Splits {
  const primary = groupOf(splits, tabId);
  const current = splits[primary];
  if (!current?.broadcast) return splits;
  const has = current.broadcast.includes(tabId);
  const broadcast = has ? current.broadcast.filter((id) => id !== tabId) : current.panes.filter((id) => id === tabId || current.broadcast?.includes(id));
  return { ...splits, [primary]: { ...current, broadcast } };
}

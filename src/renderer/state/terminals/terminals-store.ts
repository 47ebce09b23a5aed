import { api } from '../../api/api-client';
import { connection } from '../../api/connection';
import { createStore, useStore } from '../create-store';
import { TerminalTab } from './terminal-tab';
import type { InstanceTarget } from '../instance-target';
import { addPane, focusPane, groupOf, groupPanes, isSecondary, neighbour, removePane, resizePanes, setBroadcast, toggleBroadcastPane, type Splits } from './terminal-splits';

export interface TerminalsState {
  readonly tabs: readonly TerminalTab[];
  readonly activeId: string | undefined;
  /** Bumped when the workspace should be brought on screen (a tab was opened from elsewhere). */
  readonly revealRequest: number;
  /** Tabs split into panes, keyed by the tab the strip shows (terminal-splits.ts). */
  readonly splits: Splits;
}

const store = createStore<TerminalsState>({ tabs: [], activeId: undefined, revealRequest: 0, splits: {} });

/** The tabs the strip shows: every terminal that is not a pane of another tab. */
export function stripTabs(state: TerminalsState): TerminalTab[] {
  return state.tabs.filter((tab) => !isSecondary(state.splits, tab.id));
}

function set(patch: Partial<TerminalsState>): void {
  store.set({ ...store.get(), ...patch });
}

let started = false;
let resuming: Promise<void> | undefined;

/**
 * Picks up the shells main still runs for this window's predecessor (a reload, a closed window) and
 * re-claims the ones this window's tabs show (after the connection to main came back: the old carrier's
 * session is gone, and with it the address their output went to).
 */
async function resume(): Promise<void> {
  const running = await api.ssh.list().catch(() => []);
  const { tabs, activeId } = store.get();
  const added: TerminalTab[] = [];
  for (const shell of running) {
    const shown = tabs.find((tab) => tab.sessionId === shell.session.sessionId);
    if (shown) void shown.claim(shell.session.sessionId, false);
    else if (shell.detached) added.push(TerminalTab.resume(shell));
  }
  if (added.length > 0) set({ tabs: [...store.get().tabs, ...added], activeId: activeId ?? added[0]?.id });
}

function resumeOnce(): void {
  resuming ??= resume().finally(() => (resuming = undefined));
}

/** The open terminal tabs of this window. Tabs outlive the workspace view (scrollback and all). */
export const terminals = {
  get: store.get,
  subscribe: store.subscribe,
  /** Called once at start-up: takes over the shells that are still running, and again after each reconnect. */
  start(): void {
    if (started) return;
    started = true;
    connection.onReconnect(resumeOnce);
    resumeOnce();
  },
  /** A new tab on the instance; it connects as soon as it is on screen and can measure its size. */
  open(target: InstanceTarget): TerminalTab {
    const tab = new TerminalTab(target);
    const state = store.get();
    set({ tabs: [...state.tabs, tab], activeId: tab.id, revealRequest: state.revealRequest + 1 });
    return tab;
  },
  activate(id: string): void {
    const { tabs, splits } = store.get();
    if (!tabs.some((tab) => tab.id === id)) return;
    // A pane's tab is its group's: showing it shows the group, with that pane focused.
    set({ activeId: groupOf(splits, id), splits: focusPane(splits, id) });
  },
  /** A new shell beside `tabId` (same instance unless another is given), in the same strip tab. */
  split(tabId: string, direction: 'row' | 'column', target?: InstanceTarget): TerminalTab | undefined {
    const state = store.get();
    const from = state.tabs.find((tab) => tab.id === tabId);
    if (!from) return undefined;
    const tab = new TerminalTab(target ?? from.target);
    set({ tabs: [...state.tabs, tab], splits: addPane(state.splits, tabId, tab.id, direction), activeId: groupOf(state.splits, tabId) });
    return tab;
  },
  /** Shows an open terminal (its own tab until now, maybe another instance) as a pane beside `tabId`. */
  join(tabId: string, otherId: string, direction: 'row' | 'column'): void {
    const state = store.get();
    if (tabId === otherId || groupOf(state.splits, otherId) === groupOf(state.splits, tabId)) return;
    // The other tab's own group (if any) is taken apart: only the chosen terminal moves.
    const loosened = removePane(state.splits, otherId);
    set({ splits: addPane(loosened, tabId, otherId, direction), activeId: groupOf(loosened, tabId) });
  },
  /** A pane back to a tab of its own. */
  unsplit(tabId: string): void {
    const state = store.get();
    set({ splits: removePane(state.splits, tabId), activeId: tabId });
  },
  /** A terminal on each instance, shown together as one tab's grid (broadcast input starts off). */
  openGrid(targets: readonly InstanceTarget[]): void {
    if (targets.length === 0) return;
    const state = store.get();
    const opened = targets.map((target) => new TerminalTab(target));
    const ids = opened.map((tab) => tab.id);
    set({ tabs: [...state.tabs, ...opened], splits: groupPanes(state.splits, ids), activeId: ids[0], revealRequest: state.revealRequest + 1 });
  },
  /** Typing in a checked pane goes to every checked pane of the tab (issue 16). */
  setBroadcast(primaryId: string, on: boolean): void {
    set({ splits: setBroadcast(store.get().splits, primaryId, on) });
  },
  toggleBroadcastPane(tabId: string): void {
    set({ splits: toggleBroadcastPane(store.get().splits, tabId) });
  },
  focusPane(tabId: string): void {
    set({ splits: focusPane(store.get().splits, tabId) });
  },
  /** The next (+1) or previous (−1) pane of the tab's group; returns it (to focus its terminal). */
  movePaneFocus(tabId: string, step: 1 | -1): TerminalTab | undefined {
    const state = store.get();
    const next = neighbour(state.splits, tabId, step);
    set({ splits: focusPane(state.splits, next) });
    return state.tabs.find((tab) => tab.id === next);
  },
  resizePanes(primaryId: string, index: number, delta: number): void {
    set({ splits: resizePanes(store.get().splits, primaryId, index, delta) });
  },
  /** Moves to the next (+1) or previous (−1) tab, wrapping around. */
  cycle(step: 1 | -1): void {
    const state = store.get();
    const { activeId } = state;
    const tabs = stripTabs(state);
    if (tabs.length < 2) return;
    const index = tabs.findIndex((tab) => tab.id === activeId);
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next) set({ activeId: next.id });
  },
  /** Closes without asking (the workspace asks first when the tab is busy). */
  close(id: string): void {
    const state = store.get();
    const tab = state.tabs.find((other) => other.id === id);
    if (!tab) return;
    tab.dispose();
    const group = groupOf(state.splits, id);
    const splits = removePane(state.splits, id);
    const tabs = state.tabs.filter((other) => other.id !== id);
    let activeId = state.activeId;
    if (state.activeId === group) {
      // A pane closed: its group stays on screen (under its new first pane when that was the one closed).
      const stillThere = state.splits[group]?.panes.find((pane) => pane !== id);
      if (stillThere !== undefined) activeId = groupOf(splits, stillThere);
      else {
        const strip = stripTabs(state);
        const index = strip.findIndex((other) => other.id === id);
        const left = stripTabs({ ...state, tabs, splits });
        activeId = left[Math.min(index, left.length - 1)]?.id;
      }
    }
    set({ tabs, activeId, splits });
  },
};

export interface UseTerminals extends TerminalsState {
  /** Opens a terminal tab on the instance and makes it the active one. */
  openTerminal(target: InstanceTarget): void;
  /** Terminals on several instances, side by side in one tab. */
  openGrid(targets: readonly InstanceTarget[]): void;
}

/** For any screen: the tabs, and `openTerminal` (the Instances screen's Connect button). */
export function useTerminals(): UseTerminals {
  const current = useStore(terminals);
  return { ...current, openTerminal: (target) => void terminals.open(target), openGrid: (targets) => terminals.openGrid(targets) };
}

/** A tab's connection state, for React. */
export function useTab(tab: TerminalTab): ReturnType<TerminalTab['get']> {
  return useStore(tab);
}

import { api } from '../../api/api-client';
import { connection } from '../../api/connection';
import { createStore, useStore } from '../create-store';
import { TerminalTab } from './terminal-tab';
import type { InstanceTarget } from '../instance-target';

export interface TerminalsState {
  readonly tabs: readonly TerminalTab[];
  readonly activeId: string | undefined;
  /** Bumped when the workspace should be brought on screen (a tab was opened from elsewhere). */
  readonly revealRequest: number;
}

const store = createStore<TerminalsState>({ tabs: [], activeId: undefined, revealRequest: 0 });

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
    if (store.get().tabs.some((tab) => tab.id === id)) set({ activeId: id });
  },
  /** Moves to the next (+1) or previous (−1) tab, wrapping around. */
  cycle(step: 1 | -1): void {
    const { tabs, activeId } = store.get();
    if (tabs.length < 2) return;
    const index = tabs.findIndex((tab) => tab.id === activeId);
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next) set({ activeId: next.id });
  },
  /** Closes without asking (the workspace asks first when the tab is busy). */
  close(id: string): void {
    const state = store.get();
    const index = state.tabs.findIndex((tab) => tab.id === id);
    const tab = state.tabs[index];
    if (!tab) return;
    tab.dispose();
    const tabs = state.tabs.filter((other) => other.id !== id);
    const activeId = state.activeId === id ? (tabs[Math.min(index, tabs.length - 1)]?.id ?? undefined) : state.activeId;
    set({ tabs, activeId });
  },
};

export interface UseTerminals extends TerminalsState {
  /** Opens a terminal tab on the instance and makes it the active one. */
  openTerminal(target: InstanceTarget): void;
}

/** For any screen: the tabs, and `openTerminal` (the Instances screen's Connect button). */
export function useTerminals(): UseTerminals {
  const current = useStore(terminals);
  return { ...current, openTerminal: (target) => void terminals.open(target) };
}

/** A tab's connection state, for React. */
export function useTab(tab: TerminalTab): ReturnType<TerminalTab['get']> {
  return useStore(tab);
}

import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { SessionLogState } from '../../../shared/models/ssh';
import { api } from '../../api/api-client';
import { Icons } from '../../components/icons';
import { MenuButton, type MenuEntry } from '../../components/menu-button';
import { IS_MAC } from '../../components/platform';
import type { TerminalTab } from '../../state/terminals/terminal-tab';
import { terminals, useTab } from '../../state/terminals/terminals-store';
import type { TerminalSettings } from '../../../shared/models/settings';
import { SNIPPETS_SHORTCUT } from './snippet-palette';

export const SPLIT_RIGHT_SHORTCUT = IS_MAC ? '⌘D' : 'Ctrl+Shift+D';
export const SPLIT_DOWN_SHORTCUT = IS_MAC ? '⌘⇧D' : 'Ctrl+Shift+E';
export const PANE_FOCUS_SHORTCUT = IS_MAC ? '⌘⌥←→' : 'Ctrl+Alt+←→';

export interface TerminalMenuProps {
  /** The terminal the menu acts on: the focused pane of the tab on screen. */
  tab: TerminalTab;
  /** Other open terminals that can be shown beside it. */
  others: readonly TerminalTab[];
  /** Whether the terminal is a pane of a split tab. */
  inSplit: boolean;
  /** Whether the tab broadcasts typing to its checked panes. */
  broadcast: boolean;
  onBroadcast: (on: boolean) => void;
  prefs: TerminalSettings | undefined;
  onPrefs: (patch: Partial<TerminalSettings>) => void;
  onSnippets: () => void;
  onError: (error: Error) => void;
}

/** The session log of a terminal, followed while its menu can show it. */
function useSessionLog(tab: TerminalTab): { state: SessionLogState | undefined; refresh: () => void } {
  const { session } = useTab(tab);
  const sessionId = session?.sessionId;
  const [state, setState] = useState<SessionLogState>();
  const refresh = useCallback(() => {
    if (sessionId === undefined) return;
    api.ssh.logState(sessionId).then(setState, () => setState(undefined));
  }, [sessionId]);
  useEffect(() => refresh(), [refresh]);
  return { state: sessionId === undefined ? undefined : state, refresh };
}

/** The terminal's menu: split panes, snippets, and the session log. */
export function TerminalMenu({ tab, others, inSplit, broadcast, onBroadcast, prefs, onPrefs, onSnippets, onError }: TerminalMenuProps): ReactNode {
  const { session } = useTab(tab);
  const log = useSessionLog(tab);
  const sessionId = session?.sessionId;
  const timestamps = prefs?.logTimestamps ?? false;

  function act(work: () => Promise<unknown>): void {
    work().then(
      () => log.refresh(),
      (error: unknown) => onError(error instanceof Error ? error : new Error(String(error))),
    );
  }

  const entries: MenuEntry[] = [
    { kind: 'item', label: 'Split right', shortcut: SPLIT_RIGHT_SHORTCUT, onSelect: () => terminals.split(tab.id, 'row') },
    { kind: 'item', label: 'Split down', shortcut: SPLIT_DOWN_SHORTCUT, onSelect: () => terminals.split(tab.id, 'column') },
    ...others.map((other): MenuEntry => ({ kind: 'item', label: `Show ${other.title} beside`, onSelect: () => terminals.join(tab.id, other.id, 'row') })),
    ...(inSplit
      ? ([
          { kind: 'item', label: 'Move this pane to its own tab', onSelect: () => terminals.unsplit(tab.id) },
          { kind: 'check', label: 'Broadcast typing to all panes', checked: broadcast, onSelect: () => onBroadcast(!broadcast) },
        ] as MenuEntry[])
      : []),
    { kind: 'separator' },
    { kind: 'item', label: 'Snippets…', shortcut: SNIPPETS_SHORTCUT, onSelect: onSnippets },
    { kind: 'separator' },
    {
      kind: 'check',
      label: 'Log this session',
      checked: log.state?.on ?? false,
      disabled: sessionId === undefined,
      onSelect: () => sessionId !== undefined && act(() => api.ssh.setLogging(sessionId, !(log.state?.on ?? false), timestamps)),
    },
    {
      kind: 'item',
      label: 'Open session log',
      disabled: log.state?.path === undefined || sessionId === undefined,
      onSelect: () => sessionId !== undefined && act(() => api.ssh.openLog(sessionId)),
    },
    { kind: 'check', label: 'Log every new terminal', checked: prefs?.logAlways ?? false, onSelect: () => onPrefs({ logAlways: !(prefs?.logAlways ?? false) }) },
    {
      kind: 'check',
      label: 'Timestamps in session logs',
      checked: timestamps,
      onSelect: () => {
        onPrefs({ logTimestamps: !timestamps });
        // A log being written starts a new file with the new choice.
        if (sessionId !== undefined && log.state?.on) act(() => api.ssh.setLogging(sessionId, true, !timestamps));
      },
    },
  ];

  return (
    <>
      <MenuButton label={`Terminal menu for ${tab.title}`} entries={entries} className="terminal-tabs__menu">
        <Icons.more size={16} />
      </MenuButton>
      {log.state?.on && (
        <span className="badge terminal-tabs__logging" role="status" title={log.state.path}>
          Logging
        </span>
      )}
    </>
  );
}

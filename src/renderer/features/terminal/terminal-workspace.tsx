import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DropHintOverlay } from '../../components/drop-hint';
import { EmptyState } from '../../components/empty-state';
import { HostKeyDialog } from '../../components/host-key-dialog';
import { Icons } from '../../components/icons';
import { IS_MAC } from '../../components/platform';
import { useScreenSlots, type ConnectionSettingsTarget } from '../../state/screen-slots';
import type { TerminalTab } from '../../state/terminals/terminal-tab';
import { stripTabs, terminals, useTab, useTerminals } from '../../state/terminals/terminals-store';
import { groupOf as groupOfTab } from '../../state/terminals/terminal-splits';
import { useSettings } from '../../state/use-settings';
import { ErrorNotice } from '../../components/error-notice';
import { SnippetPalette } from './snippet-palette';
import { SplitView } from './split-view';
import { TerminalMenu } from './terminal-menu';
import { ConnectionSettingsDialog } from './connection-settings-dialog';
import { ShellUploadButtons } from './shell-upload-buttons';
import { useTerminalDrop } from './terminal-drop';
import { TerminalView } from './terminal-view';
import '../../components/fields.css';
import './terminal.css';

export interface TerminalWorkspaceProps {
  /** Shows the SSH keys panel (offered when an instance's key is missing). */
  onOpenKeys?: () => void;
  /** Shown in the empty state: where terminals come from (e.g. a button to the Instances screen). */
  emptyAction?: ReactNode;
}

/**
 * Terminal tabs: a tab strip (an ARIA tablist: arrows move, Ctrl+Tab / Ctrl+Shift+Tab cycle from
 * anywhere, Ctrl/⌘+Shift+T opens another shell on the same instance) and one xterm per tab.
 */
export function TerminalWorkspace({ onOpenKeys, emptyAction }: TerminalWorkspaceProps): ReactNode {
  const state = useTerminals();
  const { tabs, activeId, splits } = state;
  const strip = stripTabs(state);
  const { uploads } = useScreenSlots();
  const { settings, update: updateSettings } = useSettings();
  const [paletteFor, setPaletteFor] = useState<string>();
  const [menuError, setMenuError] = useState<Error>();
  const [searchFor, setSearchFor] = useState<string>();
  const [confirming, setConfirming] = useState<TerminalTab>();
  const [settingsFor, setSettingsFor] = useState<ConnectionSettingsTarget>();
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());
  const baseId = useId();
  const active = tabs.find((tab) => tab.id === activeId);
  // The terminal the toolbar and the menu act on: the focused pane of the tab on screen.
  const focusedId = (activeId !== undefined ? splits[activeId]?.focused : undefined) ?? activeId;
  const focused = tabs.find((tab) => tab.id === focusedId);
  const paletteTab = tabs.find((tab) => tab.id === paletteFor);

  // Shortcuts pressed inside a terminal come through the tab (xterm owns the keyboard there).
  useEffect(() => {
    const unsubscribes = tabs.map((tab) =>
      tab.onShortcut((shortcut) => {
        if (shortcut === 'new-tab') terminals.open(tab.target);
        else if (shortcut === 'split-right' || shortcut === 'split-down') terminals.split(tab.id, shortcut === 'split-right' ? 'row' : 'column');
        else if (shortcut === 'pane-next' || shortcut === 'pane-prev') {
          const next = terminals.movePaneFocus(tab.id, shortcut === 'pane-next' ? 1 : -1);
          requestAnimationFrame(() => next?.focus());
        } else if (shortcut === 'snippets') setPaletteFor(tab.id);
        else setSearchFor(tab.id);
      }),
    );
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }, [tabs]);

  // Broadcast input: each checked pane echoes what is typed in it to the other checked panes of its tab.
  useEffect(() => {
    for (const tab of tabs) {
      const split = splits[groupOfTab(splits, tab.id)];
      const checked = split?.broadcast;
      tab.setEchoTo(checked?.includes(tab.id) ? tabs.filter((other) => checked.includes(other.id)) : []);
    }
  }, [tabs, splits]);

  async function requestClose(tab: TerminalTab): Promise<void> {
    if (await tab.busy()) setConfirming(tab);
    else closeTab(tab);
  }

  function closeTab(tab: TerminalTab): void {
    const wasActive = tab.id === terminals.get().activeId;
    terminals.close(tab.id);
    if (searchFor === tab.id) setSearchFor(undefined);
    const next = terminals.get().activeId;
    if (wasActive && next) requestAnimationFrame(() => tabRefs.current.get(next)?.focus());
  }

  function onTabKeyDown(event: ReactKeyboardEvent<HTMLButtonElement>, tab: TerminalTab): void {
    const index = strip.indexOf(tab);
    let target: TerminalTab | undefined;
    if (event.key === 'ArrowRight') target = strip[(index + 1) % strip.length];
    else if (event.key === 'ArrowLeft') target = strip[(index - 1 + strip.length) % strip.length];
    else if (event.key === 'Home') target = strip[0];
    else if (event.key === 'End') target = strip[strip.length - 1];
    else if (event.key === 'Delete') {
      event.preventDefault();
      void requestClose(tab);
      return;
    }
    if (!target) return;
    event.preventDefault();
    terminals.activate(target.id);
    tabRefs.current.get(target.id)?.focus();
  }

  function onWorkspaceKeyDown(event: ReactKeyboardEvent<HTMLDivElement>): void {
    // Outside a terminal (tab strip, overlays): the same cycling keys.
    if (event.ctrlKey && event.key === 'Tab') {
      event.preventDefault();
      const fromTabStrip = event.target instanceof HTMLElement && event.target.getAttribute('role') === 'tab';
      terminals.cycle(event.shiftKey ? -1 : 1);
      const next = terminals.get().activeId;
      if (next) focusTab(next, fromTabStrip ? 'tab' : 'terminal');
    }
  }

  /** After the panel is shown: the tab button (keyboard in the strip) or the terminal itself. */
  function focusTab(id: string, where: 'tab' | 'terminal'): void {
    requestAnimationFrame(() => {
      if (where === 'tab') tabRefs.current.get(id)?.focus();
      else {
        const { tabs: all, splits: groups } = terminals.get();
        const pane = groups[id]?.focused ?? id;
        all.find((tab) => tab.id === pane)?.focus();
      }
    });
  }

  if (tabs.length === 0) {
    return (
      <EmptyState icon={<Icons.instances size={28} />} title="No terminals open" actions={emptyAction}>
        Choose Connect on a running instance to open a shell here. Several tabs can share one connection to an instance.
      </EmptyState>
    );
  }

  return (
    <div className="terminal-workspace" onKeyDown={onWorkspaceKeyDown}>
      <div className="terminal-tabs" role="tablist" aria-label="Terminals">
        {strip.map((tab) => (
          <TabButton
            key={tab.id}
            tab={tab}
            panes={splits[tab.id]?.panes.length ?? 1}
            selected={tab.id === activeId}
            tabId={`${baseId}-tab-${tab.id}`}
            panelId={`${baseId}-panel-${tab.id}`}
            buttonRef={(element) => {
              if (element) tabRefs.current.set(tab.id, element);
              else tabRefs.current.delete(tab.id);
            }}
            onSelect={() => {
              terminals.activate(tab.id);
              focusTab(tab.id, 'terminal');
            }}
            onClose={() => void requestClose(tab)}
            onKeyDown={(event) => onTabKeyDown(event, tab)}
          />
        ))}
        {active && (
          <button
            type="button"
            className="icon-button terminal-tabs__new"
            aria-label={`New terminal on ${active.target.name}`}
            title={`New terminal on ${active.target.name} (${IS_MAC ? '⌘⇧T' : 'Ctrl+Shift+T'})`}
            onClick={() => terminals.open(active.target)}
          >
            <Icons.plus size={16} />
          </button>
        )}
        {focused && uploads && <ShellUploadButtons tab={focused} uploads={uploads} />}
        {focused && (
          <TerminalMenu
            tab={focused}
            others={strip.filter((tab) => tab.id !== activeId)}
            inSplit={activeId !== undefined && splits[activeId] !== undefined}
            broadcast={activeId !== undefined && splits[activeId]?.broadcast !== undefined}
            onBroadcast={(on) => activeId !== undefined && terminals.setBroadcast(activeId, on)}
            prefs={settings?.terminal}
            onPrefs={(patch) => void updateSettings({ terminal: patch }).catch((error: unknown) => setMenuError(error instanceof Error ? error : new Error(String(error))))}
            onSnippets={() => setPaletteFor(focused.id)}
            onError={setMenuError}
          />
        )}
      </div>
      {menuError && (
        <div className="terminal-workspace__error">
          <ErrorNotice error={menuError} title="That did not work" onDismiss={() => setMenuError(undefined)} />
        </div>
      )}
      {strip.map((tab) => {
        const split = splits[tab.id];
        const paneProps: Omit<PaneProps, 'pane'> = {
          active: tab.id === activeId,
          searchFor,
          onClose: closeTab,
          onOpenKeys,
          onConnectionSettings: setSettingsFor,
          onSearchClose: () => setSearchFor(undefined),
        };
        return (
          <div
            key={tab.id}
            className="terminal-panel"
            role="tabpanel"
            id={`${baseId}-panel-${tab.id}`}
            aria-labelledby={`${baseId}-tab-${tab.id}`}
            hidden={tab.id !== activeId}
          >
            {split ? <SplitView primaryId={tab.id} split={split} tabs={tabs} renderPane={(pane) => <Pane pane={pane} {...paneProps} />} /> : <Pane pane={tab} {...paneProps} />}
          </div>
        );
      })}
      {focused && <HostKeyPrompt key={focused.id} tab={focused} onCancel={() => closeTab(focused)} />}
      {paletteTab && settings && (
        <SnippetPalette
          tab={paletteTab}
          snippets={settings.snippets}
          onSave={(snippets) => updateSettings({ snippets })}
          onClose={() => {
            setPaletteFor(undefined);
            requestAnimationFrame(() => paletteTab.focus());
          }}
        />
      )}
      {settingsFor && <ConnectionSettingsDialog key={settingsFor.instanceId} target={settingsFor} onClose={() => setSettingsFor(undefined)} />}
      <ConfirmDialog
        open={confirming !== undefined}
        title="Close this terminal?"
        cancelLabel="Keep it open"
        confirmLabel="Close terminal"
        onConfirm={() => {
          if (confirming) closeTab(confirming);
        }}
        onClose={() => setConfirming(undefined)}
      >
        <p>
          Something is still running in {confirming?.title ?? 'this terminal'}. Closing the tab ends it
          {confirming?.get().session?.persistent ? ' — unless it runs inside the persistent tmux session, which keeps going on the instance.' : '.'}
        </p>
      </ConfirmDialog>
    </div>
  );
}

interface TabButtonProps {
  tab: TerminalTab;
  /** How many terminals the tab shows (split panes). */
  panes: number;
  selected: boolean;
  tabId: string;
  panelId: string;
  buttonRef: (element: HTMLButtonElement | null) => void;
  onSelect: () => void;
  onClose: () => void;
  onKeyDown: (event: ReactKeyboardEvent<HTMLButtonElement>) => void;
}

function TabButton({ tab, panes, selected, tabId, panelId, buttonRef, onSelect, onClose, onKeyDown }: TabButtonProps): ReactNode {
  const snapshot = useTab(tab);
  const { uploads } = useScreenSlots();
  // Dragging files over a tab brings its shell forward; dropping uploads into its current folder.
  const drop = useTerminalDrop(tab, uploads, { onEnter: () => terminals.activate(tab.id) });
  const title = snapshot.session?.title ?? tab.target.name;
  const state = snapshot.status.kind;
  const stateLabel =
    state === 'open' ? '' : state === 'connecting' ? 'connecting' : state === 'lost' ? 'connection lost' : state === 'exited' ? 'exited' : state === 'stopped' ? 'instance stopped' : state === 'closed' ? 'closed' : 'not connected';
  return (
    <div className={`terminal-tab${selected ? ' terminal-tab--selected' : ''}`} {...drop.handlers}>
      <button
        ref={buttonRef}
        type="button"
        role="tab"
        id={tabId}
        aria-selected={selected}
        aria-controls={panelId}
        tabIndex={selected ? 0 : -1}
        className="terminal-tab__button"
        onClick={onSelect}
        onKeyDown={onKeyDown}
        aria-label={`${title}${snapshot.session?.persistent ? ', persistent (tmux)' : ''}${stateLabel ? `, ${stateLabel}` : ''}${panes > 1 ? `, split in ${panes} panes` : ''}`}
      >
        <span className={`terminal-tab__dot terminal-tab__dot--${state}`} aria-hidden="true" />
        <span className="terminal-tab__title">{title}</span>
        {panes > 1 && (
          <span className="badge terminal-tab__badge" aria-hidden="true">
            +{panes - 1}
          </span>
        )}
        {snapshot.session?.persistent && (
          <span className="badge badge--accent terminal-tab__badge" aria-hidden="true">
            persistent ({snapshot.session.persistentTool ?? 'tmux'})
          </span>
        )}
      </button>
      <button type="button" className="icon-button terminal-tab__close" aria-label={`Close ${title}`} tabIndex={-1} onClick={onClose}>
        <Icons.close size={14} />
      </button>
      {drop.hint && <DropHintOverlay hint={drop.hint} />}
    </div>
  );
}

function HostKeyPrompt({ tab, onCancel }: { tab: TerminalTab; onCancel: () => void }): ReactNode {
  const { status } = useTab(tab);
  if (status.kind !== 'host-key-unknown') return null;
  return (
    <HostKeyDialog
      instanceName={tab.target.name}
      instanceId={tab.target.instanceId}
      fingerprint={status.fingerprint}
      keyType={status.keyType}
      onTrust={() => void tab.connect(status.fingerprint)}
      onCancel={onCancel}
    />
  );
}

interface PaneProps {
  pane: TerminalTab;
  active: boolean;
  searchFor: string | undefined;
  onClose: (tab: TerminalTab) => void;
  onOpenKeys: (() => void) | undefined;
  onConnectionSettings: (target: ConnectionSettingsTarget) => void;
  onSearchClose: () => void;
}

/** One terminal of a tab (the whole tab, or one of its split panes). */
function Pane({ pane, active, searchFor, onClose, onOpenKeys, onConnectionSettings, onSearchClose }: PaneProps): ReactNode {
  return (
    <TerminalView
      tab={pane}
      active={active}
      onClose={() => onClose(pane)}
      onOpenKeys={onOpenKeys}
      onConnectionSettings={() => onConnectionSettings({ instanceId: pane.target.instanceId, name: pane.target.name })}
      searchOpen={searchFor === pane.id}
      onSearchClose={onSearchClose}
    />
  );
}

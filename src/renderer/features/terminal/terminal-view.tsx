import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '../../components/button';
import { DropHintOverlay } from '../../components/drop-hint';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { UnlockKeyForm } from '../../components/unlock-key-form';
import { useScreenSlots } from '../../state/screen-slots';
import type { TerminalTab } from '../../state/terminals/terminal-tab';
import { useTab } from '../../state/terminals/terminals-store';
import { HostKeyChangedPanel } from './host-key-changed-panel';
import { useTerminalDrop } from './terminal-drop';
import { TerminalSearchBar } from './terminal-search-bar';

export interface TerminalViewProps {
  tab: TerminalTab;
  active: boolean;
  /** Ask (if busy) and close this tab. */
  onClose: () => void;
  /** Opens the SSH keys panel (for "key missing"). */
  onOpenKeys?: (() => void) | undefined;
  /** Opens this instance's connection settings (to forget a pinned host key after checking). */
  onConnectionSettings?: (() => void) | undefined;
  searchOpen: boolean;
  onSearchClose: () => void;
}

/**
 * The xterm of one tab, with what sits over it: connecting, connection lost (Reconnect keeps the
 * scrollback), exited (Reopen), and errors. Output never passes through here: the tab writes it
 * straight into xterm; this component only gives the terminal a place on the page and a size.
 */
export function TerminalView({ tab, active, onClose, onOpenKeys, onConnectionSettings, searchOpen, onSearchClose }: TerminalViewProps): ReactNode {
  const container = useRef<HTMLDivElement>(null);
  const snapshot = useTab(tab);
  const { status } = snapshot;
  const [busyAction, setBusyAction] = useState(false);
  const { uploads, UpdateMyIpButton } = useScreenSlots();
  // Files dropped on the shell upload into its current folder.
  const drop = useTerminalDrop(tab, uploads);

  // Attach while on screen; the terminal itself lives on in the tab.
  useEffect(() => {
    const element = container.current;
    if (!element || !active) return;
    tab.attach(element);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => tab.fitNow());
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [tab, active]);

  // Focus the shell when it (re)connects on screen; switching tabs leaves focus where the user put it.
  const lastStatus = useRef(status.kind);
  useEffect(() => {
    const was = lastStatus.current;
    lastStatus.current = status.kind;
    if (active && status.kind === 'open' && was !== 'open') tab.focus();
  }, [tab, active, status.kind]);

  async function run(action: () => Promise<void>): Promise<void> {
    setBusyAction(true);
    try {
      await action();
    } finally {
      setBusyAction(false);
    }
  }

  return (
    <div className="terminal-view" {...drop.handlers}>
      {drop.hint && <DropHintOverlay hint={drop.hint} placement="center" />}
      {searchOpen && <TerminalSearchBar tab={tab} onClose={onSearchClose} />}
      <div className="terminal-view__screen" ref={container} />
      {status.kind === 'connecting' && (
        <div className="terminal-view__status" role="status">
          <span className="spinner spinner--small" aria-hidden="true" />
          Connecting to {tab.target.name}…
        </div>
      )}
      {status.kind === 'lost' && (
        <OverlayCard
          title="Connection lost"
          text={`${
            status.error
              ? `${status.error.message}${status.error.hint ? ` ${status.error.hint}` : ''}`
              : (status.message ?? 'The link to the instance dropped. The output above is kept.')
          }${snapshot.session?.persistent ? ' Your session runs in tmux on the instance, so reconnecting picks up where you left off.' : ''}`}
          action={status.reconnecting ? 'Reconnecting…' : 'Reconnect'}
          busy={status.reconnecting}
          onAction={() => void tab.reconnect()}
          onClose={onClose}
        />
      )}
      {status.kind === 'stopped' && (
        <OverlayCard
          title="The instance was stopped"
          text={
            status.error
              ? `${status.error.message}${status.error.hint ? ` ${status.error.hint}` : ''}`
              : `${tab.target.name} is stopped, so this shell ended. The output above is kept. Start the instance to open a new shell; it bills by the hour again once it runs.`
          }
          action={status.starting ? 'Starting…' : 'Start instance'}
          busy={status.starting}
          onAction={() => void tab.startInstance()}
          onClose={onClose}
        />
      )}
      {status.kind === 'exited' && (
        <div className="terminal-view__footer" role="status">
          <span>
            The shell exited{status.exitCode === undefined ? '' : ` with code ${status.exitCode}`}.
          </span>
          <Button size="s" variant="primary" icon={<Icons.retry size={16} />} disabled={busyAction} onClick={() => void run(() => tab.connect())}>
            Reopen
          </Button>
          <Button size="s" onClick={onClose}>
            Close tab
          </Button>
        </div>
      )}
      {status.kind === 'failed' && (
        <div className="terminal-overlay">
          <div className="terminal-overlay__notice">
            <ErrorNotice error={status.error} title={`Could not connect to ${tab.target.name}`} onRetry={() => void tab.connect()}>
              <div className="terminal-overlay__actions">
                {status.error.code === 'SSH_KEY_PASSPHRASE_NEEDED' && typeof status.error.details?.keyId === 'string' && (
                  <UnlockKeyForm
                    keyId={status.error.details.keyId}
                    keyName={typeof status.error.details.name === 'string' ? status.error.details.name : 'this key'}
                    onUnlocked={() => void tab.connect()}
                  />
                )}
                {status.error.code === 'SSH_TIMEOUT' && (
                  <UpdateMyIpButton instance={{ accountId: tab.target.accountId, region: tab.target.region, instanceId: tab.target.instanceId }} />
                )}
                {status.error.code === 'SSH_KEY_MISSING' && onOpenKeys && (
                  <Button size="s" variant="primary" onClick={onOpenKeys}>
                    Import key…
                  </Button>
                )}
                {!status.error.retryable && (
                  <Button size="s" icon={<Icons.retry size={16} />} onClick={() => void tab.connect()}>
                    Try again
                  </Button>
                )}
                <Button size="s" variant="ghost" onClick={onClose}>
                  Close tab
                </Button>
              </div>
            </ErrorNotice>
          </div>
        </div>
      )}
      {status.kind === 'host-key-changed' && (
        <HostKeyChangedPanel
          instanceName={tab.target.name}
          instanceId={tab.target.instanceId}
          error={status.error}
          onConnectionSettings={onConnectionSettings}
          onClose={onClose}
        />
      )}
    </div>
  );
}

interface OverlayCardProps {
  title: string;
  text: string;
  action: string;
  busy: boolean;
  onAction(): void;
  onClose(): void;
}

/** The card over a shell that ended by itself: what happened, the one action that helps, and Close tab. */
function OverlayCard({ title, text, action, busy, onAction, onClose }: OverlayCardProps): ReactNode {
  return (
    <div className="terminal-overlay" role="alert" aria-label={title}>
      <div className="terminal-overlay__card">
        <Icons.disconnected size={24} className="terminal-overlay__icon" />
        <p className="terminal-overlay__title">{title}</p>
        <p className="terminal-overlay__text">{text}</p>
        <div className="terminal-overlay__actions">
          <Button variant="primary" icon={<Icons.retry size={16} />} disabled={busy} onClick={onAction}>
            {action}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Close tab
          </Button>
        </div>
      </div>
    </div>
  );
}

import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { Button } from '../../components/button';
import { Icons } from '../../components/icons';
import { activeAccount, useAccounts } from '../../state/accounts-store';
import { tunnelFlow, useTunnelFlow, type TunnelTarget } from './tunnel-flow';
import { TunnelFlowDialogs } from './tunnel-flow-dialogs';

export interface TunnelButtonsProps {
  /** The selection of the instance table; the buttons act when it is one running instance. */
  selected: readonly InstanceSummary[];
}

/**
 * Jupyter in one click for the selected running instance, and a menu with TensorBoard and Forward port….
 * The steps that follow (host key, start Jupyter?, install command, result) are shown by TunnelFlowDialogs.
 */
export function TunnelButtons({ selected }: TunnelButtonsProps): ReactNode {
  const accounts = useAccounts();
  const flow = useTunnelFlow();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const account = accounts.status === 'ready' ? activeAccount(accounts.accounts) : undefined;
  const instance = selected.length === 1 && selected[0]?.state === 'running' ? selected[0] : undefined;
  const target: TunnelTarget | undefined =
    instance && account ? { instance: { accountId: account.id, region: instance.region, instanceId: instance.id }, name: instance.name ?? instance.id } : undefined;
  const busy = flow.step === 'working';
  const why = selected.length === 1 ? 'Tunnels need a running instance' : 'Select one running instance';

  useEffect(() => {
    if (!menuOpen) return;
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const close = (event: MouseEvent): void => {
      if (!menu.current?.contains(event.target as Node) && event.target !== menuButton.current) setMenuOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [menuOpen]);

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>): void {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      setMenuOpen(false);
      menuButton.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = (at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[next]?.focus();
    } else if (event.key === 'Tab') {
      setMenuOpen(false);
    }
  }

  function choose(action: (t: TunnelTarget) => void): void {
    setMenuOpen(false);
    if (target) action(target);
  }

  return (
    <>
      <Button
        size="s"
        icon={<Icons.tunnels size={16} />}
        disabled={!target || busy}
        title={target ? `Open Jupyter on ${target.name} in your browser, through an SSH tunnel` : why}
        onClick={() => target && tunnelFlow.jupyter(target)}
      >
        Jupyter
      </Button>
      <span className="tunnel-menu">
        <button
          ref={menuButton}
          type="button"
          className="button button--secondary button--small"
          aria-haspopup="menu"
          aria-expanded={menuOpen}
          title={target ? 'TensorBoard, or forward any port' : why}
          disabled={!target || busy}
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span className="button__label">More tunnels</span>
        </button>
        {menuOpen && (
          <div ref={menu} className="tunnel-menu__list" role="menu" aria-label="Tunnels" onKeyDown={onMenuKey}>
            <button type="button" role="menuitem" className="tunnel-menu__item" onClick={() => choose((t) => tunnelFlow.tensorBoard(t))}>
              TensorBoard (port 6006)
            </button>
            <button type="button" role="menuitem" className="tunnel-menu__item" onClick={() => choose((t) => tunnelFlow.askForward(t))}>
              Forward port…
            </button>
          </div>
        )}
      </span>
      <TunnelFlowDialogs />
    </>
  );
}

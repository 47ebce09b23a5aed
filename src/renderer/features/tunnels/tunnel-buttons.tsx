import type { ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { Button } from '../../components/button';
import { Icons } from '../../components/icons';
import { MenuButton } from '../../components/menu-button';
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
  const account = accounts.status === 'ready' ? activeAccount(accounts.accounts) : undefined;
  const instance = selected.length === 1 && selected[0]?.state === 'running' ? selected[0] : undefined;
  const target: TunnelTarget | undefined =
    instance && account ? { instance: { accountId: account.id, region: instance.region, instanceId: instance.id }, name: instance.name ?? instance.id } : undefined;
  const busy = flow.step === 'working';
  const why = selected.length === 1 ? 'Tunnels need a running instance' : 'Select one running instance';

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
      <MenuButton
        label="More tunnels"
        menuLabel="Tunnels"
        title={target ? 'TensorBoard, or forward any port' : why}
        buttonClassName="button button--secondary button--small"
        disabled={!target || busy}
        entries={[
          { kind: 'item', label: 'TensorBoard (port 6006)', onSelect: () => target && tunnelFlow.tensorBoard(target) },
          { kind: 'item', label: 'Forward port…', onSelect: () => target && tunnelFlow.askForward(target) },
        ]}
      >
        <span className="button__label">More tunnels</span>
      </MenuButton>
      <TunnelFlowDialogs />
    </>
  );
}

import type { ReactNode } from 'react';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { accountsStore, activeAccount, useAccounts } from '../../state/accounts-store';
import { useScreenSlots } from '../../state/screen-slots';
import { useTerminals } from '../../state/terminals/terminals-store';
import { InstanceDashboard } from './instance-dashboard';
import '../../components/fields.css';
import './instances.css';

export interface InstancesScreenProps {
  onNavigate: (section: Section) => void;
}

export function InstancesScreen({ onNavigate }: InstancesScreenProps): ReactNode {
  const accounts = useAccounts();
  const { tabs } = useTerminals();
  const { TerminalWorkspace } = useScreenSlots();

  if (accounts.status === 'loading') {
    return (
      <p className="busy-line instances-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        Loading accounts…
      </p>
    );
  }
  if (accounts.status === 'failed') {
    return <ErrorNotice title="Could not load your accounts" error={accounts.error} onRetry={() => accountsStore.reload()} />;
  }
  const account = activeAccount(accounts.accounts);
  if (!account) {
    return (
      <EmptyState
        icon={<Icons.instances size={32} />}
        title="Add an AWS account to see your instances"
        actions={
          <Button variant="primary" trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('accounts')}>
            Go to Accounts
          </Button>
        }
      >
        <p>Once an account is added, Hangar lists its EC2 instances from every region, so you can start, stop and connect to them here.</p>
      </EmptyState>
    );
  }
  // Keyed by account: switching accounts starts a fresh view (selection, filters, polling).
  const dashboard = <InstanceDashboard key={account.id} account={account} />;
  if (tabs.length === 0) return dashboard;
  // Terminals open under the table, so the instance list stays in reach while working in a shell.
  return (
    <div className="instances-split">
      <div className="instances-split__table">{dashboard}</div>
      <section className="instances-split__terminals" aria-label="Terminals">
        <TerminalWorkspace onOpenKeys={() => onNavigate('accounts')} />
      </section>
    </div>
  );
}

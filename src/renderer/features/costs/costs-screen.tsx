import type { ReactNode } from 'react';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { accountsStore, activeAccount, useAccounts } from '../../state/accounts-store';
import { CostsDashboard } from './costs-dashboard';
import '../../components/fields.css';
import './costs.css';

export interface CostsScreenProps {
  onNavigate: (section: Section) => void;
}

/**
 * Everything that bills, what it costs, and how to stop it. Says "nothing is costing you money" only once
 * every region has answered with nothing in it, never before and never while a region failed.
 */
export function CostsScreen({ onNavigate }: CostsScreenProps): ReactNode {
  const accounts = useAccounts();
  if (accounts.status === 'loading') {
    return (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" />
        Loading accounts…
      </p>
    );
  }
  if (accounts.status === 'failed') {
    return <ErrorNotice title="Could not load your accounts" error={accounts.error} onRetry={() => accountsStore.reload()} />;
  }
  const active = activeAccount(accounts.accounts);
  if (!active) {
    return (
      <EmptyState
        icon={<Icons.costs size={32} />}
        title="Add an AWS account to see what it costs"
        actions={
          <Button variant="primary" trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('accounts')}>
            Go to Accounts
          </Button>
        }
      >
        <p>Once an account is added, Hangar lists everything that bills in every region — instances, their disks, snapshots, AMIs, Elastic IPs — with its price and a way to clean it up.</p>
      </EmptyState>
    );
  }
  return <CostsDashboard key={active.id} accounts={accounts.accounts} active={active} onNavigate={onNavigate} />;
}

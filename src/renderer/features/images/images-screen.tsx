import type { ReactNode } from 'react';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { accountsStore, activeAccount, useAccounts } from '../../state/accounts-store';
import { ImagesDashboard } from './images-dashboard';
import '../../components/fields.css';
import './images.css';

export interface ImagesScreenProps {
  onNavigate: (section: Section) => void;
}

/** The account's AMIs and snapshots, region by region (issue 14). */
export function ImagesScreen({ onNavigate }: ImagesScreenProps): ReactNode {
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
        icon={<Icons.images size={32} />}
        title="Add an AWS account to see its images and snapshots"
        actions={
          <Button variant="primary" trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('accounts')}>
            Go to Accounts
          </Button>
        }
      >
        <p>Once an account is added, Hangar lists its AMIs and EBS snapshots in each region, and lets you share, copy, restore and clean them up.</p>
      </EmptyState>
    );
  }
  return <ImagesDashboard key={active.id} accountId={active.id} defaultRegion={active.defaultRegion} onNavigate={onNavigate} />;
}

import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { ExtraIcons } from '../../components/extra-icons';
import { ACCESS_KEY_GUIDE_URL } from './access-key-guide';
import { AccountCard } from './account-card';
import { accountsStore, useAccounts } from '../../state/accounts-store';
import { AddAccountDialog } from './add-account-dialog';
import { ImportProfilesDialog } from './import-profiles-dialog';
import { RemoveAccountDialog } from './remove-account-dialog';
import { useScreenSlots } from '../../state/screen-slots';
import './accounts.css';

export interface AccountsScreenProps {
  /** Why the keychain cannot hold a secret right now, if it cannot. */
  keychainProblem: HangarError | undefined;
  onRetryKeychain: () => void;
}

export function AccountsScreen({ keychainProblem, onRetryKeychain }: AccountsScreenProps): ReactNode {
  const state = useAccounts();
  const { KeysPanel, RemindersPanel } = useScreenSlots();
  const [dialog, setDialog] = useState<'add' | 'import'>();
  const [removing, setRemoving] = useState<AccountSummary>();
  const [openError, setOpenError] = useState<HangarError>();
  const [announcement, setAnnouncement] = useState('');

  function openGuide(): void {
    setOpenError(undefined);
    api.app.openExternal(ACCESS_KEY_GUIDE_URL).catch((error: unknown) => setOpenError(toHangarError(error)));
  }

  function added(account: AccountSummary): void {
    accountsStore.upsert(account);
    setAnnouncement(`Added ${account.label || 'account'}${account.awsAccountId ? ` (AWS account ${account.awsAccountId})` : ''}.`);
  }

  const accounts = state.status === 'ready' ? state.accounts : [];
  const addButtons = (
    <>
      <Button variant="primary" icon={<Icons.plus size={16} />} onClick={() => setDialog('add')}>
        Add account
      </Button>
      <Button icon={<ExtraIcons.import size={16} />} onClick={() => setDialog('import')}>
        Import from AWS CLI
      </Button>
    </>
  );

  return (
    <>
      {keychainProblem && <ErrorNotice title="Accounts need the system keychain" error={keychainProblem} onRetry={onRetryKeychain} />}
      {openError && <ErrorNotice error={openError} onDismiss={() => setOpenError(undefined)} />}
      {state.status === 'failed' && <ErrorNotice title="Could not load your accounts" error={state.error} onRetry={() => accountsStore.reload()} />}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {state.status === 'loading' && (
        <p className="busy-line accounts-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading accounts…
        </p>
      )}
      {state.status === 'ready' && accounts.length === 0 && (
        <EmptyState
          icon={<Icons.accounts size={32} />}
          title="No AWS accounts yet"
          actions={
            <>
              {addButtons}
              <Button variant="ghost" trailingIcon={<Icons.external size={14} />} onClick={openGuide}>
                How to create an access key
              </Button>
            </>
          }
        >
          <p>
            To add one you need an <strong>access key from IAM</strong>: an access key ID and its secret access key. The secret is kept in your
            system keychain, never in a file. Already use the AWS CLI? Import its profiles instead.
          </p>
        </EmptyState>
      )}
      {accounts.length > 0 && (
        <>
          <div className="toolbar">
            <p className="toolbar__summary">
              {accounts.length === 1 ? '1 account' : `${accounts.length} accounts`}. Instances shows the active one.
            </p>
            <div className="toolbar__actions">{addButtons}</div>
          </div>
          <ul className="account-list" aria-label="AWS accounts">
            {accounts.map((account) => (
              <AccountCard key={account.id} account={account} onRemove={setRemoving} />
            ))}
          </ul>
        </>
      )}
      {/* Keys live beside the accounts: an instance's key pair is the other half of "getting in". */}
      <KeysPanel />
      {/* Preferences about money live with the accounts that spend it. */}
      <RemindersPanel />
      <AddAccountDialog open={dialog === 'add'} onClose={() => setDialog(undefined)} onOpenGuide={openGuide} onAdded={added} />
      <ImportProfilesDialog open={dialog === 'import'} onClose={() => setDialog(undefined)} onImported={added} />
      <RemoveAccountDialog
        account={removing}
        onClose={() => setRemoving(undefined)}
        onRemoved={(id) => {
          accountsStore.forget(id);
          setAnnouncement('Account removed.');
        }}
      />
    </>
  );
}

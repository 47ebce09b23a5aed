import type { ReactNode } from 'react';
import type { AccountSummary } from '../../../shared/models/accounts';
import { api } from '../../api/api-client';
import { ConfirmDialog } from '../../components/confirm-dialog';

export interface RemoveAccountDialogProps {
  /** The account to remove; undefined while closed. */
  account: AccountSummary | undefined;
  onClose: () => void;
  onRemoved: (accountId: string) => void;
}

/** Says exactly what removing forgets (and what it leaves alone) before doing it. */
export function RemoveAccountDialog({ account, onClose, onRemoved }: RemoveAccountDialogProps): ReactNode {
  return (
    <ConfirmDialog
      open={account !== undefined}
      title={account ? `Remove ${account.label || 'this account'}?` : 'Remove account?'}
      confirmLabel="Remove account"
      busyLabel="Removing…"
      focusCancel
      onConfirm={async () => {
        if (!account) return;
        await api.accounts.remove(account.id);
        onRemoved(account.id);
      }}
      onClose={onClose}
    >
      {account && (
        <>
          {account.source.kind === 'keys' ? (
            <p>
              Hangar forgets this account and <strong>wipes its access key and secret from your system keychain</strong>. To use it again you
              will need the secret access key, which IAM shows only once.
            </p>
          ) : (
            <p>
              Hangar forgets this account. Nothing of it is in the keychain: the profile <code>{account.source.profile}</code> stays in your AWS
              CLI configuration as it is.
            </p>
          )}
          <p className="dialog__note">Nothing changes in AWS: your instances keep running and the key stays valid in IAM.</p>
        </>
      )}
    </ConfirmDialog>
  );
}

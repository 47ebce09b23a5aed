import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';

export interface RemoveAccountDialogProps {
  /** The account to remove; undefined while closed. */
  account: AccountSummary | undefined;
  onClose: () => void;
  onRemoved: (accountId: string) => void;
}

/** Says exactly what removing forgets (and what it leaves alone) before doing it. */
export function RemoveAccountDialog({ account, onClose, onRemoved }: RemoveAccountDialogProps): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();

  function close(): void {
    setBusy(false);
    setError(undefined);
    onClose();
  }

  async function remove(): Promise<void> {
    if (!account) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.accounts.remove(account.id);
      onRemoved(account.id);
      close();
    } catch (caught) {
      setBusy(false);
      setError(toHangarError(caught));
    }
  }

  const keys = account?.source.kind === 'keys';
  return (
    <Dialog
      open={account !== undefined}
      title={account ? `Remove ${account.label || 'this account'}?` : 'Remove account?'}
      onClose={close}
      footer={
        <>
          <Button onClick={close} autoFocus>
            Cancel
          </Button>
          <Button className="button--danger" onClick={() => void remove()} disabled={busy}>
            {busy ? 'Removing…' : 'Remove account'}
          </Button>
        </>
      }
    >
      {account && (
        <>
          {keys ? (
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
          {error && <ErrorNotice error={error} />}
        </>
      )}
    </Dialog>
  );
}

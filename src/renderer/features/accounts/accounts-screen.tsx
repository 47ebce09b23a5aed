import { useState, type ReactNode } from 'react';
import { api } from '../../api/api-client';
import { track } from '../../app/connection';
import { toHangarError } from '../../app/to-hangar-error';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { ACCESS_KEY_GUIDE_URL } from './access-key-guide';
import { AddAccountDialog } from './add-account-dialog';

export interface AccountsScreenProps {
  /** Why the keychain cannot hold a secret right now, if it cannot. */
  keychainProblem: HangarError | undefined;
  onRetryKeychain: () => void;
}

export function AccountsScreen({ keychainProblem, onRetryKeychain }: AccountsScreenProps): ReactNode {
  const [dialogOpen, setDialogOpen] = useState(false);
  const [openError, setOpenError] = useState<HangarError>();

  function openGuide(): void {
    setOpenError(undefined);
    track(api.app.openExternal(ACCESS_KEY_GUIDE_URL)).catch((error: unknown) => setOpenError(toHangarError(error)));
  }

  return (
    <>
      {keychainProblem && (
        <ErrorNotice title="Accounts need the system keychain" error={keychainProblem} onRetry={onRetryKeychain} />
      )}
      {openError && <ErrorNotice error={openError} onDismiss={() => setOpenError(undefined)} />}
      <EmptyState
        icon={<Icons.accounts size={32} />}
        title="No AWS accounts yet"
        actions={
          <>
            <Button variant="primary" icon={<Icons.plus size={16} />} onClick={() => setDialogOpen(true)}>
              Add account
            </Button>
            <Button variant="ghost" trailingIcon={<Icons.external size={14} />} onClick={openGuide}>
              How to create an access key
            </Button>
          </>
        }
      >
        <p>
          To add one you need an <strong>access key from IAM</strong>: an access key ID and its secret access key. The secret is kept in your
          system keychain, never in a file.
        </p>
      </EmptyState>
      <AddAccountDialog open={dialogOpen} onClose={() => setDialogOpen(false)} onOpenGuide={openGuide} />
    </>
  );
}

import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { WindowsPassword } from '../../../shared/models/windows';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import type { InstanceTarget } from '../../state/instance-target';
import './windows.css';

type Load = { status: 'loading' } | { status: 'ready'; password: WindowsPassword } | { status: 'failed'; error: HangarError };

/**
 * A Windows instance's Administrator password, decrypted in main with the key pair's private key. It lives
 * in this dialog's state only: closing the dialog forgets it, opening it again asks AWS again.
 */
export function WindowsPasswordDialog({ target, onClose }: { target: InstanceTarget; onClose: () => void }): ReactNode {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const [rdp, setRdp] = useState<{ busy: boolean; error?: HangarError; opened?: boolean }>({ busy: false });
  const [copied, setCopied] = useState('');
  const reload = useCallback(() => {
    setLoad({ status: 'loading' });
    setRound((n) => n + 1);
  }, []);

  useEffect(() => {
    let live = true;
    api.windows.password({ accountId: target.accountId, region: target.region, instanceId: target.instanceId }).then(
      (password) => live && setLoad({ status: 'ready', password }),
      (error: unknown) => live && setLoad({ status: 'failed', error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
  }, [target.accountId, target.region, target.instanceId, round]);

  function openRdp(): void {
    setRdp({ busy: true });
    api.windows.openRdp({ accountId: target.accountId, region: target.region, instanceId: target.instanceId }).then(
      () => setRdp({ busy: false, opened: true }),
      (error: unknown) => setRdp({ busy: false, error: toHangarError(error) }),
    );
  }

  let body: ReactNode;
  if (load.status === 'loading') {
    body = (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" /> Getting the password from AWS and decrypting it with your key…
      </p>
    );
  } else if (load.status === 'failed') {
    const notReady = load.error.code === 'WINDOWS_PASSWORD_NOT_READY';
    body = <ErrorNotice title={notReady ? 'Password not ready yet' : 'Could not get the password'} error={load.error} onRetry={reload} />;
  } else {
    const { password } = load;
    body = (
      <>
        <dl className="windows-credentials">
          <dt>User</dt>
          <dd>
            <span className="mono">{password.user}</span>
          </dd>
          <dt>Password</dt>
          <dd className="windows-credentials__password">
            <span className="mono" data-testid="windows-password">
              {password.password}
            </span>
            <CopyButton variant="labelled" label="Copy password" ariaLabel="Copy the Administrator password" text={password.password} onCopied={setCopied} />
          </dd>
          {password.host !== undefined && (
            <>
              <dt>Address</dt>
              <dd>
                <span className="mono">{password.host}</span>
              </dd>
            </>
          )}
        </dl>
        <p className="windows-note">
          Decrypted on this computer with the key “{password.keyName}”. Hangar does not keep it: it is gone when this dialog closes. Remote Desktop
          asks for it when it connects — paste it there.
        </p>
        <p className="visually-hidden" role="status">
          {copied}
        </p>
        {rdp.error && <ErrorNotice title="Could not open Remote Desktop" error={rdp.error} onDismiss={() => setRdp({ busy: false })} />}
        {rdp.opened && (
          <p className="windows-note" role="status">
            Opened a Remote Desktop file for {target.name} (user {password.user}).
          </p>
        )}
      </>
    );
  }

  return (
    <Dialog
      open
      title={`Windows password — ${target.name}`}
      onClose={onClose}
      footer={
        <>
          <Button
            icon={<Icons.external size={16} />}
            onClick={openRdp}
            disabled={load.status !== 'ready' || load.password.host === undefined || rdp.busy}
            aria-label={`Open Remote Desktop to ${target.name}`}
          >
            Open RDP
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {body}
    </Dialog>
  );
}

import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';

export interface PassphraseDialogProps {
  /** The file being imported; undefined while closed. */
  fileName: string | undefined;
  /** A wrong passphrase from the last try. */
  error: HangarError | undefined;
  busy: boolean;
  onSubmit: (passphrase: string, remember: boolean) => void;
  onCancel: () => void;
}

/** An encrypted key: ask for its passphrase, and whether to keep it in the system keychain. */
export function PassphraseDialog({ fileName, error, busy, onSubmit, onCancel }: PassphraseDialogProps): ReactNode {
  const [passphrase, setPassphrase] = useState('');
  const [remember, setRemember] = useState(true);
  const formId = 'key-passphrase-form';

  function cancel(): void {
    setPassphrase('');
    setRemember(true);
    onCancel();
  }

  return (
    <Dialog
      open={fileName !== undefined}
      title="This key is protected by a passphrase"
      onClose={cancel}
      footer={
        <>
          <Button onClick={cancel}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} disabled={busy || passphrase === ''}>
            {busy ? 'Importing…' : 'Import key'}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        className="keys-passphrase"
        onSubmit={(event) => {
          event.preventDefault();
          if (passphrase !== '') onSubmit(passphrase, remember);
        }}
      >
        <p>
          <span className="mono">{fileName}</span> is encrypted. Enter its passphrase to import it.
        </p>
        <Field label="Passphrase" value={passphrase} onChange={setPassphrase} secret autoFocus error={error} />
        <label className="check-label">
          <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
          <span>
            Remember in keychain
            <span className="keys-passphrase__aside"> Hangar needs it to unlock the key each time it connects.</span>
          </span>
        </label>
      </form>
    </Dialog>
  );
}

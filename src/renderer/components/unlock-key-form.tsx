import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import { api } from '../api/api-client';
import { toHangarError } from '../api/to-hangar-error';
import { Button } from './button';
import { Field } from './field';
import './unlock-key-form.css';

export interface UnlockKeyFormProps {
  keyId: string;
  keyName: string;
  /** Connects again once the key is unlocked. */
  onUnlocked: () => void;
}

/**
 * Shown when Connect needs an encrypted key whose passphrase Hangar does not hold (not remembered, or a new
 * run of the app). The passphrase goes to main, which checks it against the key; it is never kept here.
 */
export function UnlockKeyForm({ keyId, keyName, onUnlocked }: UnlockKeyFormProps): ReactNode {
  const [passphrase, setPassphrase] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();

  async function unlock(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await api.keys.unlock(keyId, passphrase, remember);
      setPassphrase('');
      onUnlocked();
    } catch (caught: unknown) {
      setError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="terminal-unlock"
      aria-label={`Unlock ${keyName}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (passphrase !== '' && !busy) void unlock();
      }}
    >
      <Field label={`Passphrase for ${keyName}`} value={passphrase} onChange={setPassphrase} secret autoFocus error={error} />
      <label className="terminal-unlock__remember">
        <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
        <span>Remember in the system keychain</span>
      </label>
      <Button size="s" variant="primary" type="submit" disabled={busy || passphrase === ''}>
        {busy ? 'Unlocking…' : 'Unlock and connect'}
      </Button>
    </form>
  );
}

import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { KeyPairInfo, LaunchImage, RegionScope } from '../../../shared/models/launch';
import type { SshKeySummary } from '../../../shared/models/ssh';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useRemote, type Remote } from './use-remote';

export interface KeyStepProps {
  scope: RegionScope;
  image: LaunchImage;
  pairs: Remote<KeyPairInfo[]>;
  selected: KeyPairInfo | undefined;
  onSelect: (pair: KeyPairInfo) => void;
}

const NAME_RE = /^[\x20-\x7E]{1,255}$/;

/** Use a pair (showing whether Hangar holds its key), create one (key → keychain), or import a Hangar key. */
export function KeyStep({ scope, image, pairs, selected, onSelect }: KeyStepProps): ReactNode {
  const [name, setName] = useState('');
  const [keyType, setKeyType] = useState<'ed25519' | 'rsa'>(image.needsRsa ? 'rsa' : 'ed25519');
  const [busy, setBusy] = useState<'create' | 'import' | 'save'>();
  const [error, setError] = useState<HangarError>();
  const [created, setCreated] = useState<KeyPairInfo>();
  const [saved, setSaved] = useState<string>();
  const [importId, setImportId] = useState('');
  const localKeys = useRemote<SshKeySummary[]>('keys', () => api.keys.list());
  const effectiveType = image.needsRsa ? 'rsa' : keyType;
  const nameProblem = name.trim() === '' ? undefined : NAME_RE.test(name.trim()) ? undefined : 'Use printable ASCII characters only (1–255).';

  /** Runs one of the step's actions: its button shows busy, and a failure is shown under the step. */
  async function busyWhile(kind: 'create' | 'import' | 'save', action: () => Promise<void>): Promise<void> {
    setBusy(kind);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(undefined);
    }
  }

  async function create(): Promise<void> {
    if (name.trim() === '' || nameProblem) return;
    await busyWhile('create', async () => {
      const pair = await api.launch.createKeyPair({ ...scope, keyName: name.trim(), keyType: effectiveType });
      setCreated(pair);
      setSaved(undefined);
      setName('');
      pairs.reload();
      onSelect(pair);
    });
  }

  async function importKey(): Promise<void> {
    if (importId === '') return;
    await busyWhile('import', async () => {
      const pair = await api.launch.importKeyPair({ ...scope, keyId: importId });
      pairs.reload();
      onSelect(pair);
    });
  }

  async function save(pair: KeyPairInfo): Promise<void> {
    const { localKeyId } = pair;
    if (localKeyId === undefined) return;
    await busyWhile('save', async () => {
      const path = await api.launch.saveKeyFile(localKeyId, pair.keyName);
      if (path !== undefined) setSaved(path);
    });
  }

  const list = pairs.value ?? [];
  const importable = (localKeys.value ?? []).filter((k) => (k.type === 'ssh-ed25519' || k.type === 'ssh-rsa') && !list.some((p) => p.localKeyId === k.id));

  return (
    <div className="launch-step">
      <fieldset className="launch-group">
        <legend className="launch-group__title">Key pairs in {scope.region}</legend>
        {pairs.status === 'loading' && (
          <p className="busy-line" role="status">
            <span className="spinner" aria-hidden="true" /> Listing key pairs…
          </p>
        )}
        {pairs.status === 'failed' && <ErrorNotice title="Could not list key pairs" error={pairs.error} onRetry={pairs.reload} />}
        {pairs.status === 'ready' && list.length === 0 && <p className="launch-note">No key pairs in this region yet: create one below.</p>}
        {list.length > 0 && (
          <div className="launch-options" role="radiogroup" aria-label="Key pairs">
            {list.map((pair) => (
              <label key={pair.keyName} className={`launch-option${selected?.keyName === pair.keyName ? ' launch-option--checked' : ''}`}>
                <input type="radio" name="launch-key" aria-label={pair.keyName} checked={selected?.keyName === pair.keyName} onChange={() => onSelect(pair)} />
                <span className="launch-option__main">
                  <span className="launch-option__title">
                    {pair.keyName} <span className="badge">{pair.keyType}</span>
                    {pair.localKeyId !== undefined ? <span className="badge badge--ok">Key in Hangar</span> : <span className="badge badge--warn">Key not in Hangar</span>}
                  </span>
                  <span className="launch-option__meta mono">{pair.fingerprint}</span>
                </span>
              </label>
            ))}
          </div>
        )}
        {selected && selected.localKeyId === undefined && (
          <p className="launch-callout launch-callout--warn" role="note">
            Hangar does not hold the private key of “{selected.keyName}”. SSH will need that key: import its .pem in Accounts → SSH keys before connecting.
          </p>
        )}
      </fieldset>

      <fieldset className="launch-group">
        <legend className="launch-group__title">Create a key pair</legend>
        <p className="launch-note">AWS makes the key; its private half goes straight into this computer’s keychain. Nothing is written to disk unless you save a copy.</p>
        <div className="launch-inline">
          <Field
            label="Key pair name"
            value={name}
            onChange={setName}
            error={nameProblem}
            placeholder="my-laptop"
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                void create();
              }
            }}
          />
          <label className="launch-check">
            Type
            <select
              className="select select--small"
              aria-label="Key type"
              value={effectiveType}
              disabled={image.needsRsa}
              onChange={(event) => setKeyType(event.target.value as 'ed25519' | 'rsa')}
            >
              <option value="ed25519">ED25519 (recommended)</option>
              <option value="rsa">RSA 2048</option>
            </select>
          </label>
          <Button variant="primary" onClick={() => void create()} disabled={busy !== undefined || name.trim() === '' || nameProblem !== undefined}>
            {busy === 'create' ? 'Creating…' : 'Create key pair'}
          </Button>
        </div>
        {image.needsRsa && <p className="launch-note">This image needs an RSA key (Windows decrypts its password with it).</p>}
        {created && (
          <div className="launch-callout" role="status">
            Created “{created.keyName}”; its private key is in the keychain.{' '}
            <Button size="s" onClick={() => void save(created)} disabled={busy !== undefined}>
              Save .pem…
            </Button>
            {saved && <span className="launch-note"> Saved to {saved} (readable only by you).</span>}
          </div>
        )}
      </fieldset>

      {importable.length > 0 && (
        <fieldset className="launch-group">
          <legend className="launch-group__title">Import a key Hangar holds</legend>
          <p className="launch-note">Sends only the public key to AWS, as a key pair of the same name.</p>
          <div className="launch-inline">
            <select className="select" aria-label="Key to import" value={importId} onChange={(event) => setImportId(event.target.value)}>
              <option value="">Choose a key…</option>
              {importable.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} ({k.type})
                </option>
              ))}
            </select>
            <Button onClick={() => void importKey()} disabled={busy !== undefined || importId === ''}>
              {busy === 'import' ? 'Importing…' : 'Import to AWS'}
            </Button>
          </div>
        </fieldset>
      )}
      {error && <ErrorNotice error={error} onDismiss={() => setError(undefined)} />}
    </div>
  );
}

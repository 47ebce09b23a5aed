import { useId, useState, type DragEvent, type ReactNode } from 'react';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { LocalGrant } from '../../../shared/models/local-grants';
import type { SshKeySummary } from '../../../shared/models/ssh';
import { api } from '../../api/api-client';
import { grantsOfDrop } from '../../api/dropped-files';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { NameDialog } from '../../components/name-dialog';
import { keysStore, useKeys } from './keys-store';
import { PassphraseDialog } from './passphrase-dialog';
import '../../components/fields.css';
import './keys.css';

interface PendingPassphrase {
  file: LocalGrant;
  rest: LocalGrant[];
  error: HangarError | undefined;
}

const FORMAT_LABELS: Record<SshKeySummary['format'], string> = { openssh: 'OpenSSH', pem: 'PEM', ppk: 'PuTTY .ppk' };

/**
 * SSH private keys: import (native picker; dropped files where the shell can say where they are),
 * list with type and SHA256 fingerprint, rename, remove. The key material goes to the keychain in main.
 */
export function KeysPanel(): ReactNode {
  const keys = useKeys();
  const headingId = useId();
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<HangarError>();
  const [notice, setNotice] = useState<string>();
  const [passphrase, setPassphrase] = useState<PendingPassphrase>();
  const [renaming, setRenaming] = useState<SshKeySummary>();
  const [removing, setRemoving] = useState<SshKeySummary>();
  const [dragging, setDragging] = useState(false);

  async function importFiles(files: LocalGrant[]): Promise<void> {
    const [file, ...rest] = files;
    if (file === undefined) {
      setImporting(false);
      return;
    }
    setImporting(true);
    try {
      const key = await api.keys.import({ grant: file.id });
      keysStore.upsert(key);
      setNotice(`Imported ${key.name} (${key.fingerprintSha256}).`);
      await importFiles(rest);
    } catch (caught) {
      const wrapped = toHangarError(caught);
      if (wrapped.code === 'SSH_KEY_PASSPHRASE_NEEDED') {
        setPassphrase({ file, rest, error: undefined });
        return;
      }
      setError(wrapped);
      await importFiles(rest);
    }
  }

  async function pickAndImport(): Promise<void> {
    setError(undefined);
    setNotice(undefined);
    try {
      await importFiles(await api.keys.pickFiles());
    } catch (caught) {
      setImporting(false);
      setError(toHangarError(caught));
    }
  }

  async function submitPassphrase(value: string, remember: boolean): Promise<void> {
    if (!passphrase) return;
    setImporting(true);
    try {
      const key = await api.keys.import({ grant: passphrase.file.id, passphrase: value, rememberPassphrase: remember });
      keysStore.upsert(key);
      setNotice(`Imported ${key.name} (${key.fingerprintSha256}).`);
      const rest = passphrase.rest;
      setPassphrase(undefined);
      await importFiles(rest);
    } catch (caught) {
      const wrapped = toHangarError(caught);
      setImporting(false);
      if (wrapped.code === 'SSH_KEY_PASSPHRASE_NEEDED' || wrapped.code === 'SSH_KEY_INVALID') setPassphrase({ ...passphrase, error: wrapped });
      else {
        setPassphrase(undefined);
        setError(wrapped);
      }
    }
  }

  function onDrop(event: DragEvent<HTMLElement>): void {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files.length;
    void grantsOfDrop(event.dataTransfer).then(
      (granted) => {
        const files = granted.filter((item) => item.kind === 'file');
        if (dropped > 0 && files.length === 0) {
          setError(
            new HangarError({
              code: 'INVALID_ARGUMENT',
              message: 'Dropped files cannot be imported here.',
              hint: 'Use Import key… to choose the key file instead.',
            }),
          );
          return;
        }
        setError(undefined);
        void importFiles(files);
      },
      (caught: unknown) => setError(toHangarError(caught)),
    );
  }

  return (
    <section
      className={`keys-panel${dragging ? ' keys-panel--dragging' : ''}`}
      aria-labelledby={headingId}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="keys-panel__header">
        <div>
          <h2 className="keys-panel__title" id={headingId}>
            SSH keys
          </h2>
          <p className="keys-panel__description">
            Private keys for your instances' key pairs: OpenSSH, PEM (the .pem from the AWS console) or PuTTY .ppk. They are kept in your
            system keychain; an instance uses the key named like its key pair.
          </p>
        </div>
        <Button variant="primary" icon={<Icons.plus size={16} />} onClick={() => void pickAndImport()} disabled={importing}>
          {importing ? 'Importing…' : 'Import key…'}
        </Button>
      </header>
      {error && <ErrorNotice error={error} onDismiss={() => setError(undefined)} />}
      {notice && !error && (
        <p className="keys-panel__notice" role="status">
          <Icons.check size={16} /> {notice}
        </p>
      )}
      {keys.status === 'loading' && (
        <p className="keys-panel__empty" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> Loading keys…
        </p>
      )}
      {keys.status === 'failed' && <ErrorNotice error={keys.error} onRetry={keysStore.reload} />}
      {keys.status === 'ready' && keys.keys.length === 0 && (
        <p className="keys-panel__empty">No keys yet. Import the private key of the key pair your instances were launched with.</p>
      )}
      {keys.status === 'ready' && keys.keys.length > 0 && (
        <ul className="keys-list" aria-label="SSH keys">
          {keys.keys.map((key) => (
            <KeyRow key={key.id} sshKey={key} onRename={() => setRenaming(key)} onRemove={() => setRemoving(key)} />
          ))}
        </ul>
      )}
      <PassphraseDialog
        key={passphrase?.file.id ?? 'closed'}
        fileName={passphrase?.file.name}
        error={passphrase?.error}
        busy={importing}
        onSubmit={(value, remember) => void submitPassphrase(value, remember)}
        onCancel={() => {
          const rest = passphrase?.rest ?? [];
          setPassphrase(undefined);
          void importFiles(rest);
        }}
      />
      <RenameKeyDialog sshKey={renaming} onClose={() => setRenaming(undefined)} />
      <RemoveKeyDialog sshKey={removing} onClose={() => setRemoving(undefined)} />
    </section>
  );
}

function KeyRow({ sshKey, onRename, onRemove }: { sshKey: SshKeySummary; onRename: () => void; onRemove: () => void }): ReactNode {
  const nameId = useId();
  return (
    <li className="key-row" aria-labelledby={nameId}>
      <Icons.accounts size={20} className="key-row__icon" />
      <div className="key-row__main">
        <div className="key-row__line">
          <span className="key-row__name" id={nameId}>
            {sshKey.name}
          </span>
          <span className="badge">{sshKey.type}</span>
          <span className="badge">{FORMAT_LABELS[sshKey.format] ?? sshKey.format}</span>
          {sshKey.encrypted && <span className="badge badge--warn">passphrase</span>}
          {sshKey.passphraseRemembered && <span className="badge badge--ok">passphrase remembered</span>}
        </div>
        <p className="key-row__fingerprint mono" title="SHA256 fingerprint">
          {sshKey.fingerprintSha256}
        </p>
        {sshKey.comment && <p className="key-row__comment">{sshKey.comment}</p>}
      </div>
      <div className="key-row__actions">
        <Button size="s" variant="ghost" onClick={onRename} aria-label={`Rename ${sshKey.name}`}>
          Rename
        </Button>
        <Button size="s" variant="ghost" className="button--quiet-danger" onClick={onRemove} aria-label={`Remove ${sshKey.name}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}

function RenameKeyDialog({ sshKey, onClose }: { sshKey: SshKeySummary | undefined; onClose: () => void }): ReactNode {
  if (!sshKey) return null;
  return (
    <NameDialog
      key={sshKey.id}
      title={`Rename ${sshKey.name}`}
      label="Name"
      initial={sshKey.name}
      submitLabel="Rename"
      busyLabel="Saving…"
      required
      description="Name it like the EC2 key pair it belongs to, so instances launched with that key pair use it."
      onSubmit={async (name) => {
        keysStore.upsert(await api.keys.rename(sshKey.id, name.trim()));
        onClose();
      }}
      onClose={onClose}
    />
  );
}

function RemoveKeyDialog({ sshKey, onClose }: { sshKey: SshKeySummary | undefined; onClose: () => void }): ReactNode {
  return (
    <ConfirmDialog
      open={sshKey !== undefined}
      title={sshKey ? `Remove ${sshKey.name}?` : 'Remove key?'}
      confirmLabel="Remove key"
      busyLabel="Removing…"
      focusCancel
      onConfirm={async () => {
        if (!sshKey) return;
        await api.keys.remove(sshKey.id);
        keysStore.removeLocal(sshKey.id);
      }}
      onClose={onClose}
    >
      <p>
        This wipes the private key{sshKey?.passphraseRemembered ? ' and its remembered passphrase' : ''} from your system keychain. The key
        file on your disk and the key pair in AWS are not touched; you can import the file again later.
      </p>
    </ConfirmDialog>
  );
}

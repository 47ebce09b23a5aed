import { STOPPED_STATES } from '../../../shared/models/ec2';
import { useEffect, useEffectEvent, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { LocalGrant } from '../../../shared/models/local-grants';
import type { RemoteEntry, TransferJob } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { plural } from '../../components/format';
import { NameDialog } from '../../components/name-dialog';
import { HostKeyDialog } from '../../components/host-key-dialog';
import { UnlockKeyForm } from '../../components/unlock-key-form';
import { carriesLocalPaths, grantsOfDrop } from '../../api/dropped-files';
import { DeleteDialog } from './delete-dialog';
import { FileIcons } from './file-icons';
import { FileTable, NO_SELECTION, type FileSelection } from './file-table';
import { PathBar } from './path-bar';
import { invalidName, joinRemote, parentOf } from './remote-path';
import { useRemoteFolder } from './use-remote-folder';
import '../../components/fields.css';
import './files.css';
import type { InstanceTarget } from '../../state/instance-target';

export interface FileBrowserDialogProps {
  target: InstanceTarget;
  onClose: () => void;
}

type Prompt = { kind: 'mkdir' } | { kind: 'rename'; entry: RemoteEntry } | { kind: 'delete'; entries: RemoteEntry[] };

function normalised(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** "notes.txt" or "3 items", for status lines. */
function what(names: readonly string[]): string {
  return names.length === 1 ? `“${names[0] ?? ''}”` : plural(names.length, 'item');
}

/**
 * The instance's filesystem in a large modal: path bar, folder listing, and the file operations
 * (new folder, rename, delete, download, upload, drop files from the computer). Transfers go to the
 * shared queue; the listing refreshes when an upload into the folder on screen completes.
 */
export function FileBrowserDialog({ target, onClose }: FileBrowserDialogProps): ReactNode {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const titleId = useId();
  const folder = useRemoteFolder(target);
  const { listing } = folder;
  const path = listing?.path;
  const [showHidden, setShowHidden] = useState(false);
  const [selection, setSelection] = useState<FileSelection>(NO_SELECTION);
  const [prompt, setPrompt] = useState<Prompt>();
  const [status, setStatus] = useState('');
  const [actionError, setActionError] = useState<{ title: string; error: HangarError }>();
  const [dropping, setDropping] = useState(false);
  const [editRequest, setEditRequest] = useState(0);
  // Hangar stopped the instance while this was open: nothing on it answers, so say so instead of failing calls.
  const [stoppedAs, setStoppedAs] = useState<string>();
  useEffect(
    () =>
      subscribe.instancesStateChanged(({ changes }) => {
        const change = changes.find((c) => c.instanceId === target.instanceId);
        if (change && STOPPED_STATES.has(change.currentState)) setStoppedAs(change.currentState === 'terminated' || change.currentState === 'shutting-down' ? 'terminated' : 'stopped');
      }),
    [target.instanceId],
  );

  const entries = useMemo(
    () => (listing?.entries ?? []).filter((entry) => showHidden || !entry.name.startsWith('.')),
    [listing, showHidden],
  );
  const selected = useMemo(() => entries.filter((entry) => selection.names.has(entry.name)), [entries, selection.names]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  // A new folder starts with nothing selected; a refresh of the same folder keeps what is still there.
  const shownPath = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!listing) return;
    if (shownPath.current !== listing.path) {
      shownPath.current = listing.path;
      setSelection(NO_SELECTION);
      return;
    }
    setSelection((current) => {
      const present = new Set(listing.entries.map((entry) => entry.name));
      const names = new Set([...current.names].filter((name) => present.has(name)));
      return names.size === current.names.size ? current : { ...current, names };
    });
  }, [listing]);

  // Focus goes to the listing once it is there, so the keyboard works straight away.
  const focusedOnce = useRef(false);
  useEffect(() => {
    if (listing && !focusedOnce.current) {
      focusedOnce.current = true;
      tableRef.current?.focus();
    }
  }, [listing]);

  // An upload into the folder on screen shows its files when it completes.
  const onTransferChanged = useEffectEvent((job: TransferJob) => {
    if (job.state !== 'completed' || job.direction !== 'upload' || job.instance.instanceId !== target.instanceId) return;
    if (path !== undefined && normalised(job.destination) === path) void folder.refresh();
  });
  useEffect(
    () =>
      subscribe.transferChanged((job) => onTransferChanged(job)),
    [],
  );

  async function go(to: string): Promise<boolean> {
    setActionError(undefined);
    const ok = await folder.open(to);
    if (ok) tableRef.current?.focus();
    return ok;
  }

  function up(): void {
    if (path !== undefined && path !== '/') void go(parentOf(path));
  }

  function refresh(): void {
    setActionError(undefined);
    void folder.refresh();
  }

  function rename(): void {
    const entry = selected.length === 1 ? selected[0] : undefined;
    if (entry) setPrompt({ kind: 'rename', entry });
  }

  function askDelete(): void {
    if (selected.length > 0) setPrompt({ kind: 'delete', entries: selected });
  }

  function closePrompt(): void {
    setPrompt(undefined);
    // The nested dialog gave focus back to its opener; after a keyboard shortcut that is the table.
    requestAnimationFrame(() => {
      if (!dialogRef.current?.contains(document.activeElement) || document.activeElement === document.body) tableRef.current?.focus();
    });
  }

  /** Shows the entry named `name` once the listing has it (after mkdir / rename). */
  function selectAfterLoad(name: string): void {
    void folder.refresh().then(() => {
      setSelection((current) => ({ ...current, names: new Set([name]) }));
      tableRef.current?.focus();
    });
  }

  async function download(): Promise<void> {
    if (path === undefined || selected.length === 0) return;
    const names = selected.map((entry) => entry.name);
    setActionError(undefined);
    try {
      const localDir = await api.transfers.pickDownloadFolder();
      if (localDir === undefined) return;
      const job = await api.transfers.download({ instance: folder.ref, remotePaths: names.map((name) => joinRemote(path, name)), localDirGrant: localDir.id });
      setStatus(`Downloading ${what(names)} to ${job.destination}. Progress is shown in Transfers.`);
    } catch (error) {
      setActionError({ title: `Could not download ${what(names)}`, error: toHangarError(error) });
    }
  }

  async function upload(items: readonly LocalGrant[]): Promise<void> {
    if (path === undefined || items.length === 0) return;
    setActionError(undefined);
    const names = items.map((item) => item.name);
    try {
      await api.transfers.upload({ instance: folder.ref, grants: items.map((item) => item.id), remoteDir: path });
      setStatus(`Uploading ${what(names)} to ${path}. This folder refreshes when it is done; progress is shown in Transfers.`);
    } catch (error) {
      setActionError({ title: `Could not upload ${what(names)}`, error: toHangarError(error) });
    }
  }

  async function pickAndUpload(kind: 'files' | 'folder'): Promise<void> {
    try {
      const picked = await api.transfers.pickUpload(kind);
      await upload(picked);
    } catch (error) {
      setActionError({ title: 'Could not open the file picker', error: toHangarError(error) });
    }
  }

  function onDialogKeyDown(event: KeyboardEvent<HTMLDialogElement>): void {
    const ctrl = event.ctrlKey || event.metaKey;
    const isRefresh = (event.key === 'F5' && !event.altKey) || (ctrl && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'r');
    if (isRefresh) {
      // Never reloads the window (and the Instances screen behind does not refresh too).
      event.preventDefault();
      event.stopPropagation();
      if (!event.repeat && prompt === undefined) refresh();
      return;
    }
    if (ctrl && event.key.toLowerCase() === 'l' && prompt === undefined) {
      event.preventDefault();
      setEditRequest((n) => n + 1);
    }
  }

  const error = folder.error;
  const hostKey =
    error?.code === 'SSH_HOST_KEY_UNKNOWN' && typeof error.details?.fingerprintSha256 === 'string'
      ? { fingerprint: error.details.fingerprintSha256, keyType: typeof error.details.keyType === 'string' ? error.details.keyType : 'unknown' }
      : undefined;

  let body: ReactNode;
  if (!listing && folder.loading) {
    body = (
      <p className="busy-line file-browser__loading" role="status">
        <span className="spinner" aria-hidden="true" />
        Connecting to {target.name}…
      </p>
    );
  } else if (!listing) {
    body = null;
  } else if (entries.length === 0) {
    const hiddenOnly = listing.entries.length > 0;
    body = (
      <EmptyState
        icon={<FileIcons.folder size={32} />}
        title={hiddenOnly ? 'Only hidden files here' : 'This folder is empty'}
        actions={
          hiddenOnly ? (
            <Button onClick={() => setShowHidden(true)}>Show hidden files</Button>
          ) : (
            <Button icon={<FileIcons.upload size={16} />} onClick={() => void pickAndUpload('files')}>
              Upload files…
            </Button>
          )
        }
      >
        <p>{hiddenOnly ? `${plural(listing.entries.length, 'hidden item')} (names starting with a dot).` : 'Drop files here from your computer to upload them.'}</p>
      </EmptyState>
    );
  } else {
    body = (
      <FileTable
        ref={tableRef}
        label={`Contents of ${listing.path}`}
        entries={entries}
        selection={selection}
        onSelectionChange={setSelection}
        onOpen={(entry) => void go(joinRemote(listing.path, entry.name))}
        onUp={up}
        onRename={rename}
        onDelete={askDelete}
      />
    );
  }

  const hiddenCount = (listing?.entries.length ?? 0) - entries.length;
  const single = selected.length === 1 ? selected[0] : undefined;

  return (
    <dialog
      ref={dialogRef}
      className="dialog file-browser"
      aria-labelledby={titleId}
      onClose={(event) => {
        // React passes a nested dialog's close up the component tree; only this dialog's own close ends the browser.
        if (event.target === event.currentTarget) onClose();
      }}
      onKeyDown={onDialogKeyDown}
    >
      <div className="file-browser__panel">
        <header className="dialog__header">
          <h2 className="dialog__title" id={titleId}>
            Files on {target.name}
          </h2>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            // Closing the native dialog (not just unmounting it) hands focus back to the Files button that opened it.
            onClick={() => dialogRef.current?.close()}
          >
            <Icons.close size={16} />
          </button>
        </header>

        <div className="file-browser__nav" role="toolbar" aria-label="Navigation">
          <button type="button" className="icon-button" aria-label="Up one folder" title="Up one folder (Backspace)" disabled={path === undefined || path === '/'} onClick={up}>
            <FileIcons.up size={16} />
          </button>
          <button type="button" className="icon-button" aria-label="Refresh" title="Refresh (F5)" disabled={folder.loading && !listing} onClick={refresh}>
            <Icons.retry size={16} />
          </button>
          <PathBar path={path} onGo={go} editRequest={editRequest} onCancel={() => requestAnimationFrame(() => tableRef.current?.focus())} />
          {folder.loading && listing && <span className="spinner file-browser__spinner" role="status" aria-label="Loading" />}
          <label className="file-browser__toggle">
            <input type="checkbox" className="checkbox" checked={showHidden} onChange={(event) => setShowHidden(event.target.checked)} />
            Show hidden
          </label>
        </div>

        <div className="file-browser__actions" role="toolbar" aria-label="File actions">
          <Button size="s" icon={<FileIcons.newFolder size={16} />} disabled={!listing} onClick={() => setPrompt({ kind: 'mkdir' })}>
            New folder…
          </Button>
          <Button size="s" icon={<FileIcons.rename size={16} />} disabled={!single} title="Rename (F2)" onClick={rename}>
            Rename…
          </Button>
          <Button size="s" icon={<FileIcons.trash size={16} />} className="button--quiet-danger" disabled={selected.length === 0} title="Delete (Del)" onClick={askDelete}>
            Delete…
          </Button>
          <span className="file-browser__divider" aria-hidden="true" />
          <Button size="s" icon={<FileIcons.download size={16} />} disabled={selected.length === 0} onClick={() => void download()}>
            Download…
          </Button>
          <Button size="s" icon={<FileIcons.upload size={16} />} disabled={!listing} onClick={() => void pickAndUpload('files')}>
            Upload files…
          </Button>
          <Button size="s" icon={<FileIcons.upload size={16} />} disabled={!listing} onClick={() => void pickAndUpload('folder')}>
            Upload folder…
          </Button>
        </div>

        {stoppedAs && (
          <div className="file-browser__notice" role="alert">
            <p className="notice notice--warning">
              The instance was {stoppedAs}, so its files cannot be reached now. {stoppedAs === 'stopped' ? 'Start it from Instances to browse them again.' : ''}
            </p>
          </div>
        )}
        {error && !hostKey && !stoppedAs && (
          <div className="file-browser__notice">
            <ErrorNotice
              error={error}
              title={listing ? 'Could not open that folder' : `Could not open the files of ${target.name}`}
              onRetry={() => void folder.refresh()}
              {...(listing ? { onDismiss: folder.dismissError } : {})}
            >
              <div className="file-browser__fix">
                {error.code === 'SSH_KEY_PASSPHRASE_NEEDED' && typeof error.details?.keyId === 'string' && (
                  <UnlockKeyForm
                    keyId={error.details.keyId}
                    keyName={typeof error.details.name === 'string' ? error.details.name : 'this key'}
                    onUnlocked={() => void folder.refresh()}
                  />
                )}
                {!error.retryable && !listing && (
                  <Button size="s" icon={<Icons.retry size={16} />} onClick={() => void folder.refresh()}>
                    Try again
                  </Button>
                )}
              </div>
            </ErrorNotice>
          </div>
        )}
        {actionError && (
          <div className="file-browser__notice">
            <ErrorNotice error={actionError.error} title={actionError.title} onDismiss={() => setActionError(undefined)} />
          </div>
        )}

        <div
          className={`file-browser__list${dropping ? ' file-browser__list--drop' : ''}`}
          onDragEnter={(event) => {
            if (listing && carriesLocalPaths(event.dataTransfer)) setDropping(true);
          }}
          onDragOver={(event) => {
            if (!listing || !carriesLocalPaths(event.dataTransfer)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
            setDropping(true);
          }}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropping(false);
          }}
          onDrop={(event) => {
            setDropping(false);
            if (!listing) return;
            event.preventDefault();
            void grantsOfDrop(event.dataTransfer).then(upload, (error: unknown) =>
              setActionError({ title: 'Could not take the dropped items', error: toHangarError(error) }),
            );
          }}
        >
          {body}
          {dropping && path !== undefined && (
            <div className="file-browser__drop-hint" aria-hidden="true">
              <FileIcons.upload size={24} />
              Drop to upload to {path}
            </div>
          )}
        </div>

        <footer className="file-browser__status">
          <p aria-live="polite">
            {listing ? `${plural(entries.length, 'item')}${hiddenCount > 0 ? ` (${hiddenCount} hidden)` : ''}` : ''}
            {selected.length > 0 ? ` · ${selected.length} selected` : ''}
          </p>
          <p role="status" className="file-browser__message">
            {status}
          </p>
        </footer>
      </div>

      {hostKey && (
        <HostKeyDialog
          instanceName={target.name}
          instanceId={target.instanceId}
          fingerprint={hostKey.fingerprint}
          keyType={hostKey.keyType}
          onTrust={() => folder.trustHostKey(hostKey.fingerprint)}
          onCancel={onClose}
        />
      )}
      {prompt?.kind === 'mkdir' && path !== undefined && (
        <NameDialog
          title="New folder"
          label={`Name of the new folder in ${path}`}
          initial="New folder"
          submitLabel="Create"
          selectStem
          validate={invalidName}
          onClose={closePrompt}
          onSubmit={async (name) => {
            await api.files.mkdir(folder.ref, joinRemote(path, name));
            closePrompt();
            setStatus(`Created the folder “${name}”.`);
            selectAfterLoad(name);
          }}
        />
      )}
      {prompt?.kind === 'rename' && path !== undefined && (
        <NameDialog
          title={`Rename “${prompt.entry.name}”`}
          label="New name"
          initial={prompt.entry.name}
          submitLabel="Rename"
          selectStem
          validate={invalidName}
          onClose={closePrompt}
          onSubmit={async (name) => {
            if (name !== prompt.entry.name) await api.files.rename(folder.ref, joinRemote(path, prompt.entry.name), joinRemote(path, name));
            closePrompt();
            setStatus(`Renamed “${prompt.entry.name}” to “${name}”.`);
            selectAfterLoad(name);
          }}
        />
      )}
      {prompt?.kind === 'delete' && path !== undefined && (
        <DeleteDialog
          entries={prompt.entries}
          folder={path}
          onClose={closePrompt}
          onDelete={async (signal) => {
            const names = prompt.entries.map((entry) => entry.name);
            try {
              await api.files.remove.with({ signal })(folder.ref, names.map((name) => joinRemote(path, name)));
            } finally {
              // Part may be gone even when the rest failed: show what is really there.
              void folder.refresh();
            }
            closePrompt();
            setStatus(`Deleted ${what(names)}.`);
          }}
        />
      )}
    </dialog>
  );
}


import { useRef, useState, type ReactNode } from 'react';
import { isCancelled, type HangarError } from '../../../shared/errors/hangar-error';
import type { RemoteEntry } from '../../../shared/models/transfers';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { plural } from '../../components/format';

const LISTED = 8;

export interface DeleteDialogProps {
  entries: readonly RemoteEntry[];
  /** The folder they are in, named in the question. */
  folder: string;
  /** Deletes; the signal is aborted when the user cancels a delete under way (what is gone stays gone). */
  onDelete: (signal: AbortSignal) => Promise<void>;
  onClose: () => void;
}

/** Names what will go, says that folders go with everything in them, and that there is no undo. */
export function DeleteDialog({ entries, folder, onDelete, onClose }: DeleteDialogProps): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  const folders = entries.filter((entry) => entry.kind === 'directory').length;
  const links = entries.filter((entry) => entry.kind === 'symlink').length;
  const title = entries.length === 1 ? `Delete “${entries[0]?.name ?? ''}”?` : `Delete ${plural(entries.length, 'item')}?`;

  const running = useRef<AbortController | undefined>(undefined);

  async function run(): Promise<void> {
    const controller = new AbortController();
    running.current = controller;
    setBusy(true);
    setError(undefined);
    try {
      await onDelete(controller.signal);
    } catch (caught) {
      if (isCancelled(caught)) return;
      setError(toHangarError(caught));
      setBusy(false);
    } finally {
      running.current = undefined;
    }
  }

  function cancel(): void {
    // A delete under way stops between files; the folder is then reloaded to show what is left.
    running.current?.abort();
    onClose();
  }

  return (
    <Dialog
      open
      title={title}
      onClose={cancel}
      footer={
        <>
          <Button onClick={cancel} autoFocus>
            Cancel
          </Button>
          <Button className="button--danger" disabled={busy} onClick={() => void run()}>
            {busy ? 'Deleting…' : 'Delete'}
          </Button>
        </>
      }
    >
      <p>
        From <span className="mono">{folder}</span> on the instance:
      </p>
      <ul className="delete-list" aria-label="To be deleted">
        {entries.slice(0, LISTED).map((entry) => (
          <li key={entry.name} className="mono">
            {entry.name}
            {entry.kind === 'directory' ? '/' : ''}
          </li>
        ))}
        {entries.length > LISTED && <li>and {plural(entries.length - LISTED, 'more item')}</li>}
      </ul>
      {folders > 0 && (
        <p className="delete-warning">
          {folders === 1 && entries.length === 1 ? 'This folder is' : folders === 1 ? 'The folder is' : `The ${folders} folders are`} deleted
          recursively, with everything in {folders === 1 ? 'it' : 'them'}.
        </p>
      )}
      {links > 0 && <p className="dialog__note">Links are removed as links; what they point to is kept.</p>}
      <p className="dialog__note">This cannot be undone.</p>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}

import type { ReactNode } from 'react';
import type { RemoteEntry } from '../../../shared/models/transfers';
import { ConfirmDialog } from '../../components/confirm-dialog';
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
  const folders = entries.filter((entry) => entry.kind === 'directory').length;
  const links = entries.filter((entry) => entry.kind === 'symlink').length;
  const title = entries.length === 1 ? `Delete “${entries[0]?.name ?? ''}”?` : `Delete ${plural(entries.length, 'item')}?`;

  return (
    // A delete under way stops between files when cancelled; the folder is then reloaded to show what is left.
    <ConfirmDialog open title={title} confirmLabel="Delete" busyLabel="Deleting…" focusCancel onConfirm={onDelete} onClose={onClose}>
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
    </ConfirmDialog>
  );
}

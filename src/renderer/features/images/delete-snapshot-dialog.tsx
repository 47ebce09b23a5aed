import type { ReactNode } from 'react';
import type { SnapshotInfo } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { ConfirmDialog } from '../../components/confirm-dialog';

export interface DeleteSnapshotDialogProps {
  scope: RegionScope;
  snapshot: SnapshotInfo;
  onClose: () => void;
  onDeleted: () => void;
}

/** Delete one snapshot; AWS's refusal for one an AMI holds is shown in place, naming the AMI. */
export function DeleteSnapshotDialog({ scope, snapshot, onClose, onDeleted }: DeleteSnapshotDialogProps): ReactNode {
  return (
    <ConfirmDialog
      open
      title={`Delete ${snapshot.name ?? snapshot.id}?`}
      confirmLabel="Delete snapshot"
      busyLabel="Deleting…"
      focusCancel
      onClose={onClose}
      onConfirm={async () => {
        await api.images.deleteSnapshot({ ...scope, snapshotId: snapshot.id });
        onDeleted();
      }}
    >
      <p>
        Snapshot <span className="mono">{snapshot.id}</span> ({snapshot.volumeSize} GiB of volume <span className="mono">{snapshot.volumeId}</span>) is deleted for good.
      </p>
      {snapshot.imageId !== undefined && (
        <p className="dialog__note">
          AMI <span className="mono">{snapshot.imageId}</span> is built on it, so AWS refuses while that AMI is registered: deregister the AMI (with its snapshots) instead.
        </p>
      )}
    </ConfirmDialog>
  );
}

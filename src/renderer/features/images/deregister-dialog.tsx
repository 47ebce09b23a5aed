import { useState, type ReactNode } from 'react';
import type { DeregisterResult, ImageInfo } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { plural } from '../../components/format';

export interface DeregisterDialogProps {
  scope: RegionScope;
  image: ImageInfo;
  onClose: () => void;
  onDone: (result: DeregisterResult) => void;
}

/** Deregister an AMI, with its snapshots by default (said first: the AMI goes, then each snapshot). */
export function DeregisterDialog({ scope, image, onClose, onDone }: DeregisterDialogProps): ReactNode {
  const [withSnapshots, setWithSnapshots] = useState(true);
  const size = image.snapshots.reduce((sum, s) => sum + s.size, 0);
  const count = image.snapshots.length;
  return (
    <ConfirmDialog
      open
      title={`Deregister ${image.name}?`}
      confirmLabel={withSnapshots && count > 0 ? 'Deregister and delete snapshots' : 'Deregister AMI'}
      busyLabel="Deregistering…"
      focusCancel
      onClose={onClose}
      onConfirm={async () => {
        onDone(await api.images.deregisterImage({ ...scope, imageId: image.id, deleteSnapshots: withSnapshots }));
      }}
    >
      <p>
        Nobody can launch <strong>{image.name}</strong> (<span className="mono">{image.id}</span>) any more. Instances already launched from it keep running.
      </p>
      {count > 0 && (
        <>
          <label className="check-label">
            <input type="checkbox" checked={withSnapshots} onChange={(event) => setWithSnapshots(event.target.checked)} />
            Also delete its {plural(count, 'snapshot')} ({size} GiB)
          </label>
          <p className="dialog__note">
            {withSnapshots
              ? `First the AMI is deregistered, then each snapshot is deleted: ${image.snapshots.map((s) => s.id).join(', ')}. A snapshot another AMI still uses is kept (and said). This cannot be undone.`
              : `The snapshots stay, and keep billing for their ${size} GiB, until you delete them.`}
          </p>
        </>
      )}
    </ConfirmDialog>
  );
}

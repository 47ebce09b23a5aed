import { useState, type ReactNode } from 'react';
import type { SnapshotInfo, VolumeChoice } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field, SelectField } from '../../components/field';
import { useBusy } from '../../state/use-busy';

export interface CreateSnapshotDialogProps {
  scope: RegionScope;
  volumes: readonly VolumeChoice[];
  onClose: () => void;
  onCreated: (snapshot: SnapshotInfo) => void;
}

function volumeLabel(v: VolumeChoice): string {
  const where = v.attachedTo === undefined ? 'not attached' : `attached to ${v.attachedTo}`;
  return `${v.name ?? v.id} — ${v.size} GiB ${v.type}, ${v.availabilityZone}, ${where}`;
}

/** A snapshot of one volume, with a description and a Name (tagged hangar:created-by). */
export function CreateSnapshotDialog({ scope, volumes, onClose, onCreated }: CreateSnapshotDialogProps): ReactNode {
  const [volumeId, setVolumeId] = useState(volumes[0]?.id ?? '');
  const [description, setDescription] = useState('');
  const [name, setName] = useState('');
  const { busy, error, run } = useBusy();
  const tooLong = description.length > 255 ? 'A description is at most 255 characters.' : undefined;

  return (
    <Dialog
      open
      title="Create snapshot"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={busy || volumeId === '' || tooLong !== undefined}
            onClick={() =>
              void run(async () => {
                const snapshot = await api.images.createSnapshot({ ...scope, volumeId, description: description.trim(), ...(name.trim() === '' ? {} : { name: name.trim() }) });
                onCreated(snapshot);
              })
            }
          >
            {busy ? 'Creating…' : 'Create snapshot'}
          </Button>
        </>
      }
    >
      {volumes.length === 0 ? (
        <p className="dialog__note">There are no volumes in {scope.region} to take a snapshot of.</p>
      ) : (
        <>
          <SelectField label="Volume" value={volumeId} onChange={setVolumeId}>
            {volumes.map((v) => (
              <option key={v.id} value={v.id}>
                {volumeLabel(v)}
              </option>
            ))}
          </SelectField>
          <Field label="Description" qualifier="optional" value={description} onChange={setDescription} error={tooLong} description="Shown in the snapshot list and the EC2 console." />
          <Field label="Name" qualifier="optional" value={name} onChange={setName} description="Its Name tag." />
          <p className="dialog__note">
            The snapshot holds what is on the disk the moment AWS accepts it; writes still in the instance’s memory are not in it. For a database or a busy disk, stop the
            instance (or its programs) first. It shows as pending, with its progress, until AWS has copied every block.
          </p>
        </>
      )}
      {error && <ErrorNotice title="Could not create the snapshot" error={error} />}
    </Dialog>
  );
}

import { useId, useState, type ReactNode } from 'react';
import { growSizeProblem, mountPointProblem, type StorageView } from '../../../shared/models/storage';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useBusy } from '../../state/use-busy';
import { AttachExisting } from './attach-existing';
import { VolumeTypeSelect } from './volume-type-select';

export interface AddVolumeFormProps {
  accountId: string;
  region: string;
  instanceId: string;
  availabilityZone: string;
  /** SSH answered: the new volume can be formatted and mounted. */
  canFormat: boolean;
  onDone: (view: StorageView) => void;
  onCancel: () => void;
}

/** Add a volume in the instance's zone, empty or from a snapshot; optionally format (asked first: it erases) and mount it. */
export function AddVolumeForm({ accountId, region, instanceId, availabilityZone, canFormat, onDone, onCancel }: AddVolumeFormProps): ReactNode {
  const [size, setSize] = useState('20');
  const [type, setType] = useState('gp3');
  const [snapshotId, setSnapshotId] = useState('');
  const [name, setName] = useState('');
  const [format, setFormat] = useState(false);
  const [fsType, setFsType] = useState<'ext4' | 'xfs'>('ext4');
  const [mountPoint, setMountPoint] = useState('/data');
  const [confirming, setConfirming] = useState(false);
  const [existing, setExisting] = useState(false);
  const { busy, error, run } = useBusy();
  const id = useId();
  const sizeProblem = growSizeProblem(1, size, type);
  const snapshotProblem = snapshotId.trim() === '' || /^snap-[0-9a-f]{8,17}$/.test(snapshotId.trim()) ? undefined : 'A snapshot ID looks like snap-0123456789abcdef0.';
  const mountProblem = format ? mountPointProblem(mountPoint.trim()) : undefined;
  const fromSnapshot = snapshotId.trim() !== '';
  const invalid = sizeProblem !== undefined || snapshotProblem !== undefined || mountProblem !== undefined;

  const add = (): void =>
    void run(async () => {
      const view = await api.storage.addVolume({
        accountId,
        region,
        instanceId,
        sizeGiB: Number(size.trim()),
        type: type as 'gp3',
        ...(fromSnapshot ? { snapshotId: snapshotId.trim() } : {}),
        ...(name.trim() === '' ? {} : { name: name.trim() }),
        ...(format && !fromSnapshot ? { format: { fsType, mountPoint: mountPoint.trim() } } : {}),
      });
      onDone(view);
    });

  const modes = (
    <fieldset className="storage-form__choice">
      <legend className="visually-hidden">What to add</legend>
      <label>
        <input type="radio" name={`${id}-mode`} checked={!existing} onChange={() => setExisting(false)} /> A new volume
      </label>
      <label>
        <input type="radio" name={`${id}-mode`} checked={existing} onChange={() => setExisting(true)} /> An existing volume
      </label>
    </fieldset>
  );
  if (existing) {
    return (
      <div className="storage-form" role="form" aria-label="Add a volume">
        {modes}
        <AttachExisting accountId={accountId} region={region} instanceId={instanceId} availabilityZone={availabilityZone} onDone={onDone} onCancel={onCancel} />
      </div>
    );
  }

  return (
    <form
      className="storage-form"
      aria-label="Add a volume"
      onSubmit={(event) => {
        event.preventDefault();
        if (invalid) return;
        if (format && !fromSnapshot) setConfirming(true);
        else add();
      }}
    >
      {modes}
      <p className="dialog__note">The volume is made in {availabilityZone}, the instance’s zone (a volume attaches only there), and billed per GiB-month until deleted.</p>
      <div className="storage-form__row">
        <Field label="Size (GiB)" value={size} onChange={setSize} error={sizeProblem} inputMode="numeric" />
        <VolumeTypeSelect value={type} onChange={setType} />
      </div>
      <div className="storage-form__row">
        <Field label="From snapshot" qualifier="optional" value={snapshotId} onChange={setSnapshotId} error={snapshotProblem} placeholder="snap-…" />
        <Field label="Name" qualifier="optional" value={name} onChange={setName} maxLength={255} />
      </div>
      <label className="storage-form__check">
        <input type="checkbox" checked={format && !fromSnapshot} disabled={!canFormat || fromSnapshot} onChange={(e) => setFormat(e.target.checked)} />
        <span>
          Format and mount it{fromSnapshot ? ' — not for a volume from a snapshot: it holds data already' : !canFormat ? ' — only while the instance runs and SSH answers' : ''}
        </span>
      </label>
      {format && !fromSnapshot && (
        <div className="storage-form__row">
          <fieldset className="storage-form__choice">
            <legend className="field__label">Filesystem</legend>
            {(['ext4', 'xfs'] as const).map((fs) => (
              <label key={fs}>
                <input type="radio" name={`${id}-fs`} checked={fsType === fs} onChange={() => setFsType(fs)} /> {fs}
              </label>
            ))}
          </fieldset>
          <Field label="Mount point" value={mountPoint} onChange={setMountPoint} error={mountProblem} description="Mounted at every boot: an fstab line by UUID, with nofail." />
        </div>
      )}
      {confirming && (
        <div className="storage-form__confirm" role="alertdialog" aria-label="Format the new volume?">
          <p>
            Formatting erases anything on the new volume (it is empty, so nothing is lost) and makes a {fsType} filesystem mounted at {mountPoint.trim()}.
          </p>
          <div className="storage-form__buttons">
            <Button onClick={() => setConfirming(false)} disabled={busy}>
              Back
            </Button>
            <Button variant="primary" onClick={add} disabled={busy}>
              {busy ? 'Adding…' : 'Add, format and mount'}
            </Button>
          </div>
        </div>
      )}
      {error && <ErrorNotice title="Could not add the volume" error={error} />}
      {!confirming && (
        <div className="storage-form__buttons">
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" disabled={busy || invalid}>
            {busy ? 'Adding…' : 'Add volume'}
          </Button>
        </div>
      )}
    </form>
  );
}

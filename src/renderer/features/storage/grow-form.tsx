import { useId, useState, type ReactNode } from 'react';
import { GP3, growSizeProblem, type GrowResult, type StorageVolume } from '../../../shared/models/storage';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useBusy } from '../../state/use-busy';
import { VOLUME_TYPE_LABELS } from './storage-format';
import { VolumeTypeSelect } from './volume-type-select';

export interface GrowFormProps {
  accountId: string;
  region: string;
  instanceId: string;
  volume: StorageVolume;
  /** The instance runs and SSH answered: the filesystem can be grown too. */
  canGrowFilesystem: boolean;
  onDone: (result: GrowResult) => void;
  onCancel: () => void;
}

/** Grow a volume (and change its type, IOPS, throughput), explained first: volumes only grow, four changes a day. */
export function GrowForm({ accountId, region, instanceId, volume, canGrowFilesystem, onDone, onCancel }: GrowFormProps): ReactNode {
  const [size, setSize] = useState(String(volume.sizeGiB));
  const [type, setType] = useState(volume.type in VOLUME_TYPE_LABELS ? volume.type : 'gp3');
  const [iops, setIops] = useState(String(volume.type === 'gp3' ? (volume.iops ?? GP3.minIops) : GP3.minIops));
  const [throughput, setThroughput] = useState(String(volume.type === 'gp3' ? (volume.throughput ?? GP3.minThroughput) : GP3.minThroughput));
  const [growFs, setGrowFs] = useState(canGrowFilesystem);
  const { busy, error, run } = useBusy();
  const id = useId();
  const sizeProblem = growSizeProblem(volume.sizeGiB, size, type);
  const iopsProblem = type === 'gp3' && !(Number(iops) >= GP3.minIops && Number(iops) <= GP3.maxIops) ? `gp3 IOPS go from ${GP3.minIops} to ${GP3.maxIops}.` : undefined;
  const throughputProblem =
    type === 'gp3' && !(Number(throughput) >= GP3.minThroughput && Number(throughput) <= GP3.maxThroughput) ? `gp3 throughput goes from ${GP3.minThroughput} to ${GP3.maxThroughput} MiB/s.` : undefined;
  const newSize = Number(size.trim());
  const changed = newSize !== volume.sizeGiB || type !== volume.type || (type === 'gp3' && (Number(iops) !== volume.iops || Number(throughput) !== volume.throughput));
  const install = error?.code === 'STORAGE_GROWPART_MISSING' ? String(error.details?.install ?? '') : '';
  const commands = error?.code === 'STORAGE_NO_SUDO' ? String(error.details?.commands ?? '') : '';
  const grownAlready = volume.modification !== undefined && volume.modification.targetSize === volume.sizeGiB && newSize === volume.sizeGiB;

  const submit = (installGrowpart = false): void =>
    void run(async () => {
      const scope = { accountId, region, instanceId, volumeId: volume.id };
      const result =
        !changed && growFs
          ? await api.storage.growFilesystem({ ...scope, installGrowpart })
          : await api.storage.grow({
              ...scope,
              sizeGiB: newSize,
              ...(type === volume.type ? {} : { type: type as 'gp3' }),
              ...(type === 'gp3' ? { iops: Number(iops), throughput: Number(throughput) } : {}),
              growFilesystem: growFs,
              installGrowpart,
            });
      onDone(result);
    });

  return (
    <form
      className="storage-form"
      aria-label={`Grow ${volume.id}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (sizeProblem === undefined && iopsProblem === undefined && throughputProblem === undefined && (changed || growFs)) submit();
      }}
    >
      <p className="dialog__note" id={`${id}-rules`}>
        A volume only grows: it cannot be made smaller again. AWS allows four changes per volume in 24 hours, each once the one before has completed
        {volume.changesToday > 0 ? ` (${volume.changesToday} used today)` : ''}. The new size is usable in a minute or so, while AWS optimizes the volume in the background.
      </p>
      <div className="storage-form__row">
        <Field label="New size (GiB)" value={size} onChange={setSize} error={sizeProblem} inputMode="numeric" description={`Now ${volume.sizeGiB} GiB.`} />
        <VolumeTypeSelect value={type} onChange={setType} />
      </div>
      {type === 'gp3' && (
        <div className="storage-form__row">
          <Field label="IOPS" value={iops} onChange={setIops} error={iopsProblem} inputMode="numeric" description="3,000 are included in the price." />
          <Field label="Throughput (MiB/s)" value={throughput} onChange={setThroughput} error={throughputProblem} inputMode="numeric" description="125 MiB/s are included." />
        </div>
      )}
      <label className="storage-form__check">
        <input type="checkbox" checked={growFs} disabled={!canGrowFilesystem} onChange={(e) => setGrowFs(e.target.checked)} />
        <span>
          Grow the partition and filesystem too, over SSH (growpart, then resize2fs or xfs_growfs)
          {!canGrowFilesystem && ' — only while the instance runs and SSH answers'}
        </span>
      </label>
      {grownAlready && <p className="dialog__note">This volume has grown already; Grow filesystem makes the filesystem use the new space.</p>}
      {error && <ErrorNotice title="Could not grow the volume" error={error} />}
      {install !== '' && (
        <div className="storage-form__fix">
          <code>{install}</code>
          <CopyButton variant="labelled" text={install} label="Copy the install command" />
          <Button size="s" onClick={() => submit(true)} disabled={busy}>
            Install growpart and grow
          </Button>
        </div>
      )}
      {commands !== '' && (
        <div className="storage-form__fix">
          <pre className="storage-form__commands">{commands}</pre>
          <CopyButton variant="labelled" text={commands} label="Copy the commands" />
        </div>
      )}
      <div className="storage-form__buttons">
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button variant="primary" type="submit" disabled={busy || sizeProblem !== undefined || iopsProblem !== undefined || throughputProblem !== undefined || (!changed && !growFs)}>
          {busy ? 'Growing…' : changed ? `Grow to ${Number.isFinite(newSize) ? newSize : '…'} GiB` : 'Grow filesystem'}
        </Button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {busy ? 'Growing the volume' : ''}
      </p>
    </form>
  );
}

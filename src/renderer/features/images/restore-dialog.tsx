import { useEffect, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { RESTORE_VOLUME_TYPES, type SnapshotInfo } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field, SelectField } from '../../components/field';
import { useBusy } from '../../state/use-busy';

export interface RestoreDialogProps {
  scope: RegionScope;
  snapshot: SnapshotInfo;
  onClose: () => void;
  onRestored: (message: string) => void;
}

/** The size typed, or why it cannot be used: a whole number of GiB, no smaller than the snapshot. */
function sizeProblem(text: string, minimum: number): string | undefined {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value)) return 'Type a whole number of GiB.';
  if (value < minimum) return `At least ${minimum} GiB: the snapshot holds a ${minimum} GiB volume.`;
  if (value > 65536) return 'At most 65536 GiB.';
  return undefined;
}

/** A new volume from the snapshot, in the availability zone chosen (a volume can only attach to instances there). */
export function RestoreDialog({ scope, snapshot, onClose, onRestored }: RestoreDialogProps): ReactNode {
  const [zones, setZones] = useState<readonly string[]>();
  const [zonesError, setZonesError] = useState<HangarError>();
  const [zone, setZone] = useState('');
  const [type, setType] = useState<(typeof RESTORE_VOLUME_TYPES)[number]>('gp3');
  const [size, setSize] = useState(String(snapshot.volumeSize));
  const { busy, error, run } = useBusy();
  const { accountId, region } = scope;

  useEffect(() => {
    let live = true;
    api.images.zones({ accountId, region }).then(
      (list) => live && setZones(list),
      (caught: unknown) => live && setZonesError(toHangarError(caught)),
    );
    return () => {
      live = false;
    };
  }, [accountId, region]);

  const chosenZone = zone === '' ? (zones?.[0] ?? '') : zone;
  const problem = sizeProblem(size, snapshot.volumeSize);

  return (
    <Dialog
      open
      title={`Restore ${snapshot.name ?? snapshot.id}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={busy || chosenZone === '' || problem !== undefined}
            onClick={() =>
              void run(async () => {
                const out = await api.images.restoreSnapshot({ ...scope, snapshotId: snapshot.id, availabilityZone: chosenZone, volumeType: type, sizeGiB: Number(size.trim()) });
                onRestored(`Volume ${out.volumeId} is being created from ${snapshot.id} in ${out.availabilityZone}.`);
              })
            }
          >
            {busy ? 'Creating volume…' : 'Create volume'}
          </Button>
        </>
      }
    >
      <p className="dialog__note">A new EBS volume with the snapshot’s data. It can be attached to an instance in the same availability zone only.</p>
      {zonesError && <ErrorNotice title="Could not list the availability zones" error={zonesError} />}
      {zones === undefined && !zonesError ? (
        <p className="busy-line" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> Reading the availability zones…
        </p>
      ) : (
        <SelectField label="Availability zone" value={chosenZone} onChange={setZone}>
          {(zones ?? []).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField label="Volume type" value={type} onChange={(value) => setType(value as (typeof RESTORE_VOLUME_TYPES)[number])}>
        {RESTORE_VOLUME_TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </SelectField>
      <Field label="Size (GiB)" value={size} onChange={setSize} error={problem} inputMode="numeric" />
      {error && <ErrorNotice title="Could not create the volume" error={error} />}
    </Dialog>
  );
}

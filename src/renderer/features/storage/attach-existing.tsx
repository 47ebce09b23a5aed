import { useEffect, useId, useState, type ReactNode } from 'react';
import type { VolumeChoice } from '../../../shared/models/images';
import type { StorageView } from '../../../shared/models/storage';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { useBusy } from '../../state/use-busy';

export interface AttachExistingProps {
  accountId: string;
  region: string;
  instanceId: string;
  availabilityZone: string;
  onDone: (view: StorageView) => void;
  onCancel: () => void;
}

/** The region's unattached volumes; those of another zone are shown with the way round (snapshot, restore here). */
export function AttachExisting({ accountId, region, instanceId, availabilityZone, onDone, onCancel }: AttachExistingProps): ReactNode {
  const [volumes, setVolumes] = useState<VolumeChoice[]>();
  const [picked, setPicked] = useState<string>();
  const loader = useBusy();
  const action = useBusy();
  const id = useId();
  const { run: load } = loader;

  useEffect(() => {
    void load(async () => setVolumes((await api.images.overview({ accountId, region })).volumes.filter((v) => v.state === 'available')));
  }, [load, accountId, region]);

  return (
    <div className="storage-form__existing">
      {loader.busy && !volumes && (
        <p className="busy-line" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> Listing unattached volumes…
        </p>
      )}
      {loader.error && <ErrorNotice title="Could not list the volumes" error={loader.error} />}
      {volumes?.length === 0 && <p className="dialog__note">There is no unattached volume in {region}.</p>}
      {volumes !== undefined && volumes.length > 0 && (
        <div className="type-choices" role="radiogroup" aria-label="Unattached volumes">
          {volumes.map((v) => {
            const elsewhere = v.availabilityZone !== availabilityZone;
            return (
              <label key={v.id} className={`type-choice${elsewhere ? ' type-choice--off' : ''}`}>
                <input type="radio" name={`${id}-volume`} disabled={elsewhere} checked={picked === v.id} onChange={() => setPicked(v.id)} />
                <span className="type-choice__name mono">{v.id}</span>
                <span>
                  {v.name ?? ''} {v.size} GiB {v.type}
                </span>
                <span>{v.availabilityZone}</span>
                {elsewhere && <span className="type-choice__why">In another zone: snapshot it and restore the snapshot in {availabilityZone} (Images & snapshots).</span>}
              </label>
            );
          })}
        </div>
      )}
      {action.error && <ErrorNotice title="Could not attach the volume" error={action.error} />}
      <div className="storage-form__buttons">
        <Button onClick={onCancel} disabled={action.busy}>
          Cancel
        </Button>
        <Button
          variant="primary"
          disabled={picked === undefined || action.busy}
          onClick={() =>
            void action.run(async () => {
              if (picked) onDone(await api.storage.attachVolume({ accountId, region, instanceId, volumeId: picked }));
            })
          }
        >
          {action.busy ? 'Attaching…' : 'Attach'}
        </Button>
      </div>
    </div>
  );
}

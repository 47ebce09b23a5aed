import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { GrowResult, StorageView, StorageVolume } from '../../../shared/models/storage';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { EmptyState } from '../../components/empty-state';
import { Icons } from '../../components/icons';
import { ErrorNotice } from '../../components/error-notice';
import { useBusy } from '../../state/use-busy';
import { AddVolumeForm } from './add-volume-form';
import { GrowForm } from './grow-form';
import { bytesLabel } from './storage-format';
import { VolumeCard } from './volume-card';
import './storage.css';

export interface StorageDialogProps {
  accountId: string;
  instance: InstanceSummary;
  onClose: () => void;
}

type Panel = { kind: 'grow'; volume: StorageVolume } | { kind: 'add' } | undefined;

/** An instance's volumes with their filesystems' use; grow, add, detach and delete, each explained before it runs. */
export function StorageDialog({ accountId, instance, onClose }: StorageDialogProps): ReactNode {
  const [view, setView] = useState<StorageView>();
  const [panel, setPanel] = useState<Panel>();
  const [step, setStep] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [detaching, setDetaching] = useState<StorageVolume>();
  const [detached, setDetached] = useState<string[]>([]);
  const [deleting, setDeleting] = useState<string>();
  const loader = useBusy();
  const action = useBusy();
  const scope = { accountId, region: instance.region, instanceId: instance.id };
  const { run: load } = loader;

  const reload = useCallback(
    () =>
      load(async () => {
        setView(await api.storage.view({ accountId, region: instance.region, instanceId: instance.id }));
      }),
    [load, accountId, instance.region, instance.id],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  // What the running job is doing, step by step (AWS's state, then each command on the instance).
  useEffect(
    () =>
      subscribe.storageProgress((p) => {
        if (p.instanceId === instance.id) setStep(p.step);
      }),
    [instance.id],
  );

  // A change still running is followed until it completes.
  const changing = view?.volumes.some((v) => v.modification?.state === 'modifying' || v.modification?.state === 'optimizing') ?? false;
  useEffect(() => {
    if (!changing || panel !== undefined) return;
    const timer = setTimeout(() => void reload(), 3_000);
    return () => clearTimeout(timer);
  }, [changing, panel, view, reload]);

  const grown = (result: GrowResult): void => {
    setPanel(undefined);
    setStep(undefined);
    const fs = result.afterBytes !== undefined ? ` The filesystem is now ${bytesLabel(result.afterBytes)}${result.beforeBytes !== undefined ? ` (was ${bytesLabel(result.beforeBytes)})` : ''}.` : '';
    setNotice(`${result.volume?.id ?? 'The volume'} is ${result.volume?.sizeGiB ?? ''} GiB.${fs}`);
    void reload();
  };

  const reachable = view?.os !== undefined;
  const title = `Storage of ${instance.name ?? instance.id}`;
  return (
    <Dialog open title={title} onClose={onClose} className="storage-dialog" footer={<Button onClick={onClose}>Close</Button>}>
      <div className="storage">
        <div className="storage__toolbar">
          <p className="storage__where">
            {instance.id} · {view?.availabilityZone ?? instance.region}
          </p>
          <div className="storage__buttons">
            <Button size="s" onClick={() => void reload()} disabled={loader.busy}>
              {loader.busy ? 'Refreshing…' : 'Refresh'}
            </Button>
            <Button size="s" onClick={() => setPanel({ kind: 'add' })} disabled={view === undefined || panel !== undefined}>
              Add volume…
            </Button>
          </div>
        </div>
        {loader.error && <ErrorNotice title="Could not read the instance’s volumes" error={loader.error} />}
        {view?.osError && <p className="storage__os-note">{toHangarError(view.osError).message} The volumes below are AWS’s view only.</p>}
        {notice && (
          <p className="storage__done" role="status">
            {notice}
          </p>
        )}
        {step !== undefined && (action.busy || panel !== undefined) && (
          <p className="storage__step" role="status">
            <span className="spinner spinner--small" aria-hidden="true" /> {step}
          </p>
        )}
        {panel?.kind === 'grow' && (
          <GrowForm
            accountId={accountId}
            region={instance.region}
            instanceId={instance.id}
            volume={panel.volume}
            canGrowFilesystem={reachable}
            onDone={grown}
            onCancel={() => setPanel(undefined)}
          />
        )}
        {panel?.kind === 'add' && view && (
          <AddVolumeForm
            accountId={accountId}
            region={instance.region}
            instanceId={instance.id}
            availabilityZone={view.availabilityZone}
            canFormat={reachable}
            onDone={(next) => {
              setPanel(undefined);
              setStep(undefined);
              setView(next);
              setNotice('The volume is added.');
            }}
            onCancel={() => setPanel(undefined)}
          />
        )}
        {view?.volumes.length === 0 && <EmptyState icon={<Icons.images size={28} />} title="No volumes">This instance has no EBS volumes (instance-store only).</EmptyState>}
        <div className="storage__volumes">
          {view?.volumes.map((v) => (
            <VolumeCard
              key={v.id}
              volume={v}
              busy={action.busy || panel !== undefined}
              onGrow={() => {
                setNotice(undefined);
                setPanel({ kind: 'grow', volume: v });
              }}
              onDetach={() => setDetaching(v)}
              onDeleteOnTermination={(value) =>
                void action.run(async () => {
                  setView(await api.storage.setDeleteOnTermination({ ...scope, volumeId: v.id, deleteOnTermination: value }));
                })
              }
            />
          ))}
        </div>
        {detached.length > 0 && (
          <section className="storage__detached" aria-label="Detached volumes">
            <h3>Detached here</h3>
            <p className="dialog__note">A detached volume is still billed per GiB-month until it is deleted.</p>
            <ul>
              {detached.map((id) => (
                <li key={id}>
                  <span className="mono">{id}</span>{' '}
                  <Button size="s" className="button--quiet-danger" onClick={() => setDeleting(id)}>
                    Delete…
                  </Button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {action.error && <ErrorNotice title="That did not work" error={action.error} />}
      </div>
      <ConfirmDialog
        open={detaching !== undefined}
        title={`Detach ${detaching?.id ?? ''}?`}
        confirmLabel="Unmount and detach"
        busyLabel="Detaching…"
        onClose={() => setDetaching(undefined)}
        onConfirm={async () => {
          if (!detaching) return;
          const next = await api.storage.detachVolume({ ...scope, volumeId: detaching.id });
          setView(next);
          setDetached((list) => [...list, detaching.id]);
          setStep(undefined);
        }}
      >
        <p>
          {detaching?.filesystems.some((f) => f.mountPoint !== undefined)
            ? `Hangar unmounts ${detaching.filesystems.flatMap((f) => f.mountPoint ?? []).join(', ')} first and takes its fstab line out, so the instance boots the same without it. Close anything using it first.`
            : 'Nothing on it is mounted (as far as Hangar can see).'}{' '}
          The volume and its data stay; you can attach it again or delete it.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete ${deleting ?? ''}?`}
        confirmLabel="Delete volume"
        busyLabel="Deleting…"
        focusCancel
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.storage.deleteVolume({ ...scope, volumeId: deleting });
          setDetached((list) => list.filter((id) => id !== deleting));
          setNotice(`${deleting} is deleted.`);
        }}
      >
        <p>Its data is gone for good unless a snapshot of it exists.</p>
      </ConfirmDialog>
    </Dialog>
  );
}

import { useEffect, useId, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { DoomedVolume, SnapshotInfo } from '../../../shared/models/images';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { ErrorNotice } from '../../components/error-notice';
import { plural } from '../../components/format';
import type { ActionPlan } from './action-plan';
import { byRegion, displayName } from './action-plan';

export interface TerminateSnapshots {
  /** The volumes the terminate would delete; undefined while asked. */
  readonly volumes: readonly DoomedVolume[] | undefined;
  readonly error: HangarError | undefined;
  /** "Snapshot them first" is ticked. */
  readonly wanted: boolean;
  setWanted(wanted: boolean): void;
  /**
   * Takes the snapshots of the given instances' doomed volumes, region by region, and resolves once AWS has
   * accepted every one (each pending at least): only then may TerminateInstances be sent.
   */
  take(instances: readonly InstanceSummary[]): Promise<SnapshotInfo[]>;
}

type Answer = { readonly plan: ActionPlan; readonly volumes?: readonly DoomedVolume[]; readonly error?: HangarError };

/** "Snapshot before terminate" for a terminate plan: which volumes would go, and the snapshots when ticked. */
export function useTerminateSnapshots(accountId: string, plan: ActionPlan | undefined): TerminateSnapshots {
  const [answer, setAnswer] = useState<Answer>();
  const [wanted, setWanted] = useState<{ plan: ActionPlan; on: boolean }>();

  useEffect(() => {
    if (!plan || plan.action !== 'terminate' || plan.targets.length === 0) return;
    let live = true;
    const groups = [...byRegion(plan.targets)];
    Promise.all(groups.map(([region, instances]) => api.images.doomedVolumes({ accountId, region, instanceIds: instances.map((i) => i.id) }))).then(
      (lists) => live && setAnswer({ plan, volumes: lists.flat() }),
      (error: unknown) => live && setAnswer({ plan, error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
  }, [plan, accountId]);

  const current = answer?.plan === plan ? answer : undefined;
  return {
    volumes: current?.volumes,
    error: current?.error,
    wanted: wanted !== undefined && wanted.plan === plan && wanted.on,
    setWanted: (on) => plan && setWanted({ plan, on }),
    async take(instances) {
      const groups = [...byRegion(instances)];
      const made = await Promise.all(groups.map(([region, list]) => api.images.snapshotBeforeTerminate({ accountId, region, instanceIds: list.map((i) => i.id) })));
      return made.flat();
    },
  };
}

/** The checkbox in the terminate dialog, with the volumes it concerns; says nothing when none would be deleted. */
export function TerminateSnapshotsOption({ snapshots, targets }: { snapshots: TerminateSnapshots; targets: readonly InstanceSummary[] }): ReactNode {
  const id = useId();
  if (snapshots.error) return <ErrorNotice title="Could not list the volumes that would be deleted" error={snapshots.error} />;
  if (snapshots.volumes === undefined) {
    return (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" />
        Looking up the volumes that would be deleted…
      </p>
    );
  }
  const names = new Map(targets.map((t) => [t.id, displayName(t)]));
  const volumes = snapshots.volumes.filter((v) => names.has(v.instanceId));
  if (volumes.length === 0) return <p className="dialog__note">No volume is deleted with {targets.length === 1 ? 'it' : 'them'}: every attached volume is kept.</p>;
  const size = volumes.reduce((sum, v) => sum + v.size, 0);
  return (
    <div className="field">
      <label className="check-label">
        <input type="checkbox" checked={snapshots.wanted} onChange={(event) => snapshots.setWanted(event.target.checked)} aria-describedby={`${id}-volumes`} />
        Snapshot the {plural(volumes.length, 'volume')} that would be deleted first ({size} GiB)
      </label>
      <ul className="target-list" id={`${id}-volumes`} aria-label="Volumes deleted with the instance">
        {volumes.map((v) => (
          <li key={v.volumeId} className="target-list__item">
            <span className="target-list__name">{names.get(v.instanceId)}</span>
            <span className="mono target-list__id">
              {v.device} · {v.volumeId} · {v.size} GiB
            </span>
          </li>
        ))}
      </ul>
      <p className="field__description">
        The snapshots are taken before the terminate is sent and keep what is on the disks now; they bill per GiB-month until you delete them (Images & snapshots).
      </p>
    </div>
  );
}

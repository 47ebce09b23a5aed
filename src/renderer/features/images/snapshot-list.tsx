import { useId, type ReactNode } from 'react';
import type { SnapshotInfo } from '../../../shared/models/images';
import { Button } from '../../components/button';
import { formatWhen, stateLabel } from './images-format';

export interface SnapshotListProps {
  region: string;
  snapshots: readonly SnapshotInfo[];
  onRestore: (snapshot: SnapshotInfo) => void;
  onCopy: (snapshot: SnapshotInfo) => void;
  onDelete: (snapshot: SnapshotInfo) => void;
}

/** The account's snapshots in the region, newest first: a pending one shows how far it has got. */
export function SnapshotList({ region, snapshots, onRestore, onCopy, onDelete }: SnapshotListProps): ReactNode {
  const headingId = useId();
  return (
    <section className="images-section" aria-labelledby={headingId}>
      <h2 className="images-section__title" id={headingId}>
        Snapshots <span className="images-section__count">{snapshots.length}</span>
      </h2>
      {snapshots.length === 0 ? (
        <p className="images-empty">No snapshots of this account in {region}. Take one of a volume with Create snapshot…, or when terminating an instance.</p>
      ) : (
        <div className="images-table-wrap">
          <table className="images-table">
            <caption className="visually-hidden">Snapshots in {region}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Snapshot ID</th>
                <th scope="col">Size</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Used by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {snapshots.map((s) => {
                const label = s.name ?? s.id;
                const completed = s.state === 'completed';
                return (
                  <tr key={s.id}>
                    <td>
                      <span className="images-table__name">{s.name ?? (s.description || 'Unnamed')}</span>
                      {s.name !== undefined && s.description !== '' && <span className="images-table__meta">{s.description}</span>}
                      <span className="images-table__meta">
                        from <span className="mono">{s.volumeId}</span>
                        {s.createdByHangar ? ' · made with Hangar' : ''}
                      </span>
                    </td>
                    <td className="mono">{s.id}</td>
                    <td>{s.volumeSize} GiB</td>
                    <td>
                      {s.state === 'pending' ? (
                        <span className="snapshot-progress">
                          <progress max={100} value={s.progress} aria-label={`Progress of ${s.id}`} />
                          <span>Pending {s.progress}%</span>
                        </span>
                      ) : (
                        <span className={`state-pill state-pill--${s.state}`}>{stateLabel(s.state)}</span>
                      )}
                    </td>
                    <td>{formatWhen(s.startTime)}</td>
                    <td className="mono">{s.imageId ?? '—'}</td>
                    <td className="images-table__actions">
                      <Button size="s" disabled={!completed} aria-label={`Restore ${label} to a new volume`} title={completed ? undefined : 'It can be restored once completed'} onClick={() => onRestore(s)}>
                        Restore…
                      </Button>
                      <Button size="s" disabled={!completed} aria-label={`Copy ${label} to another region`} onClick={() => onCopy(s)}>
                        Copy…
                      </Button>
                      <Button size="s" className="button--quiet-danger" aria-label={`Delete ${label}`} onClick={() => onDelete(s)}>
                        Delete…
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

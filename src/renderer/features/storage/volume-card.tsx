import { type ReactNode } from 'react';
import { NEARLY_FULL, usedShare, type StorageVolume } from '../../../shared/models/storage';
import { Button } from '../../components/button';
import { bytesLabel, untilLabel } from './storage-format';

export interface VolumeCardProps {
  volume: StorageVolume;
  busy: boolean;
  onGrow: () => void;
  onDetach: () => void;
  onDeleteOnTermination: (value: boolean) => void;
}

const MATCH_NOTE: Readonly<Record<string, string>> = {
  serial: 'matched by its NVMe serial',
  name: 'matched by its device name',
  size: 'matched by its size alone: check it is the right disk',
};

/** One volume: AWS's view (device, size, type, IOPS, encryption, delete on termination) and the OS's (disk, filesystems, use). */
export function VolumeCard({ volume, busy, onGrow, onDetach, onDeleteOnTermination }: VolumeCardProps): ReactNode {
  const m = volume.modification;
  const changing = m !== undefined && (m.state === 'modifying' || m.state === 'optimizing');
  const title = `${volume.name ?? volume.id}${volume.isRoot ? ' (root)' : ''}`;
  return (
    <article className="volume-card" aria-label={`Volume ${volume.id}`}>
      <header className="volume-card__header">
        <h3 className="volume-card__title">
          {title}
          {volume.name !== undefined && <span className="volume-card__id mono"> {volume.id}</span>}
        </h3>
        <div className="volume-card__actions">
          <Button size="s" onClick={onGrow} disabled={busy || changing || volume.nextChangeAt !== undefined}>
            Grow…
          </Button>
          {!volume.isRoot && (
            <Button size="s" onClick={onDetach} disabled={busy}>
              Detach…
            </Button>
          )}
        </div>
      </header>
      <dl className="volume-card__facts">
        <dt>Device</dt>
        <dd>
          <span className="mono">{volume.awsDevice}</span>
          {volume.osDisk && (
            <>
              {' → '}
              <span className="mono">{volume.osDisk.path}</span> <span className="volume-card__note">({MATCH_NOTE[volume.osDisk.matchedBy]})</span>
            </>
          )}
        </dd>
        <dt>Size and type</dt>
        <dd>
          {volume.sizeGiB} GiB {volume.type}
          {volume.iops !== undefined && `, ${volume.iops.toLocaleString()} IOPS`}
          {volume.throughput !== undefined && `, ${volume.throughput} MiB/s`}
          {volume.encrypted ? ', encrypted' : ', not encrypted'}
        </dd>
        <dt>When the instance is terminated</dt>
        <dd>
          <label className="volume-card__toggle">
            <input type="checkbox" checked={volume.deleteOnTermination} disabled={busy} onChange={(e) => onDeleteOnTermination(e.target.checked)} />
            <span>Delete this volume with the instance</span>
          </label>
        </dd>
        {m !== undefined && (
          <>
            <dt>Last change</dt>
            <dd role="status">
              {m.originalSize} → {m.targetSize} GiB {m.targetType}: {m.state}
              {m.state === 'optimizing' && ` (${m.progress}%; the new size is usable)`}
              {volume.nextChangeAt !== undefined && ` · next change allowed ${untilLabel(volume.nextChangeAt)} (four per 24 hours)`}
            </dd>
          </>
        )}
      </dl>
      {volume.filesystems.length > 0 && (
        <table className="volume-card__fs">
          <caption className="visually-hidden">Filesystems on {volume.id}</caption>
          <thead>
            <tr>
              <th scope="col">Filesystem</th>
              <th scope="col">Mounted at</th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {volume.filesystems.map((fs) => {
              const share = usedShare(fs);
              const full = share !== undefined && share >= NEARLY_FULL;
              return (
                <tr key={fs.device}>
                  <td>
                    <span className="mono">{fs.device}</span> {fs.fsType ?? 'no filesystem'}
                  </td>
                  <td className="mono">{fs.mountPoint ?? 'not mounted'}</td>
                  <td>
                    {share === undefined ? (
                      bytesLabel(fs.blockBytes)
                    ) : (
                      <div className={`usage${full ? ' usage--full' : ''}`}>
                        <meter min={0} max={1} value={share} high={NEARLY_FULL} aria-label={`${fs.mountPoint ?? fs.device} used`} />
                        <span>
                          {bytesLabel(fs.usedBytes)} of {bytesLabel(fs.sizeBytes)} ({Math.round(share * 100)}%)
                        </span>
                        {full && <strong className="usage__warn">The disk is nearly full: grow it.</strong>}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </article>
  );
}

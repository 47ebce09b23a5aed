import { useState, type ReactNode } from 'react';
import type { ConflictDecision, TransferJob } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { baseName, formatBytes } from './transfer-format';
import { transfersStore } from './transfers-store';

function formatDate(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : 'unknown';
}

/**
 * A file the job wants to write is already at the destination, different: ask what to do. The job waits
 * (state `waiting` with `conflict`) until answered; "Apply to all" answers for the rest of the job too.
 * Closing without an answer leaves the job waiting (the panel offers the question again).
 */
export function ConflictDialog({ job, onClose }: { job: TransferJob; onClose: () => void }): ReactNode {
  const conflict = job.conflict;
  const [applyToAll, setApplyToAll] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  if (!conflict) return null;
  const upload = job.direction === 'upload';
  const where = upload ? `on ${job.instanceName}` : 'on this computer';
  const name = baseName(conflict.path);
  const sourceNewer = conflict.sourceMtimeMs > conflict.destinationMtimeMs;

  async function answer(decision: ConflictDecision): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      transfersStore.apply(await api.transfers.resolveConflict(job.jobId, { decision, applyToAll }));
      onClose();
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open
      title={`${name} already exists ${where}`}
      onClose={onClose}
      footer={
        <>
          <Button disabled={busy} onClick={() => void answer('skip')}>
            Skip
          </Button>
          <Button disabled={busy} onClick={() => void answer('newer')} title="Replace it only when the file being sent is newer">
            Only if newer
          </Button>
          <Button disabled={busy} onClick={() => void answer('rename')} title="Send it under a new name next to the existing file">
            Keep both
          </Button>
          <Button variant="primary" disabled={busy} onClick={() => void answer('overwrite')}>
            Overwrite
          </Button>
        </>
      }
    >
      <p>
        <span className="mono transfer-conflict__path">{conflict.destination}</span> is already there and differs from the file being{' '}
        {upload ? 'uploaded' : 'downloaded'}.
      </p>
      <table className="transfer-conflict">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Version</span>
            </th>
            <th scope="col">Size</th>
            <th scope="col">Modified</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{upload ? 'Uploading (this computer)' : `Downloading (${job.instanceName})`}</th>
            <td>{formatBytes(conflict.sourceSize)}</td>
            <td>
              {formatDate(conflict.sourceMtimeMs)}
              {sourceNewer && <span className="badge badge--accent transfer-conflict__newer">newer</span>}
            </td>
          </tr>
          <tr>
            <th scope="row">{upload ? `Already on ${job.instanceName}` : 'Already on this computer'}</th>
            <td>{formatBytes(conflict.destinationSize)}</td>
            <td>
              {formatDate(conflict.destinationMtimeMs)}
              {!sourceNewer && conflict.destinationMtimeMs > conflict.sourceMtimeMs && (
                <span className="badge badge--accent transfer-conflict__newer">newer</span>
              )}
            </td>
          </tr>
        </tbody>
      </table>
      <label className="transfer-conflict__all">
        <input type="checkbox" className="checkbox" checked={applyToAll} onChange={(event) => setApplyToAll(event.target.checked)} />
        Apply to all conflicts in this transfer
      </label>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}

import { memo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { TransferJob, TransferState } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { ExtraIcons } from '../../components/extra-icons';
import { Icons } from '../../components/icons';
import { TransferIcons } from './transfer-icons';
import { STATE_LABELS, baseName, describeJob, formatBytes, formatEta, formatRate, isFinished, percentOf } from './transfer-format';
import { transfersStore } from './transfers-store';

const BADGE: Record<TransferState, string> = {
  queued: 'badge',
  running: 'badge badge--accent',
  waiting: 'badge badge--warn',
  paused: 'badge',
  completed: 'badge badge--ok',
  failed: 'badge badge--danger',
  cancelled: 'badge',
};

export interface TransferRowProps {
  job: TransferJob;
  /** Roving tabindex: the one row the Tab key lands on. */
  tabbable: boolean;
  onFocusRow: (jobId: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLLIElement>, jobId: string) => void;
  /** Opens the conflict question of a waiting job. */
  onAnswerConflict: (jobId: string) => void;
}

function stateText(job: TransferJob): string {
  if (job.state === 'waiting') {
    if (job.conflict) return 'Needs your answer';
    if (job.error?.code === 'CONNECTION_LOST') return 'Reconnecting…';
  }
  if (job.state === 'completed' && job.failures.length > 0) return 'Completed with failures';
  return STATE_LABELS[job.state];
}

/** "File: 0 of 1", "Files: 3 of 10+ (counting…), 2 skipped": the label carries the noun, once. */
function filesText(job: TransferJob): { label: string; text: string } {
  const total = job.counting ? `${job.totalFiles}+ (counting…)` : String(job.totalFiles);
  const skipped = job.skippedFiles > 0 ? `, ${job.skippedFiles} skipped` : '';
  const unverified = (job.unverifiedFiles ?? 0) > 0 ? `, ${job.unverifiedFiles} not checksum-verified (no sha256sum on the instance)` : '';
  return { label: job.totalFiles === 1 && !job.counting ? 'File' : 'Files', text: `${job.doneFiles} of ${total}${skipped}${unverified}` };
}

function errorOf(job: TransferJob): HangarError | undefined {
  if (!job.error) return undefined;
  return new HangarError({
    // The code is only read for display decisions; the service's codes are a superset of ours.
    code: job.error.code as HangarError['code'],
    message: job.error.message,
    ...(job.error.hint === undefined ? {} : { hint: job.error.hint }),
  });
}

/**
 * One job of the queue. Memoised on the job object: the store replaces only the job an event is about,
 * so ten progress events a second redraw one row, not the list.
 */
export const TransferRow = memo(function TransferRow({ job, tabbable, onFocusRow, onKeyDown, onAnswerConflict }: TransferRowProps): ReactNode {
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<HangarError>();
  const percent = percentOf(job);
  const finished = isFinished(job.state);
  const upload = job.direction === 'upload';
  const what = describeJob(job);
  const error = errorOf(job);
  const reconnecting = job.state === 'waiting' && job.error?.code === 'CONNECTION_LOST';
  const files = filesText(job);

  async function act(call: () => Promise<TransferJob | void>): Promise<void> {
    setBusy(true);
    setActionError(undefined);
    try {
      const answer = await call();
      if (answer) transfersStore.apply(answer);
    } catch (caught) {
      setActionError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  const label = `${upload ? 'Upload' : 'Download'} ${what}, ${job.instanceName}, ${stateText(job)}`;
  return (
    <li
      className={`transfer-row transfer-row--${job.state}`}
      tabIndex={tabbable ? 0 : -1}
      aria-label={label}
      data-job-id={job.jobId}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocusRow(job.jobId);
      }}
      onKeyDown={(event) => onKeyDown(event, job.jobId)}
    >
      <div className="transfer-row__head">
        <span className={`transfer-row__direction transfer-row__direction--${job.direction}`} title={upload ? 'Upload' : 'Download'}>
          {upload ? <ExtraIcons.upload size={18} /> : <TransferIcons.download size={18} />}
        </span>
        <div className="transfer-row__title">
          <span className="transfer-row__instance">{job.instanceName}</span>
          <span className="transfer-row__what" title={job.sources.join('\n')}>
            {what}
          </span>
        </div>
        <span className={BADGE[job.state]}>
          {reconnecting && <span className="spinner spinner--small" aria-hidden="true" />}
          {stateText(job)}
        </span>
        <div className="transfer-row__actions">
          {job.state === 'waiting' && job.conflict && (
            <Button size="s" variant="primary" onClick={() => onAnswerConflict(job.jobId)}>
              Answer…
            </Button>
          )}
          {(job.state === 'running' || job.state === 'queued' || job.state === 'waiting') && (
            <Button size="s" icon={<TransferIcons.pause size={16} />} disabled={busy} aria-label={`Pause ${what}`} onClick={() => void act(() => api.transfers.pause(job.jobId))}>
              Pause
            </Button>
          )}
          {job.state === 'paused' && (
            <Button size="s" icon={<TransferIcons.resume size={16} />} disabled={busy} aria-label={`Resume ${what}`} onClick={() => void act(() => api.transfers.resume(job.jobId))}>
              Resume
            </Button>
          )}
          {!finished && (
            <Button size="s" variant="ghost" icon={<Icons.close size={16} />} disabled={busy} aria-label={`Cancel ${what}`} onClick={() => void act(() => api.transfers.cancel(job.jobId))}>
              Cancel
            </Button>
          )}
          {finished && (job.failures.length > 0 || job.state === 'failed') && (
            <Button size="s" icon={<Icons.retry size={16} />} disabled={busy} aria-label={`Retry failed files of ${what}`} onClick={() => void act(() => api.transfers.retryFailed(job.jobId))}>
              Retry failed
            </Button>
          )}
          {finished && (
            <Button size="s" variant="ghost" disabled={busy} aria-label={`Clear ${what}`} onClick={() => void act(() => api.transfers.clearFinished(job.jobId))}>
              Clear
            </Button>
          )}
        </div>
      </div>
      <progress className="transfer-row__bar" max={100} value={percent} aria-label={`Progress of ${what}`} aria-valuetext={`${percent} %`} />
      <dl className="transfer-row__stats">
        <div>
          <dt>Done</dt>
          <dd>
            {percent} % · {formatBytes(job.doneBytes)} of {formatBytes(job.totalBytes)}
            {job.counting ? '+' : ''}
          </dd>
        </div>
        <div>
          <dt>{files.label}</dt>
          <dd>{files.text}</dd>
        </div>
        {!finished && (
          <>
            <div>
              <dt>Speed</dt>
              <dd>{job.state === 'running' ? formatRate(job.bytesPerSecond) : '—'}</dd>
            </div>
            <div>
              <dt>Time left</dt>
              <dd>{job.state === 'running' ? formatEta(job.etaSeconds) : '—'}</dd>
            </div>
          </>
        )}
        {!finished && job.currentFile && (
          <div className="transfer-row__current">
            <dt>Now</dt>
            <dd title={job.currentFile}>{baseName(job.currentFile)}</dd>
          </div>
        )}
        {finished && job.finishedAt && (
          <div>
            <dt>Finished</dt>
            <dd>{new Date(job.finishedAt).toLocaleTimeString()}</dd>
          </div>
        )}
      </dl>
      {reconnecting ? (
        <p className="transfer-row__note" role="status">
          Connection to {job.instanceName} lost. Reconnecting… the transfer continues where it stopped.
        </p>
      ) : (
        error && <ErrorNotice error={error} />
      )}
      {actionError && <ErrorNotice error={actionError} onDismiss={() => setActionError(undefined)} />}
      {job.failures.length > 0 && (
        <details className="transfer-row__failures">
          <summary>
            {job.failures.length} file{job.failures.length === 1 ? '' : 's'} failed
          </summary>
          <ul>
            {job.failures.map((failure) => (
              <li key={failure.path}>
                <span className="mono">{failure.path}</span>: {failure.message}
              </li>
            ))}
          </ul>
          {finished && (
            <Button size="s" icon={<Icons.retry size={16} />} disabled={busy} onClick={() => void act(() => api.transfers.retryFailed(job.jobId))}>
              Retry only these
            </Button>
          )}
        </details>
      )}
    </li>
  );
});

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { Section } from '../../../shared/models/settings';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { askConflict } from './conflict-prompt';
import { isFinished } from './transfer-format';
import { TransferRow } from './transfer-row';
import { transfersStore, useTransfers } from './transfers-store';
import { UploadBar } from './upload-bar';
import './transfers.css';

export interface TransfersScreenProps {
  onNavigate: (section: Section) => void;
}

/**
 * The transfer queue: every upload and download, newest first, with progress, pause / resume / cancel,
 * retry of failed files, conflict questions; and the Upload… entry point.
 */
export function TransfersScreen({ onNavigate }: TransfersScreenProps): ReactNode {
  const { status, jobs, error } = useTransfers();
  const [focusedId, setFocusedId] = useState<string>();
  const [confirmCancelAll, setConfirmCancelAll] = useState(false);
  const [headerError, setHeaderError] = useState<HangarError>();
  const list = useRef<HTMLUListElement>(null);
  // Byte counts move on this screen only: main sends them while it is open.
  useEffect(() => transfersStore.watchProgress(), []);

  const unfinished = jobs.filter((job) => !isFinished(job.state)).length;
  const finishedCount = jobs.length - unfinished;
  const tabbableId = jobs.some((job) => job.jobId === focusedId) ? focusedId : jobs[0]?.jobId;

  const onFocusRow = useCallback((jobId: string) => setFocusedId(jobId), []);

  const onRowKeyDown = useCallback((event: KeyboardEvent<HTMLLIElement>, jobId: string) => {
    if (event.target !== event.currentTarget) return;
    const rows = Array.from(list.current?.querySelectorAll<HTMLLIElement>(':scope > .transfer-row') ?? []);
    const index = rows.findIndex((row) => row.dataset.jobId === jobId);
    let next: HTMLLIElement | undefined;
    if (event.key === 'ArrowDown') next = rows[Math.min(rows.length - 1, index + 1)];
    else if (event.key === 'ArrowUp') next = rows[Math.max(0, index - 1)];
    else if (event.key === 'Home') next = rows[0];
    else if (event.key === 'End') next = rows[rows.length - 1];
    else if (event.key === ' ') {
      // Space pauses or resumes the focused job.
      event.preventDefault();
      const job = transfersStore.job(jobId);
      if (!job) return;
      const call = job.state === 'paused' ? api.transfers.resume(jobId) : isFinished(job.state) ? undefined : api.transfers.pause(jobId);
      call?.then((answer) => transfersStore.apply(answer)).catch((caught: unknown) => setHeaderError(toHangarError(caught)));
      return;
    } else return;
    event.preventDefault();
    next?.focus();
  }, []);

  // A job cleared while focused: keep keyboard users in the list.
  useEffect(() => {
    if (focusedId && !jobs.some((job) => job.jobId === focusedId) && document.activeElement === document.body) {
      list.current?.querySelector<HTMLLIElement>('.transfer-row')?.focus();
    }
  }, [jobs, focusedId]);

  async function header(call: () => Promise<void>): Promise<void> {
    setHeaderError(undefined);
    try {
      await call();
    } catch (caught) {
      setHeaderError(toHangarError(caught));
    }
  }

  let body: ReactNode;
  if (status === 'loading' && jobs.length === 0) {
    body = (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" />
        Loading transfers…
      </p>
    );
  } else if (status === 'failed' && error) {
    body = <ErrorNotice title="Could not load the transfer queue" error={error} onRetry={() => transfersStore.reload()} />;
  } else if (jobs.length === 0) {
    body = (
      <EmptyState
        icon={<Icons.transfers size={32} />}
        title="No transfers yet"
        actions={
          <Button trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('instances')}>
            Go to Instances
          </Button>
        }
      >
        <p>Drag files onto an instance to upload them. Uploads and downloads show here with their progress, and you can pause or cancel them.</p>
      </EmptyState>
    );
  } else {
    body = (
      <ul className="transfer-list" aria-label="Transfer queue" ref={list}>
        {jobs.map((job) => (
          <TransferRow
            key={job.jobId}
            job={job}
            tabbable={job.jobId === tabbableId}
            onFocusRow={onFocusRow}
            onKeyDown={onRowKeyDown}
            onAnswerConflict={askConflict}
          />
        ))}
      </ul>
    );
  }

  return (
    <div className="transfers">
      <div className="transfers__toolbar">
        <UploadBar />
        <div className="transfers__queue-actions">
          <Button variant="ghost" disabled={unfinished === 0} onClick={() => setConfirmCancelAll(true)}>
            Cancel all
          </Button>
          <Button variant="ghost" disabled={finishedCount === 0} onClick={() => void header(() => api.transfers.clearFinished())}>
            Clear finished
          </Button>
        </div>
      </div>
      {headerError && <ErrorNotice error={headerError} onDismiss={() => setHeaderError(undefined)} />}
      {body}
      <ConfirmDialog
        open={confirmCancelAll}
        title="Cancel all transfers?"
        cancelLabel="Keep them going"
        confirmLabel="Cancel all"
        // The queue answers in its own time; a refusal shows above the list, not in this question.
        onConfirm={() => void header(() => api.transfers.cancelAll())}
        onClose={() => setConfirmCancelAll(false)}
      >
        <p>
          {unfinished === 1 ? 'One transfer is' : `${unfinished} transfers are`} not finished. Files already sent stay where they are.
        </p>
      </ConfirmDialog>
    </div>
  );
}

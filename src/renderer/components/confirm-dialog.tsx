import { useRef, useState, type ReactNode } from 'react';
import { isCancelled, type HangarError } from '../../shared/errors/hangar-error';
import { toHangarError } from '../api/to-hangar-error';
import { Button } from './button';
import { Dialog } from './dialog';
import { ErrorNotice } from './error-notice';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** The red button: every question asked this way is about undoing or destroying something. */
  confirmLabel: string;
  /** On the red button while `onConfirm`'s promise runs. */
  busyLabel?: string;
  cancelLabel?: string;
  /** Cancel takes the focus when the dialog opens, so Enter is the safe answer. */
  focusCancel?: boolean;
  /**
   * Does the work. The dialog closes when it returns (or its promise resolves); a rejection is shown in
   * the dialog, which stays open. The signal is aborted when the user cancels while it runs.
   */
  onConfirm: (signal: AbortSignal) => void | Promise<void>;
  onClose: () => void;
  /** What will happen, in plain words. */
  children: ReactNode;
}

/** "Are you sure?" before a destructive action, with its refusal shown in place. */
export function ConfirmDialog({ open, title, confirmLabel, busyLabel, cancelLabel = 'Cancel', focusCancel = false, onConfirm, onClose, children }: ConfirmDialogProps): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  const running = useRef<AbortController | undefined>(undefined);

  function close(): void {
    // A confirmed action under way stops where it is (what is done stays done).
    running.current?.abort();
    running.current = undefined;
    setBusy(false);
    setError(undefined);
    onClose();
  }

  function failed(caught: unknown): void {
    if (isCancelled(caught)) return;
    setError(toHangarError(caught));
    setBusy(false);
  }

  function confirm(): void {
    const controller = new AbortController();
    let result: void | Promise<void>;
    try {
      result = onConfirm(controller.signal);
    } catch (caught) {
      failed(caught);
      return;
    }
    // Work done on the spot closes the question in the same click.
    if (!(result instanceof Promise)) {
      close();
      return;
    }
    running.current = controller;
    setBusy(true);
    setError(undefined);
    result.then(
      () => {
        // Cancelled meanwhile: the dialog is already closed.
        if (running.current !== controller) return;
        running.current = undefined;
        close();
      },
      (caught: unknown) => {
        if (running.current === controller) running.current = undefined;
        failed(caught);
      },
    );
  }

  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      footer={
        <>
          <Button onClick={close} autoFocus={focusCancel}>
            {cancelLabel}
          </Button>
          <Button className="button--danger" onClick={confirm} disabled={busy}>
            {busy && busyLabel ? busyLabel : confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}

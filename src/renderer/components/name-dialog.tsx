import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import { toHangarError } from '../api/to-hangar-error';
import { Button } from './button';
import { Dialog } from './dialog';
import { Field } from './field';

export interface NameDialogProps {
  title: string;
  label: string;
  /** The name to start from. */
  initial: string;
  submitLabel: string;
  /** On the submit button while `onSubmit` runs. */
  busyLabel?: string;
  /** Under the label: what the name is for. */
  description?: ReactNode;
  /** Selects the name without its extension when the dialog opens (renaming a file). */
  selectStem?: boolean;
  /** Keeps the submit button disabled while the field is blank. */
  required?: boolean;
  /** What is wrong with a name, said before anything is asked of main. */
  validate?: (name: string) => string | undefined;
  /** Does the work; a rejection is shown under the field and the dialog stays open. */
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}

/** Asks for one name (New folder…, Rename…). Errors from main (it exists, not allowed) appear in place. */
export function NameDialog({ title, label, initial, submitLabel, busyLabel = 'Working…', description, selectStem = false, required = false, validate, onSubmit, onClose }: NameDialogProps): ReactNode {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | HangarError>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const formId = useId();

  // After the <dialog> has opened (its effect runs before this one) and focused its close button.
  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    input.focus();
    if (!selectStem) return;
    // The extension is rarely what changes.
    const dot = initial.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : initial.length);
  }, [initial, selectStem]);

  async function submit(): Promise<void> {
    if (required && name.trim() === '') return;
    const invalid = validate?.(name);
    if (invalid) {
      setError(invalid);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(name);
    } catch (caught) {
      setError(toHangarError(caught));
      setBusy(false);
    }
  }

  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} disabled={busy || (required && name.trim() === '')}>
            {busy ? busyLabel : submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field
          ref={inputRef}
          label={label}
          value={name}
          onChange={(value) => {
            setName(value);
            setError(undefined);
          }}
          description={description}
          error={error}
        />
      </form>
    </Dialog>
  );
}

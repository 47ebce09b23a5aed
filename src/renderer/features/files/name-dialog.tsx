import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { invalidName } from './remote-path';

export interface NameDialogProps {
  title: string;
  label: string;
  /** The name to start from (selected without its extension, for a rename). */
  initial: string;
  submitLabel: string;
  /** Does the work; a rejection is shown under the field and the dialog stays open. */
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}

/** Asks for one name (New folder…, Rename…). Errors from the instance (it exists, not allowed) appear in place. */
export function NameDialog({ title, label, initial, submitLabel, onSubmit, onClose }: NameDialogProps): ReactNode {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | HangarError>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    input.focus();
    // For a rename, select the stem: the extension is rarely what changes.
    const dot = initial.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : initial.length);
  }, [initial]);

  async function submit(): Promise<void> {
    const invalid = invalidName(name);
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

  const formId = `${title.replace(/\W+/g, '-')}-form`;
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} disabled={busy}>
            {busy ? 'Working…' : submitLabel}
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
          error={error}
          spellCheck={false}
          autoComplete="off"
        />
      </form>
    </Dialog>
  );
}

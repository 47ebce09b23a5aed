import { useSyncExternalStore, type ReactNode } from 'react';
import { HostKeyDialog } from '../terminal/host-key-dialog';

interface Question {
  readonly instanceName: string;
  readonly instanceId: string;
  readonly fingerprint: string;
  readonly keyType: string;
  readonly answer: (trusted: boolean) => void;
}

let question: Question | undefined;
const listeners = new Set<() => void>();

function set(next: Question | undefined): void {
  question = next;
  for (const listener of [...listeners]) listener();
}

/**
 * Asks whether to trust an instance's host key before an upload's first connection to it (a drop on a row
 * of an instance never opened in a terminal). Resolves false when the user declines; one question at a time.
 */
export function askHostKeyTrust(facts: Omit<Question, 'answer'>): Promise<boolean> {
  question?.answer(false);
  return new Promise((resolve) => {
    set({
      ...facts,
      answer: (trusted) => {
        set(undefined);
        resolve(trusted);
      },
    });
  });
}

/** The question, over any screen. Mounted once (TransferOverlays). */
export function HostKeyPrompt(): ReactNode {
  const current = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => question,
  );
  if (!current) return null;
  return (
    <HostKeyDialog
      instanceName={current.instanceName}
      instanceId={current.instanceId}
      fingerprint={current.fingerprint}
      keyType={current.keyType}
      onTrust={() => current.answer(true)}
      onCancel={() => current.answer(false)}
    />
  );
}

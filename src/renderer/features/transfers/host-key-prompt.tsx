import type { ReactNode } from 'react';
import { HostKeyDialog } from '../../components/host-key-dialog';
import { createStore, useStore } from '../../state/create-store';

interface Question {
  readonly instanceName: string;
  readonly instanceId: string;
  readonly fingerprint: string;
  readonly keyType: string;
  readonly answer: (trusted: boolean) => void;
}

const question = createStore<Question | undefined>(undefined);

/**
 * Asks whether to trust an instance's host key before an upload's first connection to it (a drop on a row
 * of an instance never opened in a terminal). Resolves false when the user declines; one question at a time.
 */
export function askHostKeyTrust(facts: Omit<Question, 'answer'>): Promise<boolean> {
  question.get()?.answer(false);
  return new Promise((resolve) => {
    question.set({
      ...facts,
      answer: (trusted) => {
        question.set(undefined);
        resolve(trusted);
      },
    });
  });
}

/** The question, over any screen. Mounted once (TransferOverlays). */
export function HostKeyPrompt(): ReactNode {
  const current = useStore(question);
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

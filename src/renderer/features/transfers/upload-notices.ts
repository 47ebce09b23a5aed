import { useSyncExternalStore } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';

export interface UploadNotice {
  readonly id: number;
  /** "Uploading 3 items to web-1:~" or what could not be started. */
  readonly text: string;
  readonly error?: HangarError;
}

/** A started notice goes away by itself; a refusal stays until dismissed (it needs reading). */
const STARTED_MS = 6_000;
const MAX_NOTICES = 3;

let notices: readonly UploadNotice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function set(next: readonly UploadNotice[]): void {
  notices = next;
  for (const listener of [...listeners]) listener();
}

/**
 * Short feedback for uploads started away from the Transfers panel (a drop on an instance row or a
 * terminal): the user sees at once that the drop worked, or why it was refused.
 */
export const uploadNotices = {
  get: (): readonly UploadNotice[] => notices,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  push(text: string, error?: HangarError): void {
    const notice: UploadNotice = { id: nextId++, text, ...(error === undefined ? {} : { error }) };
    set([...notices, notice].slice(-MAX_NOTICES));
    if (!error) setTimeout(() => uploadNotices.dismiss(notice.id), STARTED_MS);
  },
  dismiss(id: number): void {
    if (notices.some((notice) => notice.id === id)) set(notices.filter((notice) => notice.id !== id));
  },
};

export function useUploadNotices(): readonly UploadNotice[] {
  return useSyncExternalStore(uploadNotices.subscribe, uploadNotices.get);
}

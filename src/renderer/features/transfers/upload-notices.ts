import type { HangarError } from '../../../shared/errors/hangar-error';
import { createStore, useStore } from '../../state/create-store';

export interface UploadNotice {
  readonly id: number;
  /** "Uploading 3 items to web-1:~" or what could not be started. */
  readonly text: string;
  readonly error?: HangarError;
}

/** A started notice goes away by itself; a refusal stays until dismissed (it needs reading). */
const STARTED_MS = 6_000;
const MAX_NOTICES = 3;

const store = createStore<readonly UploadNotice[]>([]);
let nextId = 1;

/**
 * Short feedback for uploads started away from the Transfers panel (a drop on an instance row or a
 * terminal): the user sees at once that the drop worked, or why it was refused.
 */
export const uploadNotices = {
  get: store.get,
  subscribe: store.subscribe,
  push(text: string, error?: HangarError): void {
    const notice: UploadNotice = { id: nextId++, text, ...(error === undefined ? {} : { error }) };
    store.set([...store.get(), notice].slice(-MAX_NOTICES));
    if (!error) setTimeout(() => uploadNotices.dismiss(notice.id), STARTED_MS);
  },
  dismiss(id: number): void {
    const notices = store.get();
    if (notices.some((notice) => notice.id === id)) store.set(notices.filter((notice) => notice.id !== id));
  },
};

export function useUploadNotices(): readonly UploadNotice[] {
  return useStore(uploadNotices);
}

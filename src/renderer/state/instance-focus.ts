import { createStore } from './create-store';

/** An instance some other part of the app wants shown on the Instances screen (a reminder, a notification). */
export interface InstanceFocus {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  /** Each request is new, even for the same instance twice. */
  readonly seq: number;
}

/**
 * "Show this instance": whoever asks (the reminders banner, a clicked notification) sets it, and the
 * Instances screen — once it is on screen for that account — brings the region into view, selects the
 * instance, scrolls to it and clears the request.
 */
export const instanceFocus = createStore<InstanceFocus | undefined>(undefined);

let seq = 0;

export function showInstance(target: Omit<InstanceFocus, 'seq'>): void {
  seq += 1;
  instanceFocus.set({ ...target, seq });
}

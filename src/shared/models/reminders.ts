/** Why Hangar reminds: a GPU instance past the hours set, the burn rate past the dollars set, or left running while closed. */
export type ReminderKind = 'gpu-hours' | 'burn-rate' | 'left-running';

/** One reminder, as the banner lists it and a desktop notification says it. */
export interface Reminder {
  /** Stable while the cause lasts (an instance's launch, the account's burn rate): a reminder is raised once per key. */
  readonly key: string;
  readonly kind: ReminderKind;
  readonly accountId: string;
  /** The instance that clicking shows (for the burn rate, the most expensive one running). */
  readonly instance?: { readonly region: string; readonly instanceId: string; readonly name: string };
  /** e.g. "notebook-gpu has run 19 h, about $10.07". */
  readonly title: string;
  readonly body: string;
  /** ISO 8601, when it was first raised. */
  readonly raisedAt: string;
}

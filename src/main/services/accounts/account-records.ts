import { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import type { AccountRecord, Settings } from '../../../shared/models/settings';
import type { SettingsStore } from '../settings/settings-store';
import { clip } from './account-text';

const MAX_ACCOUNTS = 100;

/**
 * The accounts list in settings: lookups, the writes the service makes, and the `onChange` listeners.
 * Read-modify-write steps that also touch the keychain go through `exclusive`, one at a time; network
 * checks run outside it.
 */
export interface AccountRecords {
  all(): readonly AccountRecord[];
  summaries(): AccountSummary[];
  /** Throws ACCOUNT_NOT_FOUND. */
  find(accountId: string): AccountRecord;
  summaryOf(accountId: string): AccountSummary;
  insert(record: AccountRecord): void;
  update(accountId: string, change: (record: AccountRecord) => AccountRecord): void;
  /** Drops the record; the active account moves to the first one left when it was this one. */
  delete(accountId: string): void;
  setActive(accountId: string): void;
  assertRoomForAnother(): void;
  /** A new id that fits settings and the keychain naming scheme and is not in use. */
  freshId(): string;
  exclusive<T>(step: () => Promise<T>): Promise<T>;
  /** Tells every listener the current list. */
  emit(): void;
  onChange(listener: (accounts: AccountSummary[]) => void): () => void;
}

export function createAccountRecords(settings: SettingsStore, newId: () => string): AccountRecords {
  const listeners = new Set<(accounts: AccountSummary[]) => void>();
  let queue: Promise<unknown> = Promise.resolve();

  function summaries(current: Settings = settings.get()): AccountSummary[] {
    return current.accounts.map((record) => toSummary(record, current.activeAccountId));
  }

  return {
    all: () => settings.get().accounts,
    summaries: () => summaries(),

    find(accountId) {
      const record = settings.get().accounts.find((candidate) => candidate.id === accountId);
      if (!record) throw accountNotFound(accountId);
      return record;
    },

    summaryOf(accountId) {
      const current = settings.get();
      const record = current.accounts.find((candidate) => candidate.id === accountId);
      if (!record) throw accountNotFound(accountId);
      return toSummary(record, current.activeAccountId);
    },

    insert(record) {
      settings.mutate((current) => {
        const activeExists = current.accounts.some((account) => account.id === current.activeAccountId);
        return {
          ...current,
          accounts: [...current.accounts, record],
          // The first account (or the first after the active one went missing) becomes active.
          activeAccountId: activeExists ? current.activeAccountId : record.id,
        };
      });
    },

    update(accountId, change) {
      settings.mutate((current) => {
        if (!current.accounts.some((account) => account.id === accountId)) throw accountNotFound(accountId);
        return { ...current, accounts: current.accounts.map((account) => (account.id === accountId ? change(account) : account)) };
      });
    },

    delete(accountId) {
      settings.mutate((current) => {
        const accounts = current.accounts.filter((account) => account.id !== accountId);
        const keepActive = current.activeAccountId !== accountId && accounts.some((a) => a.id === current.activeAccountId);
        return { ...current, accounts, activeAccountId: keepActive ? current.activeAccountId : accounts[0]?.id };
      });
    },

    setActive(accountId) {
      settings.mutate((current) => ({ ...current, activeAccountId: accountId }));
    },

    assertRoomForAnother() {
      if (settings.get().accounts.length >= MAX_ACCOUNTS) {
        throw new HangarError({
          code: 'INVALID_ARGUMENT',
          message: `Hangar can hold up to ${MAX_ACCOUNTS} accounts.`,
          hint: 'Remove an account you no longer use, then add this one.',
        });
      }
    },

    freshId() {
      const id = newId();
      // The id ends up in keychain entry names and settings; refuse anything that would not round-trip.
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || settings.get().accounts.some((account) => account.id === id)) {
        throw new HangarError({ code: 'INTERNAL', message: 'Hangar could not make an id for the new account.', hint: 'Try again.' });
      }
      return id;
    },

    exclusive(step) {
      const run = queue.then(step, step);
      queue = run.catch(() => undefined);
      return run;
    },

    emit() {
      if (listeners.size === 0) return;
      const list = summaries();
      for (const listener of [...listeners]) {
        try {
          listener(structuredClone(list));
        } catch {
          // One broken listener must not keep the others (or the caller) from hearing about the change.
        }
      }
    },

    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function toSummary(record: AccountRecord, activeAccountId: string | undefined): AccountSummary {
  return {
    id: record.id,
    label: record.label,
    source:
      record.source.kind === 'keys'
        ? { kind: 'keys', accessKeyIdHint: record.source.accessKeyIdHint, hasSessionToken: record.source.hasSessionToken }
        : { kind: 'profile', profile: record.source.profile, profileType: record.source.profileType },
    ...(record.awsAccountId === undefined ? {} : { awsAccountId: record.awsAccountId }),
    ...(record.arn === undefined ? {} : { arn: record.arn }),
    defaultRegion: record.defaultRegion,
    active: record.id === activeAccountId,
    addedAt: record.addedAt,
  };
}

function accountNotFound(accountId: unknown): HangarError {
  return new HangarError({
    code: 'ACCOUNT_NOT_FOUND',
    message: `There is no AWS account “${clip(String(accountId), 64)}” in Hangar.`,
    hint: 'It may have been removed in another window. Refresh the accounts list and pick one that is there.',
  });
}

import { useEffect, useState } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import type { RegionSummary } from '../../shared/models/ec2';
import { api } from '../api/api-client';
import { toHangarError } from '../api/to-hangar-error';

/** DescribeRegions answers rarely change: one call per account per session, shared by every picker. */
const cache = new Map<string, Promise<readonly RegionSummary[]>>();

function loadRegions(accountId: string): Promise<readonly RegionSummary[]> {
  let pending = cache.get(accountId);
  if (!pending) {
    pending = api.ec2.listRegions(accountId);
    cache.set(accountId, pending);
    // A failure is not remembered: the next picker asks again.
    pending.catch(() => cache.delete(accountId));
  }
  return pending;
}

export interface RegionsState {
  /** Undefined until the first answer. */
  readonly regions: readonly RegionSummary[] | undefined;
  readonly error: HangarError | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** Regions enabled for the account (opt-in regions that are not opted in are left out). */
export function useRegions(accountId: string | undefined): RegionsState {
  const [answer, setAnswer] = useState<{ accountId: string; regions?: readonly RegionSummary[]; error?: HangarError }>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!accountId) return;
    let live = true;
    loadRegions(accountId).then(
      (regions) => live && setAnswer({ accountId, regions: regions.filter((region) => region.optInStatus !== 'not-opted-in') }),
      (error: unknown) => live && setAnswer({ accountId, error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
  }, [accountId, attempt]);

  const current = answer?.accountId === accountId ? answer : undefined;
  return {
    regions: current?.regions,
    error: current?.error,
    loading: accountId !== undefined && current === undefined,
    reload: () => {
      if (accountId) cache.delete(accountId);
      setAnswer(undefined);
      setAttempt((n) => n + 1);
    },
  };
}

import { useEffect, useMemo, useState } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { activeAccount, useAccounts } from '../../state/accounts-store';
import { useTerminals } from '../../state/terminals/terminals-store';
import type { InstanceTarget } from '../../state/instance-target';

export interface UploadTargets {
  readonly targets: readonly InstanceTarget[];
  readonly loading: boolean;
  readonly error: HangarError | undefined;
  /** Where the list comes from, for the empty case ("no running instances in eu-west-1"). */
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  reload(): void;
}

function key(target: InstanceTarget): string {
  return `${target.accountId}/${target.region}/${target.instanceId}`;
}

/**
 * Running instances the Upload buttons can send to: those of the active account in its region, plus any
 * instance with an open terminal (it may be in another region the user is working in).
 */
export function useUploadTargets(): UploadTargets {
  const accounts = useAccounts();
  const account = accounts.status === 'ready' ? activeAccount(accounts.accounts) : undefined;
  const accountId = account?.id;
  const region = account?.defaultRegion;
  const { tabs } = useTerminals();
  const [answer, setAnswer] = useState<{ forKey: string; instances?: readonly InstanceSummary[]; error?: HangarError }>();
  const [attempt, setAttempt] = useState(0);
  const forKey = `${accountId ?? ''}/${region ?? ''}/${attempt}`;

  useEffect(() => {
    if (!accountId || !region) return;
    let live = true;
    api.ec2.listInstances(accountId, region).then(
      (instances) => live && setAnswer({ forKey, instances }),
      (error: unknown) => live && setAnswer({ forKey, error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
  }, [accountId, region, forKey]);

  const current = answer?.forKey === forKey ? answer : undefined;
  const targets = useMemo(() => {
    const list: InstanceTarget[] = [];
    const seen = new Set<string>();
    const add = (target: InstanceTarget): void => {
      if (seen.has(key(target))) return;
      seen.add(key(target));
      list.push(target);
    };
    if (accountId) {
      for (const instance of current?.instances ?? []) {
        if (instance.state === 'running') add({ accountId, region: instance.region, instanceId: instance.id, name: instance.name ?? instance.id });
      }
    }
    for (const tab of tabs) {
      const { accountId: tabAccount, region: tabRegion, instanceId, name } = tab.target;
      add({ accountId: tabAccount, region: tabRegion, instanceId, name });
    }
    return list.sort((a, b) => a.name.localeCompare(b.name));
  }, [accountId, current?.instances, tabs]);

  return {
    targets,
    loading: Boolean(accountId && region) && current === undefined,
    error: current?.error,
    region,
    accountId,
    reload: () => setAttempt((n) => n + 1),
  };
}

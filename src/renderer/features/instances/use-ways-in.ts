import { useEffect, useMemo, useState } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { WaysIn } from '../../../shared/models/ways-in';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';

/**
 * The ways into the account's running instances (issue 15), asked of main whenever the set of running
 * instances changes or a key is imported; rows show them and Connect picks the best. Empty until known:
 * Connect then does what it always did (SSH, with Instance Connect when no key is held).
 */
export function useWaysIn(accountId: string | undefined, instances: readonly InstanceSummary[]): ReadonlyMap<string, WaysIn> {
  const [ways, setWays] = useState<ReadonlyMap<string, WaysIn>>(new Map());
  const [keysVersion, setKeysVersion] = useState(0);
  const running = useMemo(
    () =>
      instances
        .filter((i) => i.state === 'running')
        .map((i) => `${i.region} ${i.id}`)
        .sort()
        .join('\n'),
    [instances],
  );

  useEffect(() => subscribe.keysChanged(() => setKeysVersion((v) => v + 1)), []);

  useEffect(() => {
    if (accountId === undefined || running === '') return;
    let live = true;
    const refs = running.split('\n').map((line) => {
      const [region = '', instanceId = ''] = line.split(' ');
      return { accountId, region, instanceId };
    });
    api.access.waysIn(refs).then(
      (list) => {
        if (live) setWays(new Map(list.map((w) => [w.instance.instanceId, w])));
      },
      // Not knowing only means Connect tries SSH first, as before.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [accountId, running, keysVersion]);

  return ways;
}

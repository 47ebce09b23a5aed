import { useEffect, useState } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { api } from '../../api/api-client';

// One look at the console output per stop (id + reason + launch time), whichever row or dialog asks first.
const asked = new Map<string, Promise<string | undefined>>();

/** EC2's word for a machine that shut itself down, which is what the idle watcher does. */
export function shutItselfDown(instance: InstanceSummary): boolean {
  return instance.state === 'stopped' && (instance.stateReason ?? '').includes('InstanceInitiatedShutdown');
}

/**
 * Why a stopped instance stopped, when Hangar's idle watcher stopped it ("stopped by Hangar's idle watcher
 * after 60 min idle: no GPU use, …"), read from its console output. Only asked for an instance that shut
 * itself down (or when `always`), so a table of stopped instances does not fetch every console.
 */
export function useStopReason(accountId: string, instance: InstanceSummary, always = false): string | undefined {
  const wanted = instance.state === 'stopped' && (always || shutItselfDown(instance));
  const key = `${instance.id}/${instance.stateReason ?? ''}/${instance.launchTime}`;
  const [reason, setReason] = useState<{ key: string; text: string | undefined }>();

  useEffect(() => {
    if (!wanted) return;
    let live = true;
    let pending = asked.get(key);
    if (pending === undefined) {
      pending = api.autoStop.stopReason({ accountId, region: instance.region, instanceId: instance.id }).catch(() => undefined);
      asked.set(key, pending);
    }
    void pending.then((text) => {
      if (live) setReason({ key, text });
    });
    return () => {
      live = false;
    };
  }, [wanted, key, accountId, instance.region, instance.id]);

  return wanted && reason?.key === key ? reason.text : undefined;
}

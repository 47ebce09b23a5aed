import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { InstanceTypeInfo } from '../../../shared/models/instance-actions';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';

export type TypeEntry =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly info: InstanceTypeInfo }
  | { readonly status: 'failed'; readonly error: HangarError };

// Type facts and prices do not change while the app runs: asked once per account, region and type.
const cache = new Map<string, TypeEntry>();
const MAX_TYPES_PER_CALL = 500;

const keyOf = (accountId: string, region: string, type: string): string => `${accountId}\n${region}\n${type}`;

export interface InstanceTypes {
  entry(region: string, type: string): TypeEntry | undefined;
  info(region: string, type: string): InstanceTypeInfo | undefined;
  /** Changes whenever an answer arrives, so memoised rows and sorts can depend on it. */
  readonly version: number;
}

/** vCPU, memory and the on-demand price of every type on screen, looked up per region in batches. */
export function useInstanceTypes(accountId: string, instances: readonly InstanceSummary[]): InstanceTypes {
  const [version, setVersion] = useState(0);

  // The distinct (region, type) pairs; a string key keeps the effect from re-running on every poll.
  const wanted = useMemo(() => {
    const pairs = new Set<string>();
    for (const instance of instances) pairs.add(`${instance.region}\n${instance.type}`);
    return [...pairs].sort().join('\t');
  }, [instances]);

  useEffect(() => {
    if (wanted === '') return;
    const missing = new Map<string, string[]>();
    for (const pair of wanted.split('\t')) {
      const [region = '', type = ''] = pair.split('\n');
      if (cache.has(keyOf(accountId, region, type))) continue;
      cache.set(keyOf(accountId, region, type), { status: 'loading' });
      missing.set(region, [...(missing.get(region) ?? []), type]);
    }
    for (const [region, types] of missing) {
      for (let start = 0; start < types.length; start += MAX_TYPES_PER_CALL) {
        const batch = types.slice(start, start + MAX_TYPES_PER_CALL);
        api.ec2.instanceTypes(accountId, region, batch).then(
          (infos) => {
            const byType = new Map(infos.map((info) => [info.type, info]));
            for (const type of batch) {
              cache.set(keyOf(accountId, region, type), { status: 'ready', info: byType.get(type) ?? { type } });
            }
            setVersion((n) => n + 1);
          },
          (error: unknown) => {
            const wrapped = toHangarError(error);
            for (const type of batch) {
              // A lost connection is asked again next time; a refusal is remembered for the session.
              if (wrapped.code === 'TRANSPORT_CLOSED') cache.delete(keyOf(accountId, region, type));
              else cache.set(keyOf(accountId, region, type), { status: 'failed', error: wrapped });
            }
            setVersion((n) => n + 1);
          },
        );
      }
    }
  }, [accountId, wanted]);

  const entry = useCallback((region: string, type: string) => cache.get(keyOf(accountId, region, type)), [accountId]);
  const info = useCallback(
    (region: string, type: string) => {
      const found = cache.get(keyOf(accountId, region, type));
      return found?.status === 'ready' ? found.info : undefined;
    },
    [accountId],
  );
  // `version` is the point: a new object when answers arrive, so memoised users recompute.
  return useMemo(() => ({ entry, info, version }), [entry, info, version]);
}

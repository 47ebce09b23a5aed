import { DescribeInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import type { TerminationProtection } from '../../../shared/models/instance-actions';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';

// DescribeInstanceAttribute answers for one instance per call; a few at once keeps a big selection quick.
const ATTRIBUTE_CONCURRENCY = 8;

export type TerminationProtectionCheck = (
  accountId: string,
  region: string,
  instanceIds: string[],
  signal?: AbortSignal,
) => Promise<TerminationProtection[]>;

/** Whether each instance has termination protection (disableApiTermination) turned on. */
export function createTerminationProtectionCheck(deps: { clientsFor(accountId: string): AwsClientFactory }): TerminationProtectionCheck {
  return (accountId, region, instanceIds, signal) => {
    const ids = [...new Set(instanceIds)];
    return mapBounded(ids, ATTRIBUTE_CONCURRENCY, async (id) => {
      const out = await callAws(
        () =>
          deps
            .clientsFor(accountId)
            .ec2(region)
            .send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }), { abortSignal: signal }),
        { action: 'ec2:DescribeInstanceAttribute', region, signal },
      );
      return { instanceId: id, protected: out.DisableApiTermination?.Value === true };
    });
  };
}

/** Runs `fn` over `items` with at most `limit` at a time; results keep the input order; the first failure wins. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

import { DescribeSpotInstanceRequestsCommand, type EC2Client, type SpotInstanceRequest } from '@aws-sdk/client-ec2';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { SpotRequestInfo } from '../../../shared/models/spot';
import { throwIfAborted } from '../aws/call-aws';
import { present } from './instance-summary';

// Filter values per request stay well inside EC2's limits.
const IDS_PER_CALL = 200;

function toInfo(r: SpotInstanceRequest): SpotRequestInfo | undefined {
  if (r.SpotInstanceRequestId === undefined) return undefined;
  const price = Number(r.SpotPrice);
  const info: SpotRequestInfo = {
    requestId: r.SpotInstanceRequestId,
    type: r.Type === 'persistent' ? 'persistent' : r.Type === 'one-time' ? 'one-time' : undefined,
    state: present(r.State),
    statusCode: present(r.Status?.Code),
    statusMessage: present(r.Status?.Message),
    interruptionBehavior: r.InstanceInterruptionBehavior === 'stop' || r.InstanceInterruptionBehavior === 'hibernate' || r.InstanceInterruptionBehavior === 'terminate' ? r.InstanceInterruptionBehavior : undefined,
    maxPrice: Number.isFinite(price) && r.SpotPrice !== undefined && r.SpotPrice !== '' ? price : undefined,
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as unknown as SpotRequestInfo;
}

/**
 * The listed spot instances with their requests' kind and status filled in (an interruption notice is a status
 * code: marked-for-stop, marked-for-termination). Asked by filter, not by id, so a request that has gone does not
 * fail the rest. A refusal (no ec2:DescribeSpotInstanceRequests) leaves the instances as they were: the list
 * matters more than the notice.
 */
export async function withSpotRequests(client: EC2Client, instances: InstanceSummary[], signal: AbortSignal | undefined): Promise<InstanceSummary[]> {
  const ids = [...new Set(instances.flatMap((i) => (i.spot?.requestId ? [i.spot.requestId] : [])))];
  if (ids.length === 0) return instances;
  const found = new Map<string, SpotRequestInfo>();
  try {
    for (let k = 0; k < ids.length; k += IDS_PER_CALL) {
      throwIfAborted(signal);
      const out = await client.send(
        new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'spot-instance-request-id', Values: ids.slice(k, k + IDS_PER_CALL) }] }),
        { abortSignal: signal },
      );
      for (const r of out.SpotInstanceRequests ?? []) {
        const info = toInfo(r);
        if (info) found.set(info.requestId, info);
      }
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    return instances;
  }
  return instances.map((i) => {
    const info = i.spot?.requestId === undefined ? undefined : found.get(i.spot.requestId);
    return info === undefined ? i : { ...i, spot: info };
  });
}

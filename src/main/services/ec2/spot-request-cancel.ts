import { CancelSpotInstanceRequestsCommand, DescribeSpotInstanceRequestsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import { mapAwsError } from '../aws/map-aws-error';

/**
 * Before terminating: a persistent spot request whose instance is terminated opens again and AWS launches a
 * replacement, so the requests of the instances about to go are cancelled first (AWS's own advice: cancel the
 * request, then terminate the instance). One-time requests close by themselves and are left alone.
 */
export async function cancelPersistentSpotRequests(client: EC2Client, ids: readonly string[], region: string, signal: AbortSignal | undefined): Promise<string[]> {
  let requestIds: string[];
  try {
    const out = await client.send(
      new DescribeSpotInstanceRequestsCommand({
        Filters: [
          { Name: 'instance-id', Values: [...ids] },
          { Name: 'type', Values: ['persistent'] },
          { Name: 'state', Values: ['open', 'active', 'disabled'] },
        ],
      }),
      { abortSignal: signal },
    );
    requestIds = (out.SpotInstanceRequests ?? []).flatMap((r) => (r.SpotInstanceRequestId === undefined ? [] : [r.SpotInstanceRequestId]));
  } catch {
    if (signal?.aborted) throw cancelledError();
    // Not allowed to look (or EC2 did not answer): nothing is known to cancel, and the terminate the user asked
    // for still goes ahead; an instance that was persistent spot would then be replaced, as it would in the console.
    return [];
  }
  if (requestIds.length === 0) return [];
  try {
    await client.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: requestIds }), { abortSignal: signal });
  } catch (error) {
    if (signal?.aborted) throw cancelledError();
    const mapped = mapAwsError(error, { action: 'ec2:CancelSpotInstanceRequests', region });
    throw new HangarError({
      code: mapped.code,
      message: `Nothing was terminated: the persistent spot request${requestIds.length === 1 ? '' : 's'} ${requestIds.join(', ')} could not be cancelled, and terminating alone would make AWS launch a replacement. ${mapped.message}`,
      ...(mapped.hint === undefined ? {} : { hint: mapped.hint }),
      retryable: mapped.retryable,
      details: { ...mapped.details, spotRequestIds: requestIds.join(', ') },
      cause: error,
    });
  }
  return requestIds;
}

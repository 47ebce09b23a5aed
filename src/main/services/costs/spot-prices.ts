import { DescribeSpotPriceHistoryCommand, type _InstanceType } from '@aws-sdk/client-ec2';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';

/** The current Linux spot price of one type in a region, per availability zone. */
export interface SpotPrice {
  /** USD per hour, by availability zone. */
  readonly byZone: ReadonlyMap<string, number>;
  /** ISO 8601: when it was asked. */
  readonly at: string;
}

/**
 * DescribeSpotPriceHistory with StartTime = now answers the price in force now, per type and zone. Paged;
 * the newest entry per (type, zone) wins.
 */
export async function fetchSpotPrices(clients: AwsClientFactory, region: string, types: readonly string[], signal?: AbortSignal): Promise<Map<string, SpotPrice>> {
  const at = new Date();
  const newest = new Map<string, { zone: string; usd: number; stamp: number }>();
  await callAws(
    async () => {
      const client = clients.ec2(region);
      let NextToken: string | undefined;
      const seen = new Set<string>();
      do {
        throwIfAborted(signal);
        const out = await client.send(
          new DescribeSpotPriceHistoryCommand({ InstanceTypes: types as _InstanceType[], ProductDescriptions: ['Linux/UNIX'], StartTime: at, NextToken }),
          { abortSignal: signal },
        );
        for (const row of out.SpotPriceHistory ?? []) {
          const usd = Number(row.SpotPrice);
          if (row.InstanceType === undefined || row.AvailabilityZone === undefined || !Number.isFinite(usd)) continue;
          const key = `${row.InstanceType}\n${row.AvailabilityZone}`;
          const stamp = row.Timestamp?.getTime() ?? 0;
          const before = newest.get(key);
          if (before === undefined || stamp >= before.stamp) newest.set(key, { zone: row.AvailabilityZone, usd, stamp });
        }
        NextToken = out.NextToken === '' ? undefined : out.NextToken;
        if (NextToken !== undefined) {
          if (seen.has(NextToken)) break;
          seen.add(NextToken);
        }
      } while (NextToken !== undefined);
    },
    { action: 'ec2:DescribeSpotPriceHistory', region, signal },
  );
  const prices = new Map<string, Map<string, number>>();
  for (const [key, { zone, usd }] of newest) {
    const type = key.split('\n')[0] ?? '';
    const byZone = prices.get(type) ?? new Map<string, number>();
    byZone.set(zone, usd);
    prices.set(type, byZone);
  }
  return new Map([...prices].map(([type, byZone]) => [type, { byZone, at: at.toISOString() }]));
}

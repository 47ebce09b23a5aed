import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { METRICS_PERIOD_SECONDS, METRICS_WINDOW_MS, type InstanceMetrics, type MetricPoint } from '../../../shared/models/metrics';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';

export interface MetricsService {
  /** CPU utilisation and network in/out of the last 3 hours, one point per 5 minutes, from CloudWatch. */
  instance(ref: InstanceRef, signal?: AbortSignal): Promise<InstanceMetrics>;
}

export interface MetricsServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /** The clock; tests pin it. */
  now?: () => number;
}

const QUERIES = [
  { id: 'cpu', metric: 'CPUUtilization', stat: 'Average' },
  { id: 'networkIn', metric: 'NetworkIn', stat: 'Sum' },
  { id: 'networkOut', metric: 'NetworkOut', stat: 'Sum' },
] as const;

type QueryId = (typeof QUERIES)[number]['id'];

function query(instanceId: string, q: (typeof QUERIES)[number]): MetricDataQuery {
  return {
    Id: q.id,
    MetricStat: {
      Metric: { Namespace: 'AWS/EC2', MetricName: q.metric, Dimensions: [{ Name: 'InstanceId', Value: instanceId }] },
      Period: METRICS_PERIOD_SECONDS,
      Stat: q.stat,
    },
    ReturnData: true,
  };
}

function pointsOf(result: MetricDataResult): MetricPoint[] {
  const times = result.Timestamps ?? [];
  const values = result.Values ?? [];
  return times.flatMap((time, k) => {
    const v = values[k];
    return v === undefined || !Number.isFinite(v) ? [] : [{ t: time.getTime(), v }];
  });
}

/**
 * One GetMetricData call (three queries) per look, through the account's client pool, following NextToken.
 * Periods are aligned to 5 minutes so that looks a minute apart show the same points.
 */
export function createMetricsService(deps: MetricsServiceDeps): MetricsService {
  const now = deps.now ?? Date.now;
  return {
    async instance(ref, signal) {
      const periodMs = METRICS_PERIOD_SECONDS * 1000;
      const end = Math.ceil(now() / periodMs) * periodMs;
      const start = end - METRICS_WINDOW_MS;
      const series: Record<QueryId, MetricPoint[]> = { cpu: [], networkIn: [], networkOut: [] };
      await callAws(
        async () => {
          const client = deps.clientsFor(ref.accountId).client(CloudWatchClient, ref.region);
          let nextToken: string | undefined;
          const seen = new Set<string>();
          do {
            throwIfAborted(signal);
            const out = await client.send(
              new GetMetricDataCommand({
                MetricDataQueries: QUERIES.map((q) => query(ref.instanceId, q)),
                StartTime: new Date(start),
                EndTime: new Date(end),
                ScanBy: 'TimestampAscending',
                NextToken: nextToken,
              }),
              { abortSignal: signal },
            );
            for (const result of out.MetricDataResults ?? []) {
              const id = result.Id as QueryId | undefined;
              if (id !== undefined && id in series) series[id].push(...pointsOf(result));
            }
            nextToken = out.NextToken === '' ? undefined : out.NextToken;
            if (nextToken !== undefined) {
              if (seen.has(nextToken)) break;
              seen.add(nextToken);
            }
          } while (nextToken !== undefined);
        },
        { action: 'cloudwatch:GetMetricData', region: ref.region, signal },
      );
      const sorted = (points: MetricPoint[]): MetricPoint[] => [...points].sort((a, b) => a.t - b.t);
      return {
        instanceId: ref.instanceId,
        region: ref.region,
        from: new Date(start).toISOString(),
        to: new Date(end).toISOString(),
        periodSeconds: METRICS_PERIOD_SECONDS,
        cpu: sorted(series.cpu),
        networkIn: sorted(series.networkIn),
        networkOut: sorted(series.networkOut),
      };
    },
  };
}

import type { InstanceStore, SimInstance } from './instance-store';
import type { JsonActionContext } from './json-protocol';
import { bucket, instanceSamples, isKnownStatistic, statistic } from './metric-series';
import { SimError } from './sim-error';

/**
 * GetMetricData over the simulated AWS/EC2 metrics: a MetricStat query for an instance (dimension InstanceId)
 * gets one value per period with samples, at period-aligned timestamps, newest first unless ScanBy says
 * otherwise. Other namespaces have no data (Complete, empty). Metric math is not simulated.
 */
const ID = /^[a-z][a-zA-Z0-9_]*$/;
const MAX_QUERIES = 500;

export function instanceOfDimensions(store: InstanceStore, region: string, dimensions: unknown): SimInstance | undefined {
  if (!Array.isArray(dimensions) || dimensions.length !== 1) return undefined;
  const d = dimensions[0] as { Name?: unknown; Value?: unknown };
  if (d.Name !== 'InstanceId' || typeof d.Value !== 'string') return undefined;
  const instance = store.get(d.Value);
  return instance?.region === region ? instance : undefined;
}

function epochMs(value: unknown, name: string): number {
  if (value === undefined || value === null) throw new SimError('MissingParameter', `The parameter ${name} is required.`, 400);
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(String(value));
  if (!Number.isFinite(ms)) throw new SimError('InvalidParameterValue', `The parameter ${name} must be a valid timestamp.`, 400);
  return ms;
}

interface Query {
  id: string;
  label: string | undefined;
  returnData: boolean;
  stat?: { namespace: string; metricName: string; dimensions: unknown; periodMs: number; stat: string };
}

function parseQuery(raw: unknown, k: number): Query {
  const q = (raw ?? {}) as Record<string, unknown>;
  const member = `MetricDataQueries.member.${k + 1}`;
  if (typeof q.Id !== 'string') throw new SimError('MissingParameter', `The parameter ${member}.Id is required.`, 400);
  if (!ID.test(q.Id)) throw new SimError('ValidationError', `The value ${q.Id} for parameter ${member}.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`, 400);
  const base = { id: q.Id, label: typeof q.Label === 'string' ? q.Label : undefined, returnData: q.ReturnData !== false };
  if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
    throw new SimError('ValidationError', `Exactly one element of ${member}.MetricStat and ${member}.Expression must be specified.`, 400);
  }
  if (q.Expression !== undefined) return base;
  const ms = q.MetricStat as { Metric?: { Namespace?: unknown; MetricName?: unknown; Dimensions?: unknown }; Period?: unknown; Stat?: unknown };
  const metric = ms.Metric ?? {};
  if (typeof metric.Namespace !== 'string' || typeof metric.MetricName !== 'string') throw new SimError('MissingParameter', `The parameter ${member}.MetricStat.Metric.MetricName is required.`, 400);
  const period = Number(ms.Period);
  if (!(period === 1 || period === 5 || period === 10 || period === 30 || (Number.isInteger(period) && period >= 60 && period % 60 === 0))) {
    throw new SimError('ValidationError', `The value ${String(ms.Period)} for parameter ${member}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.`, 400);
  }
  if (typeof ms.Stat !== 'string' || !isKnownStatistic(ms.Stat)) throw new SimError('InvalidParameterValue', `The value ${String(ms.Stat)} for parameter ${member}.MetricStat.Stat is not supported.`, 400);
  return { ...base, stat: { namespace: metric.Namespace, metricName: metric.MetricName, dimensions: metric.Dimensions ?? [], periodMs: period * 1000, stat: ms.Stat } };
}

export function getMetricData(ctx: JsonActionContext): unknown {
  const { input } = ctx;
  const rawQueries = input.MetricDataQueries;
  if (!Array.isArray(rawQueries) || rawQueries.length === 0) throw new SimError('MissingParameter', 'The parameter MetricDataQueries is required.', 400);
  if (rawQueries.length > MAX_QUERIES) throw new SimError('ValidationError', `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`, 400);
  const queries = rawQueries.map(parseQuery);
  const ids = new Set<string>();
  for (const q of queries) {
    if (ids.has(q.id)) throw new SimError('ValidationError', `The value ${q.id} for parameter MetricDataQueries.Id is duplicated.`, 400);
    ids.add(q.id);
  }
  const start = epochMs(input.StartTime, 'StartTime');
  const end = epochMs(input.EndTime, 'EndTime');
  if (start >= end) throw new SimError('ValidationError', 'The parameter StartTime must be less than the parameter EndTime.', 400);
  const ascending = input.ScanBy === 'TimestampAscending';
  if (input.ScanBy !== undefined && input.ScanBy !== 'TimestampAscending' && input.ScanBy !== 'TimestampDescending') {
    throw new SimError('ValidationError', `Invalid ScanBy ${String(input.ScanBy)}.`, 400);
  }
  const now = Date.now();
  // Periods start at StartTime (to the minute), as CloudWatch lays them out for GetMetricData.
  const origin = Math.floor(start / 60_000) * 60_000;
  const results = queries
    .filter((q) => q.returnData)
    .map((q) => {
      if (!q.stat) {
        return { Id: q.id, Label: q.label ?? q.id, Timestamps: [], Values: [], StatusCode: 'InternalError', Messages: [{ Code: 'Unsupported', Value: 'Metric math expressions are not simulated.' }] };
      }
      const s = q.stat;
      const instance = s.namespace === 'AWS/EC2' ? instanceOfDimensions(ctx.store, ctx.region, s.dimensions) : undefined;
      const samples = instance ? instanceSamples(instance, s.metricName, ctx.world.cloudwatch.metrics.get(instance.id), start, end, now) : [];
      const points = [...bucket(samples, s.periodMs, origin)].filter(([t]) => t >= origin && t < end).sort(([a], [b]) => (ascending ? a - b : b - a));
      return {
        Id: q.id,
        Label: q.label ?? s.metricName,
        Timestamps: points.map(([t]) => t / 1000),
        Values: points.map(([, values]) => statistic(s.stat, values)),
        StatusCode: 'Complete',
      };
    });
  return { MetricDataResults: results, Messages: [] };
}

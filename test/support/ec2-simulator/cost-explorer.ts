import { checkAllowed, optionalArray, optionalObject, optionalString, requiredString, validationError, type JsonAction, type JsonActionContext } from './json-protocol';
import { SimError } from './sim-error';

/**
 * Cost Explorer (service `ce`, JSON 1.1, served from us-east-1): GetCostAndUsage over cost rows a test seeds
 * with `sim.setCostAndUsage`. Every cost metric reports the row's amount; UsageQuantity its usage.
 */
export interface SimCostRow {
  /** The day the cost accrued (YYYY-MM-DD), or `month` (YYYY-MM) for a month's total booked on its 1st. */
  date?: string;
  month?: string;
  /** Cost Explorer's SERVICE dimension, e.g. "Amazon Elastic Compute Cloud - Compute", "EC2 - Other". */
  service: string;
  /** USD. */
  amount: number;
  region?: string;
  usageType?: string;
  usageQuantity?: number;
}

interface CostRow {
  day: number;
  service: string;
  amount: number;
  region: string;
  usageType: string;
  usageQuantity: number;
}

export class CostStore {
  private rows: CostRow[] = [];

  set(rows: readonly SimCostRow[]): void {
    this.rows = rows.map((r) => {
      const when = r.date ?? (r.month === undefined ? undefined : `${r.month}-01`);
      const day = when === undefined ? Number.NaN : Date.parse(`${when}T00:00:00Z`);
      if (Number.isNaN(day)) throw new Error(`cost row needs a date (YYYY-MM-DD) or month (YYYY-MM): ${JSON.stringify(r)}`);
      return { day, service: r.service, amount: r.amount, region: r.region ?? 'global', usageType: r.usageType ?? '', usageQuantity: r.usageQuantity ?? 0 };
    });
  }

  all(): readonly CostRow[] {
    return this.rows;
  }

  /** UnblendedCost accrued in [from, to) (epoch ms), every service. */
  totalBetween(from: number, to: number): number {
    return this.rows.filter((r) => r.day >= from && r.day < to).reduce((sum, r) => sum + r.amount, 0);
  }
}

const METRICS = ['AmortizedCost', 'BlendedCost', 'NetAmortizedCost', 'NetUnblendedCost', 'NormalizedUsageAmount', 'UnblendedCost', 'UsageQuantity'];
const GRANULARITIES = ['DAILY', 'MONTHLY', 'HOURLY'];
const DIMENSIONS: Readonly<Record<string, (r: CostRow, accountId: string) => string>> = {
  SERVICE: (r) => r.service,
  REGION: (r) => r.region,
  USAGE_TYPE: (r) => r.usageType,
  LINKED_ACCOUNT: (_r, accountId) => accountId,
  RECORD_TYPE: () => 'Usage',
};
const DAY_MS = 86_400_000;

function parseDay(value: string, member: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw new SimError('ValidationException', `${member} ${value} is not a valid date (yyyy-MM-dd).`, 400);
  return ms;
}

function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A Filter expression: Dimensions / Tags / And / Or / Not, as Cost Explorer evaluates them. */
function compileExpression(raw: Record<string, unknown>, accountId: string): (r: CostRow) => boolean {
  const keys = Object.keys(raw).filter((k) => raw[k] !== undefined);
  if (keys.length !== 1) throw new SimError('ValidationException', 'Expression must have exactly one of Dimensions, Tags, CostCategories, And, Or, Not.', 400);
  const parts = (v: unknown): ((r: CostRow) => boolean)[] => {
    if (!Array.isArray(v) || v.length < 2) throw new SimError('ValidationException', 'And and Or expressions must contain at least two expressions.', 400);
    return v.map((e) => compileExpression((e ?? {}) as Record<string, unknown>, accountId));
  };
  if (raw.And !== undefined) {
    const all = parts(raw.And);
    return (r) => all.every((p) => p(r));
  }
  if (raw.Or !== undefined) {
    const any = parts(raw.Or);
    return (r) => any.some((p) => p(r));
  }
  if (raw.Not !== undefined) {
    const inner = compileExpression((raw.Not ?? {}) as Record<string, unknown>, accountId);
    return (r) => !inner(r);
  }
  if (raw.Dimensions !== undefined) {
    const d = raw.Dimensions as { Key?: unknown; Values?: unknown };
    const extract = typeof d.Key === 'string' ? DIMENSIONS[d.Key] : undefined;
    if (!extract) throw new SimError('ValidationException', `Dimension ${String(d.Key)} is not allowed. Allowed values are ${Object.keys(DIMENSIONS).join(', ')}.`, 400);
    const values = Array.isArray(d.Values) ? d.Values.map(String) : [];
    return (r) => values.includes(extract(r, accountId));
  }
  // Seeded costs carry no tags or cost categories: a tag filter matches nothing.
  return () => false;
}

function metricValue(metric: string, rows: CostRow[]): { Amount: string; Unit: string } {
  if (metric === 'UsageQuantity' || metric === 'NormalizedUsageAmount') {
    return { Amount: String(rows.reduce((s, r) => s + r.usageQuantity, 0)), Unit: 'N/A' };
  }
  const sum = rows.reduce((s, r) => s + r.amount, 0);
  return { Amount: String(Math.round(sum * 1e10) / 1e10), Unit: 'USD' };
}

function getCostAndUsage(ctx: JsonActionContext): unknown {
  checkAllowed(ctx, 'ce', ['GetCostAndUsage'], `arn:aws:ce:us-east-1:${ctx.accountId}:/GetCostAndUsage`);
  const period = optionalObject(ctx.input, 'TimePeriod');
  if (!period) throw validationError('TimePeriod', 'Member must not be null');
  const start = parseDay(requiredString(period, 'Start'), 'Start date');
  const end = parseDay(requiredString(period, 'End'), 'End date');
  if (start >= end) throw new SimError('ValidationException', 'Start date (and hour) should be before end date (and hour)', 400);
  const granularity = requiredString(ctx.input, 'Granularity');
  if (!GRANULARITIES.includes(granularity)) throw validationError('granularity', `Member must satisfy enum value set: [${GRANULARITIES.join(', ')}]`, granularity);
  if (granularity === 'HOURLY') throw new SimError('ValidationException', 'Hourly granularity is not enabled for this account. Enable it in the Cost Explorer preferences.', 400);
  const metrics = (optionalArray(ctx.input, 'Metrics') ?? []).map(String);
  if (metrics.length === 0) throw new SimError('ValidationException', 'Metrics cannot be empty.', 400);
  const bad = metrics.find((m) => !METRICS.includes(m));
  if (bad !== undefined) throw new SimError('ValidationException', `Metrics ${bad} is invalid. Valid values are ${METRICS.join(', ')}.`, 400);
  const groupBy = (optionalArray(ctx.input, 'GroupBy') ?? []).map((g) => g as { Type?: unknown; Key?: unknown });
  if (groupBy.length > 2) throw new SimError('ValidationException', 'You can only group by up to two dimensions, tags or cost categories.', 400);
  const groupKeys = groupBy.map((g): ((r: CostRow) => string) => {
    if (g.Type === 'DIMENSION') {
      const extract = typeof g.Key === 'string' ? DIMENSIONS[g.Key] : undefined;
      if (!extract) throw new SimError('ValidationException', `Group Definition dimension is invalid. Valid values are ${Object.keys(DIMENSIONS).join(', ')}.`, 400);
      return (r) => extract(r, ctx.accountId);
    }
    if (g.Type === 'TAG' && typeof g.Key === 'string') return () => `${g.Key as string}$`;
    throw new SimError('ValidationException', 'Group Definition type is invalid. Valid values are DIMENSION, TAG, COST_CATEGORY.', 400);
  });
  const filterRaw = optionalObject(ctx.input, 'Filter');
  const filter = filterRaw === undefined ? () => true : compileExpression(filterRaw, ctx.accountId);
  if (optionalString(ctx.input, 'NextPageToken') !== undefined) throw new SimError('InvalidNextTokenException', 'The NextPageToken is invalid.', 400);

  const now = new Date();
  const currentMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const rows = ctx.world.costs.all().filter(filter);
  const results: unknown[] = [];
  for (let from = start; from < end; ) {
    const d = new Date(from);
    const next = granularity === 'DAILY' ? from + DAY_MS : Math.min(end, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    const inPeriod = rows.filter((r) => r.day >= from && r.day < next);
    const base = { TimePeriod: { Start: ymd(from), End: ymd(next) }, Estimated: next > currentMonth };
    if (groupKeys.length === 0) {
      results.push({ ...base, Total: Object.fromEntries(metrics.map((m) => [m, metricValue(m, inPeriod)])), Groups: [] });
    } else {
      const groups = new Map<string, CostRow[]>();
      for (const r of inPeriod) {
        const key = JSON.stringify(groupKeys.map((k) => k(r)));
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
      results.push({
        ...base,
        Total: {},
        Groups: [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, members]) => ({
          Keys: JSON.parse(key) as string[],
          Metrics: Object.fromEntries(metrics.map((m) => [m, metricValue(m, members)])),
        })),
      });
    }
    from = next;
  }
  return {
    ...(groupBy.length > 0 ? { GroupDefinitions: groupBy.map((g) => ({ Type: g.Type, Key: g.Key })) } : {}),
    ResultsByTime: results,
    DimensionValueAttributes: [],
  };
}

export const COST_EXPLORER_ACTIONS: Readonly<Record<string, JsonAction>> = {
  GetCostAndUsage: getCostAndUsage,
};

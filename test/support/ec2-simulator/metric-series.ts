import { createHash } from 'node:crypto';
import type { SimInstance } from './instance-store';

/** A metric's value at one 5-minute sample, or undefined for "no data point". */
export type SimMetricValue = number | ((at: Date, instanceId: string) => number | undefined);

/**
 * What `sim.setMetrics(instanceId, …)` may pin per AWS/EC2 metric: a constant or a function of the sample
 * time. Metrics not given keep the default series: CPUUtilization a low, slightly noisy 0.8–3.2 %, NetworkIn
 * 15–75 kB and NetworkOut 10–50 kB per 5 minutes — a machine sitting idle.
 */
export type SimInstanceMetrics = Partial<Record<string, SimMetricValue>>;

/** EC2 basic monitoring: one sample per 5 minutes. */
export const SAMPLE_MS = 300_000;

const DEFAULTS: Readonly<Record<string, (noise: number) => number>> = {
  CPUUtilization: (n) => Math.round((0.8 + 2.4 * n) * 1000) / 1000,
  NetworkIn: (n) => Math.round(15_000 + 60_000 * n),
  NetworkOut: (n) => Math.round(10_000 + 40_000 * n),
  NetworkPacketsIn: (n) => Math.round(60 + 200 * n),
  NetworkPacketsOut: (n) => Math.round(50 + 150 * n),
};

/** Deterministic noise in [0, 1): the same instance, metric and time always give the same value. */
function noise(instanceId: string, metric: string, t: number): number {
  return createHash('sha256').update(`${instanceId}/${metric}/${t}`).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export interface Sample {
  readonly t: number;
  readonly v: number;
}

/**
 * The 5-minute samples of an instance metric in [from, to): only while the instance was up (from its launch
 * or last start to when it last went down, or now), as EC2 publishes metrics only for running instances.
 */
export function instanceSamples(instance: SimInstance, metric: string, pinned: SimInstanceMetrics | undefined, from: number, to: number, now: number): Sample[] {
  const up = instance.launchTime.getTime();
  const down = instance.haltedAt ?? (instance.state === 'running' || instance.state === 'pending' ? now : up);
  const lo = Math.max(from, up);
  const hi = Math.min(to, down, now);
  const source = pinned?.[metric];
  const fallback = DEFAULTS[metric];
  if (source === undefined && fallback === undefined) return [];
  const out: Sample[] = [];
  for (let t = Math.ceil(lo / SAMPLE_MS) * SAMPLE_MS; t < hi; t += SAMPLE_MS) {
    const v = source === undefined ? fallback?.(noise(instance.id, metric, t)) : typeof source === 'number' ? source : source(new Date(t), instance.id);
    if (v !== undefined && Number.isFinite(v)) out.push({ t, v });
  }
  return out;
}

const PERCENTILE = /^p(\d{1,2}(\.\d+)?)$/;

export function isKnownStatistic(stat: string): boolean {
  return ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].includes(stat) || PERCENTILE.test(stat);
}

/** One statistic over a period's samples (percentiles by nearest rank). */
export function statistic(stat: string, values: readonly number[]): number {
  if (stat === 'SampleCount') return values.length;
  if (stat === 'Sum') return values.reduce((s, v) => s + v, 0);
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Maximum') return Math.max(...values);
  const p = PERCENTILE.exec(stat);
  if (p) {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.max(0, Math.ceil((Number(p[1]) / 100) * sorted.length) - 1);
    return sorted[rank] ?? 0;
  }
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Samples grouped into periods of `periodMs` starting at `origin` (default the epoch): period start → values. */
export function bucket(samples: readonly Sample[], periodMs: number, origin = 0): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const s of samples) {
    const start = origin + Math.floor((s.t - origin) / periodMs) * periodMs;
    const list = out.get(start);
    if (list) list.push(s.v);
    else out.set(start, [s.v]);
  }
  return out;
}

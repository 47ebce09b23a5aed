/** One CloudWatch data point: the period's start (epoch ms) and its value. */
export interface MetricPoint {
  readonly t: number;
  readonly v: number;
}

/** An instance's recent CloudWatch metrics (AWS/EC2, basic monitoring), oldest point first. */
export interface InstanceMetrics {
  readonly instanceId: string;
  readonly region: string;
  /** ISO 8601: the window asked for. */
  readonly from: string;
  readonly to: string;
  readonly periodSeconds: number;
  /** CPUUtilization, percent, the average of each period. */
  readonly cpu: readonly MetricPoint[];
  /** NetworkIn and NetworkOut, bytes per period (their sums). */
  readonly networkIn: readonly MetricPoint[];
  readonly networkOut: readonly MetricPoint[];
}

/** The window and resolution of the graph: EC2's basic monitoring publishes every 5 minutes. */
export const METRICS_WINDOW_MS = 3 * 3_600_000;
export const METRICS_PERIOD_SECONDS = 300;

export interface CpuSummary {
  readonly average?: number;
  readonly peak?: number;
  /** idle: averaged under 5 % with no period over 20 %; light: under 30 %; busy: more. */
  readonly verdict: 'idle' | 'light' | 'busy' | 'no-data';
  /** e.g. "CPU averaged 2 % over the last 3 h — idle". */
  readonly text: string;
}

function percent(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

function span(ms: number): string {
  if (ms >= 3_600_000 - 60_000) {
    const hours = Math.round(ms / 3_600_000);
    return `${hours} h`;
  }
  return `${Math.max(5, Math.round(ms / 60_000))} min`;
}

/**
 * The CPU graph in one sentence, so a user (or a screen reader) knows at a glance whether the instance is doing
 * anything. The span is the data's own when it is shorter than the window (an instance started an hour ago).
 */
export function summarizeCpu(metrics: InstanceMetrics): CpuSummary {
  const points = metrics.cpu;
  const window = Date.parse(metrics.to) - Date.parse(metrics.from);
  if (points.length === 0) {
    return { verdict: 'no-data', text: `No CPU data for the last ${span(window)}: CloudWatch publishes EC2 metrics every 5 minutes while the instance runs.` };
  }
  const average = points.reduce((sum, p) => sum + p.v, 0) / points.length;
  const peak = Math.max(...points.map((p) => p.v));
  const first = points[0]?.t ?? Date.parse(metrics.from);
  const covered = Math.min(window, Date.parse(metrics.to) - first);
  const verdict = average < 5 && peak < 20 ? 'idle' : average < 30 ? 'light' : 'busy';
  const words = verdict === 'idle' ? 'idle' : verdict === 'light' ? 'light use' : 'busy';
  return { average, peak, verdict, text: `CPU averaged ${percent(average)} % over the last ${span(covered)} — ${words} (peak ${percent(peak)} %)` };
}

/** Bytes in a human unit, for the network line. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? Math.round(value) : value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

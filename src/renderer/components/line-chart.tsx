import type { ReactNode } from 'react';
import './line-chart.css';

export interface LineChartPoint {
  /** x: epoch ms */
  readonly t: number;
  readonly v: number;
}

export interface LineChartProps {
  points: readonly LineChartPoint[];
  /** The time span drawn, epoch ms. */
  from: number;
  to: number;
  /** Top of the y axis; default the data's maximum (at least `minMax`). */
  max?: number;
  minMax?: number;
  /** Points further apart than this are not joined (the instance was down). */
  gapMs: number;
  /** The accessible name: the chart's numbers in words (the picture alone says nothing to a screen reader). */
  label: string;
  /** The y axis' top label, e.g. "100 %". */
  formatValue: (value: number) => string;
}

const W = 600;
const H = 120;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/**
 * A small line chart in plain SVG (no charting library): the series as a line over a faint area, broken where
 * data is missing, with the y range and the first and last time on the axes.
 */
export function LineChart({ points, from, to, max, minMax = 1, gapMs, label, formatValue }: LineChartProps): ReactNode {
  const top = max ?? Math.max(minMax, ...points.map((p) => p.v));
  const x = (t: number): number => PAD.left + ((t - from) / Math.max(1, to - from)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - Math.min(v, top) / top) * (H - PAD.top - PAD.bottom);
  const runs: LineChartPoint[][] = [];
  for (const p of points) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && p.t - last.t <= gapMs) run.push(p);
    else runs.push([p]);
  }
  const base = y(0);
  return (
    <svg className="line-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-points={points.length}>
      <line className="line-chart__grid" x1={PAD.left} x2={W - PAD.right} y1={y(top)} y2={y(top)} />
      <line className="line-chart__grid" x1={PAD.left} x2={W - PAD.right} y1={y(top / 2)} y2={y(top / 2)} />
      <line className="line-chart__axis" x1={PAD.left} x2={W - PAD.right} y1={base} y2={base} />
      <text className="line-chart__tick" x={PAD.left - 4} y={y(top) + 4} textAnchor="end">
        {formatValue(top)}
      </text>
      <text className="line-chart__tick" x={PAD.left - 4} y={base} textAnchor="end">
        {formatValue(0)}
      </text>
      <text className="line-chart__tick" x={PAD.left} y={H - 4}>
        {clock(from)}
      </text>
      <text className="line-chart__tick" x={W - PAD.right} y={H - 4} textAnchor="end">
        {clock(to)}
      </text>
      {runs.map((run) => {
        const line = run.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
        const first = run[0];
        const last = run[run.length - 1];
        if (!first || !last) return null;
        const area = `${x(first.t).toFixed(1)},${base} ${line} ${x(last.t).toFixed(1)},${base}`;
        return (
          <g key={first.t}>
            <polygon className="line-chart__area" points={area} />
            {run.length === 1 ? <circle className="line-chart__dot" cx={x(first.t)} cy={y(first.v)} r={2.5} /> : <polyline className="line-chart__line" points={line} />}
          </g>
        );
      })}
    </svg>
  );
}

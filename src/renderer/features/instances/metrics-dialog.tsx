import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { formatBytes, summarizeCpu, type InstanceMetrics, type MetricPoint } from '../../../shared/models/metrics';
import type { InstanceRef } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { LineChart } from '../../components/line-chart';
import { Icons } from '../../components/icons';

export interface MetricsTarget extends InstanceRef {
  readonly name: string;
}

type Load = { status: 'loading' } | { status: 'ready'; metrics: InstanceMetrics } | { status: 'failed'; error: HangarError };

const sum = (points: readonly MetricPoint[]): number => points.reduce((total, p) => total + p.v, 0);

function cpuLabel(metrics: InstanceMetrics, text: string): string {
  return `CPU utilisation, last 3 hours, ${metrics.cpu.length} five-minute points. ${text}.`;
}

/** An instance's CPU (and network) of the last 3 hours from CloudWatch, as a chart and in words. */
export function MetricsDialog({ target, onClose }: { target: MetricsTarget; onClose: () => void }): ReactNode {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => {
    setLoad({ status: 'loading' });
    setRound((n) => n + 1);
  }, []);

  useEffect(() => {
    let live = true;
    const ref: InstanceRef = { accountId: target.accountId, region: target.region, instanceId: target.instanceId };
    api.metrics.instance(ref).then(
      (metrics) => live && setLoad({ status: 'ready', metrics }),
      (error: unknown) => live && setLoad({ status: 'failed', error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
  }, [target.accountId, target.region, target.instanceId, round]);

  let body: ReactNode;
  if (load.status === 'loading') {
    body = (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" /> Asking CloudWatch…
      </p>
    );
  } else if (load.status === 'failed') {
    body = <ErrorNotice title="Could not read this instance’s metrics" error={load.error} onRetry={reload} />;
  } else {
    const { metrics } = load;
    const from = Date.parse(metrics.from);
    const to = Date.parse(metrics.to);
    const gapMs = metrics.periodSeconds * 2000;
    const summary = summarizeCpu(metrics);
    const inBytes = sum(metrics.networkIn);
    const outBytes = sum(metrics.networkOut);
    const networkTop = Math.max(1, ...metrics.networkIn.map((p) => p.v), ...metrics.networkOut.map((p) => p.v));
    body = (
      <>
        <p className={`metrics-summary metrics-summary--${summary.verdict}`} role="status">
          {summary.text}
        </p>
        <figure className="metrics-figure">
          <figcaption className="metrics-figure__caption">CPU utilisation (%)</figcaption>
          <LineChart points={metrics.cpu} from={from} to={to} max={100} gapMs={gapMs} label={cpuLabel(metrics, summary.text)} formatValue={(v) => `${Math.round(v)} %`} />
        </figure>
        <figure className="metrics-figure">
          <figcaption className="metrics-figure__caption">
            Network in <span className="metrics-key metrics-key--in" aria-hidden="true" /> and out <span className="metrics-key metrics-key--out" aria-hidden="true" /> per 5 min
          </figcaption>
          <div className="metrics-overlay">
            <LineChart
              points={metrics.networkIn}
              from={from}
              to={to}
              max={networkTop}
              gapMs={gapMs}
              label={`Network in, last 3 hours: ${formatBytes(inBytes)} in all.`}
              formatValue={(v) => formatBytes(v)}
            />
            <div className="metrics-overlay__second">
              <LineChart
                points={metrics.networkOut}
                from={from}
                to={to}
                max={networkTop}
                gapMs={gapMs}
                label={`Network out, last 3 hours: ${formatBytes(outBytes)} in all.`}
                formatValue={(v) => formatBytes(v)}
              />
            </div>
          </div>
        </figure>
        <p className="launch-note">
          {formatBytes(inBytes)} in, {formatBytes(outBytes)} out over the same time. From CloudWatch (basic monitoring: one point per 5 minutes). GPU use is not
          shown: EC2 does not publish it.
        </p>
      </>
    );
  }

  return (
    <Dialog
      open
      title={`Metrics — ${target.name}`}
      onClose={onClose}
      footer={
        <>
          <Button icon={<Icons.retry size={16} />} onClick={reload} disabled={load.status === 'loading'}>
            Refresh
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {body}
    </Dialog>
  );
}

import type { ReactNode } from 'react';
import { describeAutoStopRule } from '../../../shared/models/auto-stop';
import type { AutoStopLaunchOptionProps } from '../../state/screen-slots';
import { AutoStopFields, autoStopProblems } from './auto-stop-fields';

/**
 * The Launch wizard's "Stop when idle for N minutes": on by default for GPU types (the wizard decides),
 * creating the CloudWatch alarm for each new instance right after the launch. The on-instance watcher
 * needs SSH, so it is offered later, from the instance.
 */
export function AutoStopLaunchOption({ value, onChange }: AutoStopLaunchOptionProps): ReactNode {
  const problems = autoStopProblems(value);
  const valid = problems.minutes === undefined && problems.cpuPercent === undefined;
  return (
    <section className="auto-stop-launch" aria-label="Stop when idle">
      <AutoStopFields switchLabel="Stop when idle" value={value} onChange={onChange}>
        {valid && (
          <p className="auto-stop__rule" aria-live="polite">
            {describeAutoStopRule({ minutes: Number(value.minutes), cpuPercent: Number(value.cpuPercent), alarm: true, watcher: false })} The watcher that
            also sees GPUs and notebooks can be added from the instance once it runs.
          </p>
        )}
      </AutoStopFields>
      {!value.on && <p className="auto-stop__note">Off: the instances run (and bill) until you stop them.</p>}
    </section>
  );
}

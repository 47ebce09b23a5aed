import { useEffect, type ReactNode } from 'react';
import { describeAutoStopRule, type IdleAlarm } from '../../../shared/models/auto-stop';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { idleAlarms, useIdleAlarm } from './idle-alarms-store';
import { useStopReason } from './use-stop-reason';
import './auto-stop.css';

function ruleOf(alarm: IdleAlarm): string {
  return describeAutoStopRule({ minutes: alarm.ruleMinutes, cpuPercent: alarm.cpuPercent, alarm: true, watcher: alarm.backstop });
}

/**
 * On an instance's row: "Idle stop · 60 min" while Hangar's idle alarm is on (its rule in the tooltip), and
 * "Stopped when idle" on an instance the alarm or the watcher stopped, saying which and why.
 */
export function AutoStopBadge({ accountId, instance }: { accountId: string; instance: InstanceSummary }): ReactNode {
  const alarm = useIdleAlarm(accountId, instance.region, instance.id);
  const watcherReason = useStopReason(accountId, instance);
  useEffect(() => idleAlarms.ensure(accountId, instance.region), [accountId, instance.region]);

  if (instance.state === 'terminated' || instance.state === 'shutting-down') return null;
  if (instance.state === 'stopped' && (watcherReason !== undefined || alarm?.state === 'ALARM')) {
    const why = watcherReason ?? `stopped by Hangar's idle alarm: ${alarm?.stateReason ?? `average CPU below ${alarm?.cpuPercent ?? ''} %`}`;
    return (
      <span className="auto-stop-badge auto-stop-badge--stopped" title={why}>
        Stopped when idle
        <span className="visually-hidden">: {why}</span>
      </span>
    );
  }
  if (alarm === undefined) return null;
  return (
    <span className={`auto-stop-badge${alarm.stops ? '' : ' auto-stop-badge--off'}`} title={alarm.stops ? ruleOf(alarm) : 'Hangar’s idle alarm no longer stops this instance: its action was changed or disabled in CloudWatch.'}>
      Idle stop · {alarm.ruleMinutes} min{alarm.backstop ? ' + watcher' : ''}
    </span>
  );
}

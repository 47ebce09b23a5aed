import type { AutoStopInput, AutoStopStatus, IdleAlarm } from '../../../shared/models/auto-stop';
import type { InstanceStateChange } from '../../../shared/models/instance-actions';
import type { InstanceRef } from '../../../shared/models/transfers';

/**
 * "Stop when idle for N minutes" (issue 13), both layers: the CloudWatch alarm (idle-alarm.ts) and the
 * on-instance watcher (idle-watcher-service.ts). Hangar itself never stops an instance on a timer.
 */
export interface AutoStopService {
  /** The instance's alarm and, when it is running, its watcher as seen over SSH (or why SSH did not work). */
  status(instance: InstanceRef, signal?: AbortSignal): Promise<AutoStopStatus>;
  /**
   * Puts the rule in place. Refuses an instance-store-backed instance (IDLE_CANNOT_STOP) and a terminated one.
   * With the watcher, the alarm becomes its backstop (twice N). A layer that fails while the other one
   * works is reported in `problems`; when nothing could be put in place, the error is thrown (a denied
   * cloudwatch:PutMetricAlarm: AWS_UNAUTHORIZED naming it, with the watcher offered alone).
   */
  enable(input: AutoStopInput, signal?: AbortSignal): Promise<AutoStopStatus>;
  /** Deletes the alarm and, when the instance is running and reachable, removes the watcher. */
  disable(instance: InstanceRef, signal?: AbortSignal): Promise<AutoStopStatus>;
  /** Hangar's idle alarms of one region, with their state: one DescribeAlarms by name prefix. */
  listAlarms(accountId: string, region: string, signal?: AbortSignal): Promise<IdleAlarm[]>;
  /**
   * Why a stopped instance stopped, when Hangar's watcher did it: its line in the console output, said as
   * "stopped by Hangar's idle watcher after 60 min idle: no GPU use, no kernels, no sessions".
   */
  stopReason(instance: InstanceRef, signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Follows Hangar's own start / terminate (ec2.onStateChanges): a terminated instance's alarm is deleted,
   * a started one's is set back to OK so that the next idle spell stops it again. Runs in the background.
   */
  instancesChanged(changes: readonly InstanceStateChange[], where: { accountId: string; region: string }): void;
  /** Resolves when the background work `instancesChanged` started has finished (tests, shutdown). */
  settled(): Promise<void>;
}

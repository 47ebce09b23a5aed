import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { HangarError } from '../../../shared/errors/hangar-error';
import { ALARM_PERIOD_MINUTES, alarmMinutesFor, formatPercent, IDLE_ALARM_PREFIX, type AlarmStateValue, type IdleAlarm } from '../../../shared/models/auto-stop';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';

/** The tag every resource Hangar creates carries (as on launched instances and key pairs). */
const CREATED_BY = { Key: 'hangar:created-by', Value: 'Hangar' } as const;
const PUT_ACTION = 'cloudwatch:PutMetricAlarm';
// In the description so that the alarm, read back, says which rule it serves.
const BACKSTOP_MARK = /backstop for Hangar's on-instance idle watcher \((\d{1,5}) min\)/;

export interface IdleAlarmRule {
  /** The minutes the user chose. */
  readonly minutes: number;
  readonly cpuPercent: number;
  /** The watcher is installed: the alarm waits twice as long, as its backstop. */
  readonly backstop: boolean;
}

export interface IdleAlarms {
  /** Creates or replaces `hangar-idle-<instance id>`. No cloudwatch:PutMetricAlarm: AWS_UNAUTHORIZED naming it. */
  put(ref: InstanceRef, rule: IdleAlarmRule, signal?: AbortSignal): Promise<IdleAlarm>;
  /** The instance's alarm, undefined when there is none. */
  find(ref: InstanceRef, signal?: AbortSignal): Promise<IdleAlarm | undefined>;
  /** Every Hangar idle alarm of a region (one DescribeAlarms by prefix, pages followed). */
  list(accountId: string, region: string, signal?: AbortSignal): Promise<IdleAlarm[]>;
  /** Deletes the instance's alarm; one that does not exist is no error. */
  remove(ref: InstanceRef, signal?: AbortSignal): Promise<void>;
  /** Back to OK (no action runs), so the next idle spell is a fresh transition to ALARM that stops it again. */
  rearm(ref: InstanceRef, why: string, signal?: AbortSignal): Promise<void>;
}

export function idleAlarmName(instanceId: string): string {
  return `${IDLE_ALARM_PREFIX}${instanceId}`;
}

export function stopActionArn(region: string): string {
  return `arn:aws:automate:${region}:ec2:stop`;
}

/**
 * The CloudWatch half of "Stop when idle": an alarm on the instance's average CPUUtilization (AWS/EC2,
 * InstanceId) below X % for N minutes, in 5-minute periods (basic monitoring), whose action is EC2's own
 * stop. It lives in AWS, so it keeps working with the laptop closed and nothing installed on the instance.
 */
export function createIdleAlarms(deps: { clientsFor(accountId: string): AwsClientFactory }): IdleAlarms {
  const cloudwatch = (accountId: string, region: string): CloudWatchClient => deps.clientsFor(accountId).client(CloudWatchClient, region);

  async function find(ref: InstanceRef, signal?: AbortSignal): Promise<IdleAlarm | undefined> {
    const { accountId, region, instanceId } = ref;
    const out = await callAws(
      () => cloudwatch(accountId, region).send(new DescribeAlarmsCommand({ AlarmNames: [idleAlarmName(instanceId)], AlarmTypes: ['MetricAlarm'] }), { abortSignal: signal }),
      { action: 'cloudwatch:DescribeAlarms', region, signal },
    );
    const found = (out.MetricAlarms ?? []).map((a) => toIdleAlarm(a, region)).find((a) => a?.instanceId === instanceId);
    return found ?? undefined;
  }

  return {
    async put(ref, rule, signal) {
      const { accountId, region, instanceId } = ref;
      const minutes = alarmMinutesFor(rule.minutes, rule.backstop);
      const periods = minutes / ALARM_PERIOD_MINUTES;
      const description =
        `Created by Hangar: stops ${instanceId} when its average CPU stays below ${formatPercent(rule.cpuPercent)} for ${minutes} minutes` +
        (rule.backstop ? `, as the backstop for Hangar's on-instance idle watcher (${rule.minutes} min).` : '.') +
        ' Switch it off in Hangar (Stop when idle…).';
      try {
        await callAws(
          () =>
            cloudwatch(accountId, region).send(
              new PutMetricAlarmCommand({
                AlarmName: idleAlarmName(instanceId),
                AlarmDescription: description,
                Namespace: 'AWS/EC2',
                MetricName: 'CPUUtilization',
                Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
                Statistic: 'Average',
                Period: ALARM_PERIOD_MINUTES * 60,
                EvaluationPeriods: periods,
                DatapointsToAlarm: periods,
                Threshold: rule.cpuPercent,
                ComparisonOperator: 'LessThanThreshold',
                // A stopped instance sends nothing: the alarm waits (INSUFFICIENT_DATA) instead of firing again.
                TreatMissingData: 'missing',
                ActionsEnabled: true,
                AlarmActions: [stopActionArn(region)],
                Tags: [{ ...CREATED_BY }],
              }),
              { abortSignal: signal },
            ),
          { action: PUT_ACTION, region, signal },
        );
      } catch (error) {
        throw explainPutFailure(error, region);
      }
      throwIfAborted(signal);
      const alarm = await find(ref, signal);
      if (alarm === undefined) {
        // CloudWatch accepted it but does not list it yet: say what was asked for.
        return { alarmName: idleAlarmName(instanceId), instanceId, region, minutes, cpuPercent: rule.cpuPercent, ruleMinutes: rule.minutes, backstop: rule.backstop, state: 'INSUFFICIENT_DATA', stops: true };
      }
      return alarm;
    },

    find,

    async list(accountId, region, signal) {
      const alarms: IdleAlarm[] = [];
      let token: string | undefined;
      do {
        const out = await callAws(
          () =>
            cloudwatch(accountId, region).send(
              new DescribeAlarmsCommand({ AlarmNamePrefix: IDLE_ALARM_PREFIX, AlarmTypes: ['MetricAlarm'], MaxRecords: 100, ...(token === undefined ? {} : { NextToken: token }) }),
              { abortSignal: signal },
            ),
          { action: 'cloudwatch:DescribeAlarms', region, signal },
        );
        for (const a of out.MetricAlarms ?? []) {
          const alarm = toIdleAlarm(a, region);
          if (alarm) alarms.push(alarm);
        }
        token = out.NextToken;
      } while (token !== undefined && token !== '');
      return alarms;
    },

    async remove(ref, signal) {
      const { accountId, region, instanceId } = ref;
      await callAws(
        () => cloudwatch(accountId, region).send(new DeleteAlarmsCommand({ AlarmNames: [idleAlarmName(instanceId)] }), { abortSignal: signal }),
        { action: 'cloudwatch:DeleteAlarms', region, signal },
      );
    },

    async rearm(ref, why, signal) {
      const { accountId, region, instanceId } = ref;
      await callAws(
        () => cloudwatch(accountId, region).send(new SetAlarmStateCommand({ AlarmName: idleAlarmName(instanceId), StateValue: 'OK', StateReason: why }), { abortSignal: signal }),
        { action: 'cloudwatch:SetAlarmState', region, signal },
      );
    },
  };
}

/** One of Hangar's alarms as the UI shows it; undefined for an alarm under the prefix that is not one. */
export function toIdleAlarm(a: MetricAlarm, region: string): IdleAlarm | undefined {
  const name = a.AlarmName ?? '';
  const instanceId = a.Dimensions?.find((d) => d.Name === 'InstanceId')?.Value;
  if (!name.startsWith(IDLE_ALARM_PREFIX) || instanceId === undefined || name !== idleAlarmName(instanceId)) return undefined;
  const minutes = Math.round(((a.Period ?? ALARM_PERIOD_MINUTES * 60) * (a.EvaluationPeriods ?? 1)) / 60);
  const backstop = BACKSTOP_MARK.exec(a.AlarmDescription ?? '');
  const state: AlarmStateValue = a.StateValue === 'OK' || a.StateValue === 'ALARM' ? a.StateValue : 'INSUFFICIENT_DATA';
  return {
    alarmName: name,
    instanceId,
    region,
    minutes,
    cpuPercent: a.Threshold ?? 0,
    ruleMinutes: backstop ? Number(backstop[1]) : minutes,
    backstop: backstop !== null,
    state,
    ...(a.StateReason === undefined || a.StateReason === '' ? {} : { stateReason: a.StateReason }),
    ...(a.StateUpdatedTimestamp === undefined ? {} : { stateUpdated: a.StateUpdatedTimestamp.toISOString() }),
    stops: a.ActionsEnabled !== false && (a.AlarmActions ?? []).includes(stopActionArn(region)),
  };
}

/**
 * A denied PutMetricAlarm names the permission and offers the watcher, which needs none. The first alarm with
 * an EC2 action also creates CloudWatch's service-linked role, so AWS may name iam:CreateServiceLinkedRole instead.
 */
function explainPutFailure(error: unknown, region: string): unknown {
  if (!(error instanceof HangarError) || error.code !== 'AWS_UNAUTHORIZED') return error;
  const awsMessage = String(error.details?.awsMessage ?? '');
  const missing = /not authorized to perform:? (\S+?)(?: on resource|\s|$)/.exec(awsMessage)?.[1] ?? PUT_ACTION;
  return new HangarError({
    code: 'AWS_UNAUTHORIZED',
    message:
      missing === PUT_ACTION
        ? `Your AWS credentials are not allowed to create CloudWatch alarms (${PUT_ACTION}) in ${region}, so Hangar cannot set the idle alarm.`
        : `Your AWS credentials are not allowed to call ${missing} in ${region}, which creating the idle alarm (${PUT_ACTION} with the EC2 stop action) needs.`,
    hint: `Ask your AWS administrator to allow ${missing === PUT_ACTION ? `${PUT_ACTION} (and cloudwatch:DescribeAlarms, cloudwatch:DeleteAlarms)` : missing} for this user or role. Or use the on-instance watcher alone: it needs SSH with sudo on the instance and no AWS permission.`,
    details: { ...error.details, missingAction: missing, watcherAlone: true },
    cause: error,
  });
}

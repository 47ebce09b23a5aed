import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { toIdleAlarm } from '../../../src/main/services/idle/idle-alarm';
import {
  alarmMinutesFor,
  autoStopCpuSchema,
  autoStopInputSchema,
  autoStopMinutesSchema,
  describeAutoStopRule,
  fieldProblem,
} from '../../../src/shared/models/auto-stop';

const instance = { accountId: 'acct-1', region: 'us-east-1', instanceId: 'i-0123456789abcdef0' };

describe('the auto-stop rule', () => {
  it('counts the alarm in whole 5-minute periods, twice as long as the watcher’s backstop, at most a day', () => {
    expect([5, 60, 62, 1440].map((m) => alarmMinutesFor(m, false))).toEqual([5, 60, 65, 1440]);
    expect([5, 60, 62, 1000].map((m) => alarmMinutesFor(m, true))).toEqual([10, 120, 125, 1440]);
  });

  it('refuses N under 5 minutes, fractions of minutes, more than a day, and a CPU % outside 0–100', () => {
    expect(fieldProblem(autoStopMinutesSchema, '3')).toBe('At least 5 minutes: CloudWatch measures CPU in 5-minute periods.');
    expect(fieldProblem(autoStopMinutesSchema, '7.5')).toBe('Whole minutes.');
    expect(fieldProblem(autoStopMinutesSchema, '1441')).toMatch(/^At most 1,440 minutes/);
    expect(fieldProblem(autoStopMinutesSchema, '')).toBe('Required.');
    expect(fieldProblem(autoStopMinutesSchema, 'soon')).toBe('Enter a number.');
    expect(fieldProblem(autoStopMinutesSchema, ' 60 ')).toBeUndefined();
    expect(['0', '-1', '100', '250'].map((v) => fieldProblem(autoStopCpuSchema, v))).toEqual([
      'Between 0 and 100 %: above 0.',
      'Between 0 and 100 %: above 0.',
      'Between 0 and 100 %: below 100.',
      'Between 0 and 100 %: below 100.',
    ]);
    expect(fieldProblem(autoStopCpuSchema, '2.5')).toBeUndefined();
    expect(autoStopInputSchema.safeParse({ instance, minutes: 60, cpuPercent: 5, alarm: false, watcher: false }).success).toBe(false);
    expect(autoStopInputSchema.safeParse({ instance, minutes: 60, cpuPercent: 5, alarm: true, watcher: false }).success).toBe(true);
  });

  it('says the rule in words, naming the backstop when the watcher is on', () => {
    expect(describeAutoStopRule({ minutes: 62, cpuPercent: 5, alarm: true, watcher: false })).toBe(
      'Stops when idle: a CloudWatch alarm stops it when its average CPU stays below 5 % for 65 minutes (62 rounded up to whole 5-minute periods). It keeps working with this computer off.',
    );
    expect(describeAutoStopRule({ minutes: 60, cpuPercent: 2.5, alarm: true, watcher: true })).toBe(
      "Stops when idle: the watcher on the instance shuts it down (stop, not terminate) after 60 minutes with no GPU use, no active Jupyter kernel, no SSH session and a low load; as a backstop, a CloudWatch alarm stops it when its average CPU stays below 2.5 % for 120 minutes. Both keep working with this computer off.",
    );
    expect(describeAutoStopRule({ minutes: 30, cpuPercent: 5, alarm: false, watcher: true })).toMatch(/^Stops when idle: the watcher on the instance .* after 30 minutes .*\. It keeps working with this computer off\.$/);
  });
});

describe('reading an idle alarm back', () => {
  const base: MetricAlarm = {
    AlarmName: 'hangar-idle-i-0123456789abcdef0',
    Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }],
    Period: 300,
    EvaluationPeriods: 24,
    Threshold: 5,
    StateValue: 'ALARM',
    ActionsEnabled: true,
    AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'],
    AlarmDescription: "Created by Hangar: stops i-0123456789abcdef0 when its average CPU stays below 5 % for 120 minutes, as the backstop for Hangar's on-instance idle watcher (60 min).",
  };

  it('recovers the rule, the backstop and whether it still stops the instance', () => {
    expect(toIdleAlarm(base, 'us-east-1')).toMatchObject({ minutes: 120, ruleMinutes: 60, backstop: true, state: 'ALARM', stops: true, cpuPercent: 5 });
    expect(toIdleAlarm({ ...base, AlarmDescription: 'edited in the console' }, 'us-east-1')).toMatchObject({ minutes: 120, ruleMinutes: 120, backstop: false });
    expect(toIdleAlarm({ ...base, ActionsEnabled: false }, 'us-east-1')?.stops).toBe(false);
    expect(toIdleAlarm({ ...base, AlarmActions: ['arn:aws:sns:us-east-1:123456789012:topic'] }, 'us-east-1')?.stops).toBe(false);
  });

  it('ignores alarms under the prefix that are not an instance’s own', () => {
    expect(toIdleAlarm({ ...base, AlarmName: 'hangar-idle-something' }, 'us-east-1')).toBeUndefined();
    expect(toIdleAlarm({ ...base, Dimensions: [] }, 'us-east-1')).toBeUndefined();
  });
});

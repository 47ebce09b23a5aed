import type { InstanceStore } from './instance-store';
import { checkAllowed, type JsonAction, type JsonActionContext } from './json-protocol';
import { getMetricData, instanceOfDimensions } from './metric-data';
import { bucket, instanceSamples, isKnownStatistic, statistic, type SimInstanceMetrics } from './metric-series';
import { decodePageToken, pageOf, queryFingerprint } from './page-token';
import { SimError } from './sim-error';

/**
 * CloudWatch (service `monitoring`; the installed client speaks JSON 1.0 in awsQuery-compatible mode, so
 * errors carry awsQuery codes such as ResourceNotFound and ValidationError). Alarms are per region. An alarm
 * that goes to ALARM runs its actions: `arn:aws:automate:<region>:ec2:stop` (and terminate / reboot) act on the
 * instance of its InstanceId dimension; every action is recorded for assertions.
 */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface SimAlarm {
  readonly name: string;
  readonly region: string;
  /** PutMetricAlarm's input as sent (minus Tags), echoed by DescribeAlarms. */
  config: Record<string, unknown>;
  configUpdated: number;
  state: AlarmState;
  stateReason: string;
  stateReasonData: string | undefined;
  stateUpdated: number;
  stateTransitioned: number;
  actionsEnabled: boolean;
}

/** One alarm action CloudWatch ran (automate ARNs act on EC2; others, e.g. SNS, are only recorded). */
export interface SimAlarmActionRecord {
  alarmName: string;
  region: string;
  state: AlarmState;
  action: string;
  time: number;
}

export type InstanceAction = 'stop' | 'terminate' | 'reboot';

const OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold', 'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'];
const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const AUTOMATE = /^arn:aws:automate:([a-z0-9-]+):ec2:(stop|terminate|reboot|recover)$/;
const SWF_EC2 = /^arn:aws:swf:([a-z0-9-]+):\d{12}:action\/actions\/AWS_EC2\.InstanceId\.(Stop|Terminate|Reboot)\/1\.0$/;

export class CloudWatchState {
  readonly alarms = new Map<string, Map<string, SimAlarm>>();
  /** Pinned metric series per instance id. */
  readonly metrics = new Map<string, SimInstanceMetrics>();
  readonly actionLog: SimAlarmActionRecord[] = [];

  constructor(private readonly act: (region: string, action: InstanceAction, instanceId: string) => void) {}

  in(region: string): Map<string, SimAlarm> {
    let map = this.alarms.get(region);
    if (!map) {
      map = new Map();
      this.alarms.set(region, map);
    }
    return map;
  }

  /** Moves the alarm to `state`; a real change runs the actions for the new state, as CloudWatch does. */
  transition(alarm: SimAlarm, state: AlarmState, reason: string, reasonData: string | undefined, now = Date.now()): void {
    const changed = alarm.state !== state;
    alarm.state = state;
    alarm.stateReason = reason;
    alarm.stateReasonData = reasonData;
    alarm.stateUpdated = now;
    if (!changed) return;
    alarm.stateTransitioned = now;
    if (!alarm.actionsEnabled) return;
    const key = state === 'ALARM' ? 'AlarmActions' : state === 'OK' ? 'OKActions' : 'InsufficientDataActions';
    const actions = (alarm.config[key] as string[] | undefined) ?? [];
    const instanceId = dimensionValue(alarm.config, 'InstanceId');
    for (const action of actions) {
      this.actionLog.push({ alarmName: alarm.name, region: alarm.region, state, action, time: now });
      const automate = AUTOMATE.exec(action) ?? SWF_EC2.exec(action);
      const op = automate?.[2]?.toLowerCase();
      if (instanceId !== undefined && (op === 'stop' || op === 'terminate' || op === 'reboot')) this.act(alarm.region, op, instanceId);
    }
  }

  /**
   * Evaluates every metric alarm (of one region, or all) at `now` against the simulated metrics, like
   * CloudWatch's periodic evaluation: the last EvaluationPeriods complete periods, M of N breaching → ALARM.
   */
  evaluate(store: InstanceStore, region: string | undefined, now = Date.now()): void {
    for (const [r, alarms] of this.alarms) {
      if (region !== undefined && r !== region) continue;
      for (const alarm of alarms.values()) this.evaluateOne(store, alarm, now);
    }
  }

  private evaluateOne(store: InstanceStore, alarm: SimAlarm, now: number): void {
    const c = alarm.config;
    const stat = (c.Statistic as string | undefined) ?? (c.ExtendedStatistic as string | undefined);
    const periodMs = Number(c.Period) * 1000;
    const n = Number(c.EvaluationPeriods);
    const m = Number(c.DatapointsToAlarm ?? n);
    const threshold = Number(c.Threshold);
    const operator = String(c.ComparisonOperator);
    // Anomaly-detection operators compare against a band this simulator does not model.
    const simple = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'].includes(operator);
    if (stat === undefined || !(periodMs > 0) || !(n > 0) || !simple) return;
    const end = Math.floor(now / periodMs) * periodMs;
    const instance = c.Namespace === 'AWS/EC2' ? instanceOfDimensions(store, alarm.region, c.Dimensions) : undefined;
    const samples = instance ? instanceSamples(instance, String(c.MetricName), this.metrics.get(instance.id), end - n * periodMs, end, now) : [];
    const buckets = bucket(samples, periodMs);
    const breaches = (v: number): boolean =>
      operator === 'GreaterThanOrEqualToThreshold' ? v >= threshold : operator === 'GreaterThanThreshold' ? v > threshold : operator === 'LessThanThreshold' ? v < threshold : v <= threshold;
    const missing = (c.TreatMissingData as string | undefined) ?? 'missing';
    const points: { t: number; v: number | undefined; breaching: boolean | undefined }[] = [];
    for (let k = 1; k <= n; k++) {
      const t = end - k * periodMs;
      const values = buckets.get(t);
      const v = values === undefined ? undefined : statistic(stat, values);
      points.push({ t, v, breaching: v !== undefined ? breaches(v) : missing === 'breaching' ? true : missing === 'notBreaching' ? false : undefined });
    }
    const evaluated = points.filter((p) => p.breaching !== undefined);
    if (evaluated.length === 0) {
      if (missing !== 'ignore') this.transition(alarm, 'INSUFFICIENT_DATA', `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`, undefined, now);
      return;
    }
    const breaching = evaluated.filter((p) => p.breaching).length;
    const state: AlarmState = breaching >= m ? 'ALARM' : 'OK';
    const shown = points.filter((p) => p.v !== undefined).map((p) => `${String(p.v)} (${new Date(p.t).toISOString()})`);
    const verb = operator.startsWith('Greater') ? 'greater than' : 'less than';
    const reason =
      state === 'ALARM'
        ? `Threshold Crossed: ${breaching} out of the last ${n} datapoints [${shown.join(', ')}] were ${verb}${operator.includes('OrEqual') ? ' or equal to' : ''} the threshold (${threshold}) (minimum ${m} datapoints for OK -> ALARM transition).`
        : `Threshold Crossed: ${evaluated.length - breaching} out of the last ${n} datapoints [${shown.join(', ')}] were not ${verb} the threshold (${threshold}).`;
    const data = JSON.stringify({ version: '1.0', queryDate: new Date(now).toISOString(), statistic: stat, period: periodMs / 1000, threshold, recentDatapoints: points.flatMap((p) => (p.v === undefined ? [] : [p.v])) });
    this.transition(alarm, state, reason, data, now);
  }
}

export function dimensionValue(config: Record<string, unknown>, name: string): string | undefined {
  const dims = Array.isArray(config.Dimensions) ? (config.Dimensions as { Name?: unknown; Value?: unknown }[]) : [];
  const d = dims.find((x) => x.Name === name);
  return typeof d?.Value === 'string' ? d.Value : undefined;
}

function state(ctx: JsonActionContext): CloudWatchState {
  return ctx.world.cloudwatch;
}

function allowed(ctx: JsonActionContext, action: string, resource = '*'): void {
  checkAllowed(ctx, 'cloudwatch', [action], resource, 'AccessDenied', 403);
}

function missing(name: string): SimError {
  return new SimError('MissingParameter', `The parameter ${name} is required.`, 400);
}

function alarmArn(ctx: JsonActionContext, name: string): string {
  return `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`;
}

function stringList(value: unknown, name: string, max: number): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new SimError('ValidationError', `${name} must be a list of strings.`, 400);
  if (value.length > max) throw new SimError('ValidationError', `The collection ${name} must not have a size greater than ${max}.`, 400);
  return value as string[];
}

function validateActions(ctx: JsonActionContext, input: Record<string, unknown>, name: string): string[] {
  const actions = stringList(input[name], name, 5);
  for (const action of actions) {
    if (!action.startsWith('arn:')) throw new SimError('ValidationError', `Invalid arn syntax: ${action}`, 400);
    const ec2 = AUTOMATE.exec(action) ?? SWF_EC2.exec(action);
    if (!ec2) continue;
    if (ec2[1] !== ctx.region) throw new SimError('ValidationError', `Invalid region ${String(ec2[1])} specified. Only ${ctx.region} is supported.`, 400);
    if (input.Namespace !== 'AWS/EC2' || dimensionValue(input, 'InstanceId') === undefined) {
      throw new SimError('ValidationError', `The EC2 action ${action} is only supported for alarms on AWS/EC2 metrics with an InstanceId dimension.`, 400);
    }
  }
  return actions;
}

function putMetricAlarm(ctx: JsonActionContext): unknown {
  const input = ctx.input;
  const name = input.AlarmName;
  if (typeof name !== 'string' || name === '') throw missing('AlarmName');
  allowed(ctx, 'PutMetricAlarm', alarmArn(ctx, name));
  if (name.length > 255) throw new SimError('ValidationError', "1 validation error detected: Value at 'alarmName' failed to satisfy constraint: Member must have length less than or equal to 255", 400);
  if (typeof input.EvaluationPeriods !== 'number') throw missing('EvaluationPeriods');
  if (!Number.isInteger(input.EvaluationPeriods) || input.EvaluationPeriods < 1) throw new SimError('ValidationError', 'EvaluationPeriods must be at least 1.', 400);
  if (typeof input.ComparisonOperator !== 'string') throw missing('ComparisonOperator');
  if (!OPERATORS.includes(input.ComparisonOperator)) throw new SimError('ValidationError', `1 validation error detected: Value '${input.ComparisonOperator}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [${OPERATORS.join(', ')}]`, 400);
  if (input.DatapointsToAlarm !== undefined && (typeof input.DatapointsToAlarm !== 'number' || input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > input.EvaluationPeriods)) {
    throw new SimError('ValidationError', 'DatapointsToAlarm must be between 1 and EvaluationPeriods.', 400);
  }
  if (input.Metrics === undefined) {
    if (typeof input.MetricName !== 'string') throw missing('MetricName');
    if (typeof input.Namespace !== 'string') throw missing('Namespace');
    if (typeof input.Period !== 'number') throw missing('Period');
    const p = input.Period;
    if (!(p === 10 || p === 30 || (Number.isInteger(p) && p >= 60 && p % 60 === 0))) throw new SimError('ValidationError', 'Period must be 10, 30 or a multiple of 60.', 400);
    const statistics = [input.Statistic, input.ExtendedStatistic].filter((s) => s !== undefined);
    if (statistics.length !== 1) throw new SimError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be specified.', 400);
    const stat = String(statistics[0]);
    if (!isKnownStatistic(stat)) throw new SimError('InvalidParameterValue', `The value ${stat} for parameter Statistic is not supported.`, 400);
  }
  if (typeof input.Threshold !== 'number' && input.ThresholdMetricId === undefined) throw missing('Threshold');
  for (const list of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) validateActions(ctx, input, list);
  const alarms = state(ctx).in(ctx.region);
  const now = Date.now();
  const { Tags: _tags, ...config } = input;
  const existing = alarms.get(name);
  if (existing) {
    // An update overwrites the configuration and leaves the state alone.
    existing.config = config;
    existing.configUpdated = now;
    existing.actionsEnabled = input.ActionsEnabled !== false;
    return {};
  }
  if (alarms.size >= 5000) throw new SimError('LimitExceeded', 'The maximum number of alarms for this account has been reached.', 400);
  alarms.set(name, {
    name,
    region: ctx.region,
    config,
    configUpdated: now,
    state: 'INSUFFICIENT_DATA',
    stateReason: 'Unchecked: Initial alarm creation',
    stateReasonData: undefined,
    stateUpdated: now,
    stateTransitioned: now,
    actionsEnabled: input.ActionsEnabled !== false,
  });
  return {};
}

function alarmView(ctx: JsonActionContext, a: SimAlarm): Record<string, unknown> {
  const c = a.config;
  return {
    AlarmName: a.name,
    AlarmArn: alarmArn(ctx, a.name),
    ...(c.AlarmDescription === undefined ? {} : { AlarmDescription: c.AlarmDescription }),
    AlarmConfigurationUpdatedTimestamp: a.configUpdated / 1000,
    ActionsEnabled: a.actionsEnabled,
    OKActions: c.OKActions ?? [],
    AlarmActions: c.AlarmActions ?? [],
    InsufficientDataActions: c.InsufficientDataActions ?? [],
    StateValue: a.state,
    StateReason: a.stateReason,
    ...(a.stateReasonData === undefined ? {} : { StateReasonData: a.stateReasonData }),
    StateUpdatedTimestamp: a.stateUpdated / 1000,
    ...Object.fromEntries(
      ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Period', 'Unit', 'EvaluationPeriods', 'DatapointsToAlarm', 'Threshold', 'ComparisonOperator', 'TreatMissingData', 'EvaluateLowSampleCountPercentile', 'Metrics', 'ThresholdMetricId']
        .filter((k) => c[k] !== undefined)
        .map((k) => [k, c[k]]),
    ),
    Dimensions: c.Dimensions ?? [],
    StateTransitionedTimestamp: a.stateTransitioned / 1000,
  };
}

function describeAlarms(ctx: JsonActionContext): unknown {
  allowed(ctx, 'DescribeAlarms');
  const input = ctx.input;
  const names = stringList(input.AlarmNames, 'AlarmNames', 100);
  const prefix = typeof input.AlarmNamePrefix === 'string' ? input.AlarmNamePrefix : undefined;
  if (names.length > 0 && prefix !== undefined) throw new SimError('InvalidParameterCombination', 'AlarmNamePrefix and AlarmNames cannot both be specified.', 400);
  const stateValue = input.StateValue;
  if (stateValue !== undefined && !STATES.includes(stateValue as AlarmState)) throw new SimError('ValidationError', `Invalid StateValue ${String(stateValue)}.`, 400);
  const actionPrefix = typeof input.ActionPrefix === 'string' ? input.ActionPrefix : undefined;
  const types = stringList(input.AlarmTypes, 'AlarmTypes', 2);
  const max = input.MaxRecords === undefined ? 50 : Number(input.MaxRecords);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw new SimError('ValidationError', 'MaxRecords must be between 1 and 100.', 400);
  const fingerprint = queryFingerprint([ctx.region, names, prefix, stateValue, actionPrefix, types]);
  const offset = typeof input.NextToken === 'string' ? decodePageToken(input.NextToken, fingerprint) : 0;
  if (offset === undefined) throw new SimError('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken.', 400);
  const metricAlarms = types.length === 0 || types.includes('MetricAlarm');
  const matching = [...state(ctx).in(ctx.region).values()]
    .filter(
      (a) =>
        metricAlarms &&
        (names.length === 0 || names.includes(a.name)) &&
        (prefix === undefined || a.name.startsWith(prefix)) &&
        (stateValue === undefined || a.state === stateValue) &&
        (actionPrefix === undefined || ['AlarmActions', 'OKActions', 'InsufficientDataActions'].some((k) => ((a.config[k] as string[] | undefined) ?? []).some((x) => x.startsWith(actionPrefix)))),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { page, next } = pageOf(matching, offset, max, fingerprint);
  return { MetricAlarms: page.map((a) => alarmView(ctx, a)), CompositeAlarms: [], ...(next === undefined ? {} : { NextToken: next }) };
}

/** DeleteAlarms: names that do not exist are ignored, as CloudWatch does. */
function deleteAlarms(ctx: JsonActionContext): unknown {
  const names = stringList(ctx.input.AlarmNames, 'AlarmNames', 100);
  if (names.length === 0) throw missing('AlarmNames');
  for (const n of names) allowed(ctx, 'DeleteAlarms', alarmArn(ctx, n));
  for (const n of names) state(ctx).in(ctx.region).delete(n);
  return {};
}

function alarmNamed(ctx: JsonActionContext, name: unknown): SimAlarm {
  if (typeof name !== 'string' || name === '') throw missing('AlarmName');
  const alarm = state(ctx).in(ctx.region).get(name);
  if (!alarm) throw new SimError('ResourceNotFound', `Alarm ${name} not found`, 404);
  return alarm;
}

function setAlarmState(ctx: JsonActionContext): unknown {
  const { input } = ctx;
  if (typeof input.AlarmName === 'string') allowed(ctx, 'SetAlarmState', alarmArn(ctx, input.AlarmName));
  const alarm = alarmNamed(ctx, input.AlarmName);
  const value = input.StateValue;
  if (typeof value !== 'string') throw missing('StateValue');
  if (!STATES.includes(value as AlarmState)) throw new SimError('ValidationError', `1 validation error detected: Value '${value}' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [${STATES.join(', ')}]`, 400);
  if (typeof input.StateReason !== 'string') throw missing('StateReason');
  const data = input.StateReasonData;
  if (data !== undefined) {
    try {
      JSON.parse(String(data));
    } catch {
      throw new SimError('InvalidFormat', 'StateReasonData must be valid JSON.', 400);
    }
  }
  state(ctx).transition(alarm, value as AlarmState, input.StateReason, data === undefined ? undefined : String(data));
  return {};
}

function setActionsEnabled(enabled: boolean): JsonAction {
  return (ctx) => {
    const names = stringList(ctx.input.AlarmNames, 'AlarmNames', 100);
    if (names.length === 0) throw missing('AlarmNames');
    for (const n of names) allowed(ctx, enabled ? 'EnableAlarmActions' : 'DisableAlarmActions', alarmArn(ctx, n));
    for (const n of names) {
      const alarm = state(ctx).in(ctx.region).get(n);
      if (alarm) alarm.actionsEnabled = enabled;
    }
    return {};
  };
}

export const CLOUDWATCH_ACTIONS: Readonly<Record<string, JsonAction>> = {
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DeleteAlarms: deleteAlarms,
  SetAlarmState: setAlarmState,
  EnableAlarmActions: setActionsEnabled(true),
  DisableAlarmActions: setActionsEnabled(false),
  GetMetricData: (ctx) => {
    allowed(ctx, 'GetMetricData');
    return getMetricData(ctx);
  },
};

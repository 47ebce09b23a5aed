import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const REGION = 'us-east-1';
const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const HOUR = 3_600_000;
const FIVE_MIN = 300_000;

let sim: Ec2Simulator;
let restoreEnv: () => void;
const clients: { destroy(): void }[] = [];

function cloudwatch(region = REGION): CloudWatchClient {
  const client = new CloudWatchClient({ region, credentials, endpoint: sim.url, maxAttempts: 1 });
  clients.push(client);
  return client;
}

function ec2(region = REGION): EC2Client {
  const client = new EC2Client({ region, credentials, endpoint: sim.url, maxAttempts: 1 });
  clients.push(client);
  return client;
}

interface AwsError {
  name: string;
  message: string;
  /** The awsQuery error code, which the query-compatible SDK keeps next to the modeled error name. */
  Code?: string;
  $metadata: { httpStatusCode?: number };
}

async function rejectionOf(promise: Promise<unknown>): Promise<AwsError> {
  try {
    await promise;
  } catch (error) {
    return error as AwsError;
  }
  throw new Error('expected the call to fail');
}

async function stateOf(id: string, region = REGION): Promise<string | undefined> {
  const out = await ec2(region).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

/** The alarm Hangar's idle auto-stop sets: average CPU under 5 % for three 5-minute periods stops the instance. */
function idleAlarm(name: string, instanceId: string, region = REGION, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    AlarmDescription: 'Stop when idle',
    Namespace: 'AWS/EC2',
    MetricName: 'CPUUtilization',
    Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
    Statistic: 'Average',
    Period: 300,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    Threshold: 5,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'missing',
    AlarmActions: [`arn:aws:automate:${region}:ec2:stop`],
    ...extra,
  };
}

function cpuQuery(instanceId: string, id = 'cpu', stat = 'Average', period = 300): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: instanceId }] }, Period: period, Stat: stat } };
}

beforeAll(async () => {
  restoreEnv = isolateAwsEnv({ AWS_ENDPOINT_URL_CLOUDWATCH: undefined });
  sim = await startEc2Simulator({ timings: { pendingMs: 50, stoppingMs: 200, shuttingDownMs: 50 } });
});

afterEach(() => {
  sim.allowActions();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim.close();
  restoreEnv();
});

describe('metric alarms', () => {
  it('puts, describes (by names and prefix), updates and deletes alarms per region', async () => {
    const id = sim.addInstance(REGION);
    await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('hangar-idle-a', id)));
    await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('hangar-idle-b', id, REGION, { AlarmActions: [] })));
    await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('other', id, REGION, { AlarmActions: [] })));

    const [alarm, ...more] = (await cloudwatch().send(new DescribeAlarmsCommand({ AlarmNames: ['hangar-idle-a'] }))).MetricAlarms ?? [];
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({
      AlarmName: 'hangar-idle-a',
      AlarmArn: `arn:aws:cloudwatch:${REGION}:${sim.accountId}:alarm:hangar-idle-a`,
      AlarmDescription: 'Stop when idle',
      ActionsEnabled: true,
      AlarmActions: [`arn:aws:automate:${REGION}:ec2:stop`],
      OKActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/EC2',
      Statistic: 'Average',
      Dimensions: [{ Name: 'InstanceId', Value: id }],
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 5,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'missing',
    });
    expect(alarm?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(Math.abs((alarm?.AlarmConfigurationUpdatedTimestamp?.getTime() ?? 0) - Date.now())).toBeLessThan(10_000);

    const prefixed = await cloudwatch().send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'hangar-idle-' }));
    expect(prefixed.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['hangar-idle-a', 'hangar-idle-b']);
    expect(prefixed.CompositeAlarms).toEqual([]);
    const page = await cloudwatch().send(new DescribeAlarmsCommand({ MaxRecords: 2 }));
    expect(page.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['hangar-idle-a', 'hangar-idle-b']);
    const rest = await cloudwatch().send(new DescribeAlarmsCommand({ MaxRecords: 2, NextToken: page.NextToken }));
    expect(rest.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['other']);
    expect((await cloudwatch('eu-west-1').send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);

    // An update rewrites the configuration and keeps the state.
    await cloudwatch().send(new SetAlarmStateCommand({ AlarmName: 'other', StateValue: 'OK', StateReason: 'test' }));
    await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('other', id, REGION, { Threshold: 2, AlarmActions: [] })));
    const updated = (await cloudwatch().send(new DescribeAlarmsCommand({ AlarmNames: ['other'] }))).MetricAlarms?.[0];
    expect([updated?.Threshold, updated?.StateValue]).toEqual([2, 'OK']);

    await cloudwatch().send(new DeleteAlarmsCommand({ AlarmNames: ['hangar-idle-a', 'hangar-idle-b', 'never-existed'] }));
    expect((await cloudwatch().send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['other']);
    await cloudwatch().send(new DeleteAlarmsCommand({ AlarmNames: ['other'] }));
    expect(sim.requests.filter((r) => r.action === 'PutMetricAlarm').every((r) => r.service === 'monitoring')).toBe(true);
  });

  it('validates alarms with CloudWatch’s awsQuery error codes, and answers AccessDenied when denied', async () => {
    const id = sim.addInstance(REGION);
    const noDimension = await rejectionOf(cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('bad', id, REGION, { Dimensions: [] }))));
    expect([noDimension.name, noDimension.Code, noDimension.$metadata.httpStatusCode]).toEqual(['ValidationException', 'ValidationError', 400]);
    const otherRegion = await rejectionOf(cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('bad', id, REGION, { AlarmActions: ['arn:aws:automate:eu-west-1:ec2:stop'] }))));
    expect([otherRegion.name, otherRegion.message]).toEqual(['ValidationException', `Invalid region eu-west-1 specified. Only ${REGION} is supported.`]);
    expect((await rejectionOf(cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('bad', id, REGION, { Period: 45 }))))).Code).toBe('ValidationError');
    const both = await rejectionOf(cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('bad', id, REGION, { ExtendedStatistic: 'p90' }))));
    expect([both.name, both.Code]).toEqual(['InvalidParameterCombinationException', 'InvalidParameterCombination']);
    const missing = await rejectionOf(cloudwatch().send(new PutMetricAlarmCommand({ ...idleAlarm('bad', id), Threshold: undefined })));
    expect([missing.name, missing.Code, missing.message]).toEqual(['MissingRequiredParameterException', 'MissingParameter', 'The parameter Threshold is required.']);
    const notFound = await rejectionOf(cloudwatch().send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })));
    expect([notFound.name, notFound.Code, notFound.$metadata.httpStatusCode]).toEqual(['ResourceNotFound', 'ResourceNotFound', 404]);
    await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('fmt', id, REGION, { AlarmActions: [] })));
    expect((await rejectionOf(cloudwatch().send(new SetAlarmStateCommand({ AlarmName: 'fmt', StateValue: 'ALARM', StateReason: 'x', StateReasonData: '{not json' })))).name).toBe('InvalidFormatFault');
    await cloudwatch().send(new DeleteAlarmsCommand({ AlarmNames: ['fmt'] }));

    sim.denyActions(['cloudwatch:PutMetricAlarm']);
    const denied = await rejectionOf(cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('denied', id))));
    expect([denied.name, denied.Code, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 'AccessDenied', 403]);
    expect(denied.message).toContain('cloudwatch:PutMetricAlarm');
  });

  it('speaks JSON 1.0 with the awsQuery error code in x-amzn-query-error', async () => {
    const res = await fetch(sim.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'GraniteServiceVersion20100801.DescribeAlarms', 'x-amzn-query-mode': 'true' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
    expect(await res.json()).toEqual({ __type: 'com.amazonaws.cloudwatch#MissingAuthenticationToken', message: 'Request is missing Authentication Token' });
  });
});

describe('alarm actions stop idle instances', () => {
  it('stops the instance when SetAlarmState puts an alarm with the ec2:stop action into ALARM', async () => {
    const id = sim.addInstance(REGION, { name: 'notebook' });
    await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('idle-notebook', id)));
    await cloudwatch().send(new SetAlarmStateCommand({ AlarmName: 'idle-notebook', StateValue: 'ALARM', StateReason: 'Testing the idle stop', StateReasonData: '{"source":"test"}' }));
    expect(sim.instance(id)?.state).toBe('stopping');
    const deadline = Date.now() + 5_000;
    while ((await stateOf(id)) !== 'stopped') {
      if (Date.now() > deadline) throw new Error(`${id} never stopped`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(sim.instance(id)?.stateReason).toBe('Client.UserInitiatedShutdown: User initiated shutdown');
    expect(sim.alarmActions.filter((a) => a.alarmName === 'idle-notebook').map((a) => [a.state, a.action])).toEqual([['ALARM', `arn:aws:automate:${REGION}:ec2:stop`]]);
    const described = (await cloudwatch().send(new DescribeAlarmsCommand({ AlarmNames: ['idle-notebook'] }))).MetricAlarms?.[0];
    expect([described?.StateValue, described?.StateReason, described?.StateReasonData]).toEqual(['ALARM', 'Testing the idle stop', '{"source":"test"}']);

    // Setting the same state again is no transition: nothing runs twice.
    await cloudwatch().send(new SetAlarmStateCommand({ AlarmName: 'idle-notebook', StateValue: 'ALARM', StateReason: 'again' }));
    expect(sim.alarmActions.filter((a) => a.alarmName === 'idle-notebook')).toHaveLength(1);
  });

  it('evaluates alarms against the simulated CPU: an idle instance is stopped, a busy one keeps running', async () => {
    const launchTime = new Date(Date.now() - 2 * HOUR);
    const idle = sim.addInstance(REGION, { launchTime });
    const busy = sim.addInstance(REGION, { launchTime });
    const fresh = sim.addInstance(REGION);
    sim.setMetrics(busy, { CPUUtilization: 63.5 });
    for (const [name, id] of [['eval-idle', idle], ['eval-busy', busy], ['eval-fresh', fresh]] as const) {
      await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm(name, id)));
    }
    sim.evaluateAlarms({ region: REGION });
    const states = await cloudwatch().send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'eval-' }));
    expect(states.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([
      ['eval-busy', 'OK'],
      ['eval-fresh', 'INSUFFICIENT_DATA'],
      ['eval-idle', 'ALARM'],
    ]);
    expect(states.MetricAlarms?.[2]?.StateReason).toMatch(/^Threshold Crossed: 3 out of the last 3 datapoints \[.*\] were less than the threshold \(5\)/);
    expect(sim.instance(idle)?.state).toBe('stopping');
    expect(await stateOf(busy)).toBe('running');
    expect(await stateOf(fresh)).toBe('running');

    // Disabled actions: the alarm still changes state but nothing is stopped.
    const quiet = sim.addInstance(REGION, { launchTime });
    await cloudwatch().send(new PutMetricAlarmCommand(idleAlarm('eval-quiet', quiet, REGION, { ActionsEnabled: false })));
    sim.evaluateAlarms();
    expect(sim.alarm(REGION, 'eval-quiet')?.state).toBe('ALARM');
    expect(await stateOf(quiet)).toBe('running');
  });
});

describe('periodic alarm evaluation (alarmEvaluationIntervalMs)', () => {
  it('stops an idle instance on its own, as CloudWatch’s minutely evaluation would', async () => {
    const own = await startEc2Simulator({ alarmEvaluationIntervalMs: 50, timings: { stoppingMs: 200 } });
    const client = new CloudWatchClient({ region: REGION, credentials, endpoint: own.url, maxAttempts: 1 });
    try {
      const id = own.addInstance(REGION, { launchTime: new Date(Date.now() - HOUR) });
      await client.send(new PutMetricAlarmCommand(idleAlarm('auto', id)));
      const deadline = Date.now() + 5_000;
      while (own.instance(id)?.state === 'running') {
        if (Date.now() > deadline) throw new Error('the alarm never stopped the instance');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(own.alarm(REGION, 'auto')?.state).toBe('ALARM');
      expect(['stopping', 'stopped']).toContain(own.instance(id)?.state);
    } finally {
      client.destroy();
      await own.close();
    }
  });
});

describe('GetMetricData', () => {
  it('returns a plausible low-CPU series for a running instance, one value per period, newest first', async () => {
    const id = sim.addInstance(REGION, { launchTime: new Date(Date.now() - 3 * HOUR) });
    const end = new Date(Math.floor(Date.now() / FIVE_MIN) * FIVE_MIN);
    const start = new Date(end.getTime() - HOUR);
    const out = await cloudwatch().send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          cpuQuery(id),
          cpuQuery(id, 'cpuMax', 'Maximum', 900),
          { Id: 'netIn', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 3600, Stat: 'Sum' } },
          { Id: 'netOut', Label: 'out', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkOut', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 300, Stat: 'Average' }, ReturnData: false },
        ],
      }),
    );
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Label, r.StatusCode])).toEqual([
      ['cpu', 'CPUUtilization', 'Complete'],
      ['cpuMax', 'CPUUtilization', 'Complete'],
      ['netIn', 'NetworkIn', 'Complete'],
    ]);
    const [cpu, cpuMax, netIn] = out.MetricDataResults ?? [];
    expect(cpu?.Timestamps).toHaveLength(12);
    expect(cpu?.Timestamps?.[0]?.getTime()).toBe(end.getTime() - FIVE_MIN);
    expect(cpu?.Timestamps?.[11]?.getTime()).toBe(start.getTime());
    for (const v of cpu?.Values ?? []) {
      expect(v).toBeGreaterThanOrEqual(0.8);
      expect(v).toBeLessThan(3.3);
    }
    expect(cpuMax?.Values).toHaveLength(4);
    expect(Math.max(...(cpuMax?.Values ?? []))).toBe(Math.max(...(cpu?.Values ?? [])));
    expect(netIn?.Values).toHaveLength(1);
    expect(netIn?.Values?.[0]).toBeGreaterThan(12 * 15_000);

    // Deterministic: asking again gives the same numbers.
    const again = await cloudwatch().send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: [cpuQuery(id)], ScanBy: 'TimestampAscending' }));
    expect(again.MetricDataResults?.[0]?.Values).toEqual([...(cpu?.Values ?? [])].reverse());
  });

  it('has no data before launch, after a stop, or for unknown instances; follows seeded series', async () => {
    const id = sim.addInstance(REGION, { launchTime: new Date(Date.now() - 30 * 60_000) });
    const end = new Date(Math.floor(Date.now() / FIVE_MIN) * FIVE_MIN);
    const start = new Date(end.getTime() - 2 * HOUR);
    const query = async (queries: MetricDataQuery[]) => (await cloudwatch().send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: queries }))).MetricDataResults ?? [];
    const [young] = await query([cpuQuery(id)]);
    expect(young?.Values?.length).toBeGreaterThanOrEqual(5);
    expect(young?.Values?.length).toBeLessThanOrEqual(6);
    const [unknown] = await query([cpuQuery('i-0123456789abcdef0')]);
    expect([unknown?.StatusCode, unknown?.Values]).toEqual(['Complete', []]);

    sim.setMetrics(id, { CPUUtilization: (at) => (at.getUTCMinutes() % 10 === 0 ? 90 : 10) });
    const [seeded] = await query([cpuQuery(id)]);
    expect(new Set(seeded?.Values)).toEqual(new Set([90, 10]));

    sim.setInstanceState(id, 'stopped');
    const later = new Date(end.getTime() + HOUR);
    const afterStop = await cloudwatch().send(new GetMetricDataCommand({ StartTime: end, EndTime: later, MetricDataQueries: [cpuQuery(id)] }));
    expect(afterStop.MetricDataResults?.[0]?.Values?.length).toBeLessThanOrEqual(1);

    const badId = await rejectionOf(cloudwatch().send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: [cpuQuery(id, 'Bad-Id')] })));
    expect(badId.name).toBe('ValidationException');
    const backwards = await rejectionOf(cloudwatch().send(new GetMetricDataCommand({ StartTime: end, EndTime: start, MetricDataQueries: [cpuQuery(id)] })));
    expect(backwards.Code).toBe('ValidationError');
  });
});

import { CloudWatchClient, DescribeAlarmsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { EC2Client, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { createInstanceStopFacts } from '../../src/main/services/ec2/instance-stop-facts';
import type { AutoStopService } from '../../src/main/services/idle/auto-stop-service';
import { createAutoStopService } from '../../src/main/services/idle/create-auto-stop-service';
import { createIdleWatcherService } from '../../src/main/services/idle/create-idle-watcher-service';
import { createIdleAlarms } from '../../src/main/services/idle/idle-alarm';
import { createLogger } from '../../src/main/services/logging/logger';
import type { InstanceRef } from '../../src/shared/models/transfers';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { startTunnelRig, waitFor, type TunnelRig } from '../support/tunnel-rig';

/**
 * The auto-stop service against the EC2 simulator through the real CloudWatch and EC2 clients, and (for the
 * watcher layer) over the real sshd rig, with the watcher's unit, script and state dirs in a temp dir and a
 * `systemctl` stand-in (the container has no systemd), as in idle-watcher-service.test.ts.
 */
const GOOD = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const ACCOUNT = 'acct-idle';
const REGION = 'eu-west-1';
const STOP_ARN = `arn:aws:automate:${REGION}:ec2:stop`;

let restoreEnv: () => void = () => undefined;
let rig: TunnelRig;
let pool: AwsClientPool;
let ec2: Ec2Service;
let service: AutoStopService;
let root: string;
let cloudwatch: CloudWatchClient;
let ec2Client: EC2Client;
let dirs: { unitDir: string; binDir: string; stateDir: string };
/** What onAlarmChanged was told: instance id and the alarm's minutes (undefined: deleted). */
let told: [string, number | undefined][] = [];

function ref(instanceId: string): InstanceRef {
  return { accountId: ACCOUNT, region: REGION, instanceId };
}

function build(): AutoStopService {
  const clientsFor = (accountId: string) => pool.clientsFor(accountId);
  const stopFacts = createInstanceStopFacts({ clientsFor });
  const logger = createLogger({ level: 'warn', sink: () => undefined });
  return createAutoStopService({
    alarms: createIdleAlarms({ clientsFor }),
    watcher: createIdleWatcherService({
      connections: rig.connections,
      logger,
      shutdownBehaviour: stopFacts.shutdownBehaviour,
      ...dirs,
      systemctl: join(root, 'bin', 'systemctl'),
      systemdMarker: join(root, 'run-systemd-system'),
    }),
    stopFacts,
    consoleOutput: (r, signal) => ec2.consoleOutput(r.accountId, r.region, r.instanceId, signal),
    logger,
    watcherTimeoutMs: 5_000,
    onAlarmChanged: (r, alarm) => told.push([r.instanceId, alarm?.minutes]),
  });
}

const watcherFiles = async (): Promise<string[]> =>
  [...(await readdir(dirs.unitDir).catch(() => [])), ...(await readdir(dirs.binDir).catch(() => []))].filter((n) => n.startsWith('hangar-idle')).sort();

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  rig = await startTunnelRig();
  pool = createAwsClientPool({ credentialsFor: () => async () => GOOD, endpoint: rig.sim.url });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  cloudwatch = new CloudWatchClient({ region: REGION, credentials: GOOD, endpoint: rig.sim.url, maxAttempts: 1 });
  ec2Client = new EC2Client({ region: REGION, credentials: GOOD, endpoint: rig.sim.url, maxAttempts: 1 });
  root = await mkdtemp(join(tmpdir(), 'hangar-auto-stop-'));
  await mkdir(join(root, 'run-systemd-system'));
  await mkdir(join(root, 'bin'));
  await writeFile(join(root, 'bin', 'systemctl'), '#!/bin/sh\n[ "$1" = is-active ] && echo active\nexit 0\n');
  await chmod(join(root, 'bin', 'systemctl'), 0o755);
});

beforeEach(async () => {
  const run = await mkdtemp(join(root, 'run-'));
  dirs = { unitDir: join(run, 'etc/systemd/system'), binDir: join(run, 'usr/local/bin'), stateDir: join(run, 'var/lib/hangar-idle') };
  service = build();
  told = [];
});

afterEach(async () => {
  rig.sim.allowActions();
  await service.settled();
});

afterAll(async () => {
  cloudwatch?.destroy();
  ec2Client?.destroy();
  pool?.destroy();
  await rig?.stop();
  await rm(root, { recursive: true, force: true });
  restoreEnv();
});

describe('the CloudWatch alarm', () => {
  it('enable puts hangar-idle-<id>: average CPUUtilization below X % for N minutes in 5-minute periods, stopping the instance', async () => {
    const id = rig.sim.addInstance(REGION, { name: 'notebook' });
    const status = await service.enable({ instance: ref(id), minutes: 60, cpuPercent: 4, alarm: true, watcher: false });

    const alarm = rig.sim.alarm(REGION, `hangar-idle-${id}`);
    expect(alarm?.config).toMatchObject({
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: id }],
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 12,
      DatapointsToAlarm: 12,
      Threshold: 4,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [STOP_ARN],
    });
    expect(alarm?.config.AlarmDescription).toMatch(/^Created by Hangar: stops i-[0-9a-f]+ when its average CPU stays below 4 % for 60 minutes\./);
    expect(alarm?.tags).toEqual({ 'hangar:created-by': 'Hangar' });
    expect(alarm?.actionsEnabled).toBe(true);
    expect(status).toMatchObject({
      instanceId: id,
      alarm: { alarmName: `hangar-idle-${id}`, instanceId: id, minutes: 60, ruleMinutes: 60, cpuPercent: 4, backstop: false, state: 'INSUFFICIENT_DATA', stops: true },
    });
    expect(status.problems).toBeUndefined();
    // The instance has no address: SSH cannot work, so the watcher is not offered (and nothing waited long).
    expect(status.watcher.state).toBe('unavailable');

    // Minutes that are not whole periods are rounded up; enabling again replaces the rule.
    const again = await service.enable({ instance: ref(id), minutes: 62, cpuPercent: 2.5, alarm: true, watcher: false });
    expect(again.alarm).toMatchObject({ minutes: 65, cpuPercent: 2.5 });
    expect(rig.sim.alarm(REGION, `hangar-idle-${id}`)?.config).toMatchObject({ EvaluationPeriods: 13, Threshold: 2.5 });

    const listed = await service.listAlarms(ACCOUNT, REGION);
    expect(listed.filter((a) => a.instanceId === id).map((a) => [a.alarmName, a.minutes, a.state])).toEqual([[`hangar-idle-${id}`, 65, 'INSUFFICIENT_DATA']]);
    expect(await service.listAlarms(ACCOUNT, 'us-east-1')).toEqual([]);
    await service.disable(ref(id));
  });

  it('stops the instance when the alarm goes to ALARM (SetAlarmState, and the simulator’s own evaluation of an idle CPU)', async () => {
    const flipped = rig.sim.addInstance(REGION);
    await service.enable({ instance: ref(flipped), minutes: 15, cpuPercent: 5, alarm: true, watcher: false });
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: `hangar-idle-${flipped}`, StateValue: 'ALARM', StateReason: 'test: idle' }));
    await waitFor(() => rig.sim.instance(flipped)?.state === 'stopped', 'the alarm to stop the instance');
    expect(rig.sim.alarmActions.filter((a) => a.alarmName === `hangar-idle-${flipped}`).map((a) => a.action)).toEqual([STOP_ARN]);
    expect((await service.status(ref(flipped))).alarm?.state).toBe('ALARM');

    const idle = rig.sim.addInstance(REGION, { launchTime: new Date(Date.now() - 3 * 3_600_000) });
    const busy = rig.sim.addInstance(REGION, { launchTime: new Date(Date.now() - 3 * 3_600_000) });
    rig.sim.setMetrics(busy, { CPUUtilization: 55 });
    await service.enable({ instance: ref(idle), minutes: 30, cpuPercent: 5, alarm: true, watcher: false });
    await service.enable({ instance: ref(busy), minutes: 30, cpuPercent: 5, alarm: true, watcher: false });
    rig.sim.evaluateAlarms({ region: REGION });
    expect(rig.sim.instance(idle)?.state).toMatch(/^stopp(ing|ed)$/);
    expect(rig.sim.instance(busy)?.state).toBe('running');
    for (const id of [flipped, idle, busy]) await service.disable(ref(id));
  });

  it('a start from Hangar re-arms an alarm that stopped the instance, so the next idle spell stops it again', async () => {
    const id = rig.sim.addInstance(REGION);
    await service.enable({ instance: ref(id), minutes: 10, cpuPercent: 5, alarm: true, watcher: false });
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: `hangar-idle-${id}`, StateValue: 'ALARM', StateReason: 'test: idle' }));
    await waitFor(() => rig.sim.instance(id)?.state === 'stopped', 'the stop');
    const stop = ec2.onStateChanges((changes, where) => service.instancesChanged(changes, where));
    try {
      await ec2.act({ accountId: ACCOUNT, region: REGION, instanceIds: [id], action: 'start' });
      await service.settled();
      expect(rig.sim.alarm(REGION, `hangar-idle-${id}`)?.state).toBe('OK');
      expect(told.at(-1)).toEqual([id, 10]);
    } finally {
      stop();
    }
    await service.disable(ref(id));
  });

  it('disable deletes the alarm; terminating through ec2.act deletes it too', async () => {
    const a = rig.sim.addInstance(REGION);
    const b = rig.sim.addInstance(REGION);
    await service.enable({ instance: ref(a), minutes: 60, cpuPercent: 5, alarm: true, watcher: false });
    await service.enable({ instance: ref(b), minutes: 60, cpuPercent: 5, alarm: true, watcher: false });

    const off = await service.disable(ref(a));
    expect(off.alarm).toBeUndefined();
    expect(rig.sim.alarm(REGION, `hangar-idle-${a}`)).toBeUndefined();
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [`hangar-idle-${a}`] }))).MetricAlarms).toEqual([]);
    expect((await service.status(ref(a))).alarm).toBeUndefined();

    const stop = ec2.onStateChanges((changes, where) => service.instancesChanged(changes, where));
    try {
      await ec2.act({ accountId: ACCOUNT, region: REGION, instanceIds: [b], action: 'terminate' });
      await service.settled();
    } finally {
      stop();
    }
    expect(rig.sim.alarm(REGION, `hangar-idle-${b}`)).toBeUndefined();
    expect(told).toEqual([[a, 60], [b, 60], [a, undefined], [b, undefined]]);
  });

  it('without cloudwatch:PutMetricAlarm: an error naming the permission that offers the watcher alone; nothing is created', async () => {
    const id = rig.sim.addInstance(REGION);
    rig.sim.denyActions(['cloudwatch:PutMetricAlarm']);
    const error = await caught(service.enable({ instance: ref(id), minutes: 60, cpuPercent: 5, alarm: true, watcher: false }));
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toBe(`Your AWS credentials are not allowed to create CloudWatch alarms (cloudwatch:PutMetricAlarm) in ${REGION}, so Hangar cannot set the idle alarm.`);
    expect(error.hint).toContain('use the on-instance watcher alone');
    expect(error.details).toMatchObject({ missingAction: 'cloudwatch:PutMetricAlarm', watcherAlone: true });
    expect(rig.sim.alarm(REGION, `hangar-idle-${id}`)).toBeUndefined();
  });

  it('refuses an instance-store-backed instance (it cannot stop) and a rule out of range, creating nothing', async () => {
    const store = rig.sim.addInstance(REGION, { rootDeviceType: 'instance-store' });
    const refused = await caught(service.enable({ instance: ref(store), minutes: 60, cpuPercent: 5, alarm: true, watcher: false }));
    expect(refused.code).toBe('IDLE_CANNOT_STOP');
    expect(refused.message).toContain('instance-store root volume, and EC2 cannot stop such instances');
    expect(rig.sim.alarm(REGION, `hangar-idle-${store}`)).toBeUndefined();

    const id = rig.sim.addInstance(REGION);
    for (const [minutes, cpuPercent, field] of [[3, 5, 'minutes'], [60, 0, 'cpuPercent'], [60, 100, 'cpuPercent'], [60, 150, 'cpuPercent'], [60.5, 5, 'minutes']] as const) {
      const bad = await caught(service.enable({ instance: ref(id), minutes, cpuPercent, alarm: true, watcher: false }));
      expect([bad.code, bad.details?.field]).toEqual(['INVALID_ARGUMENT', field]);
    }
    const short = await caught(service.enable({ instance: ref(id), minutes: 3, cpuPercent: 5, alarm: true, watcher: false }));
    expect(short.message).toBe("The idle rule's minutes is not valid: At least 5 minutes: CloudWatch measures CPU in 5-minute periods.");
    expect(rig.sim.alarm(REGION, `hangar-idle-${id}`)).toBeUndefined();
  });
});

describe('with the on-instance watcher (real sshd rig)', () => {
  it('installs the watcher with N and makes the alarm its backstop at 2 × N; disable removes both', async () => {
    const status = await service.enable({ instance: rig.ref, minutes: 30, cpuPercent: 5, alarm: true, watcher: true });
    expect(status.watcher).toMatchObject({ state: 'checked', status: { installed: true, settings: { idleMinutes: 30 } } });
    expect(status.alarm).toMatchObject({ minutes: 60, ruleMinutes: 30, backstop: true });
    expect(rig.sim.alarm(REGION, `hangar-idle-${rig.instanceId}`)?.config).toMatchObject({ EvaluationPeriods: 12, AlarmActions: [STOP_ARN] });
    expect(await watcherFiles()).toEqual(['hangar-idle-watcher', 'hangar-idle-watcher.service', 'hangar-idle-watcher.timer']);

    const seen = await service.status(rig.ref);
    expect(seen.watcher).toMatchObject({ state: 'checked', status: { installed: true } });
    expect(seen.alarm?.backstop).toBe(true);

    // The watcher switched off while the alarm stays: removed from the instance, the alarm back to N.
    const alarmOnly = await service.enable({ instance: rig.ref, minutes: 30, cpuPercent: 5, alarm: true, watcher: false });
    expect(alarmOnly.alarm).toMatchObject({ minutes: 30, backstop: false });
    expect(alarmOnly.watcher).toMatchObject({ state: 'checked', status: { installed: false } });
    expect(await watcherFiles()).toEqual([]);

    await service.enable({ instance: rig.ref, minutes: 30, cpuPercent: 5, alarm: true, watcher: true });
    const off = await service.disable(rig.ref);
    expect(off.watcher).toMatchObject({ state: 'checked', status: { installed: false } });
    expect(await watcherFiles()).toEqual([]);
    expect(existsSync(dirs.stateDir)).toBe(false);
    expect(rig.sim.alarm(REGION, `hangar-idle-${rig.instanceId}`)).toBeUndefined();
  });

  it('an instance set to terminate on shutdown gets no watcher: the alarm does the job alone, and says why', async () => {
    await ec2Client.send(new ModifyInstanceAttributeCommand({ InstanceId: rig.instanceId, InstanceInitiatedShutdownBehavior: { Value: 'terminate' } }));
    try {
      const status = await service.enable({ instance: rig.ref, minutes: 30, cpuPercent: 5, alarm: true, watcher: true });
      expect(status.problems?.watcher?.code).toBe('IDLE_SHUTDOWN_TERMINATES');
      expect(status.alarm).toMatchObject({ minutes: 30, backstop: false });
      expect(await watcherFiles()).toEqual([]);
      // Asked for the watcher alone, the refusal is the answer.
      expect((await caught(service.enable({ instance: rig.ref, minutes: 30, cpuPercent: 5, alarm: false, watcher: true }))).code).toBe('IDLE_SHUTDOWN_TERMINATES');
    } finally {
      await ec2Client.send(new ModifyInstanceAttributeCommand({ InstanceId: rig.instanceId, InstanceInitiatedShutdownBehavior: { Value: 'stop' } }));
      await service.disable(rig.ref);
    }
  });

  it('without cloudwatch:PutMetricAlarm the watcher works alone, and the missing permission is reported', async () => {
    rig.sim.denyActions(['cloudwatch:PutMetricAlarm']);
    const status = await service.enable({ instance: rig.ref, minutes: 20, cpuPercent: 5, alarm: true, watcher: true });
    expect(status.alarm).toBeUndefined();
    expect(status.problems?.alarm).toMatchObject({ code: 'AWS_UNAUTHORIZED', details: { missingAction: 'cloudwatch:PutMetricAlarm' } });
    expect(status.watcher).toMatchObject({ state: 'checked', status: { installed: true, settings: { idleMinutes: 20 } } });
    rig.sim.allowActions();
    await service.disable(rig.ref);
    expect(await watcherFiles()).toEqual([]);
  });

  it('says why a stopped instance stopped when the watcher’s line is in its console output', async () => {
    const id = rig.sim.addInstance(REGION);
    expect(await service.stopReason(ref(id))).toBeUndefined();
    rig.sim.setConsoleOutput(id, '[  OK  ] Started foo\nhangar-idle: stopping after 60 min idle: no GPU use, no kernels, no sessions, load 0.02\n');
    expect(await service.stopReason(ref(id))).toBe("stopped by Hangar's idle watcher after 60 min idle: no GPU use, no kernels, no sessions, load 0.02");
  });
});

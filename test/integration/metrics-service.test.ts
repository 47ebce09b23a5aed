import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createMetricsService } from '../../src/main/services/metrics/instance-metrics';
import { summarizeCpu } from '../../src/shared/models/metrics';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const GOOD = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';
const HOUR = 3_600_000;

let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  sim = await startEc2Simulator();
  pool = createAwsClientPool({ credentialsFor: (): AwsCredentialIdentityProvider => async () => GOOD, endpoint: sim.url });
});

afterAll(async () => {
  pool.destroy();
  await sim.close();
  restoreEnv();
});

const service = (now?: () => number) => createMetricsService({ clientsFor: pool.clientsFor, ...(now === undefined ? {} : { now }) });

describe('instance metrics from CloudWatch GetMetricData', () => {
  it('gives 3 hours of 5-minute CPU and network points for an idle instance, oldest first, and calls it idle', async () => {
    const id = sim.addInstance(REGION, { name: 'idle', launchTime: new Date(Date.now() - 10 * HOUR) });
    sim.clearRequests();
    const metrics = await service().instance({ accountId: ACCOUNT, region: REGION, instanceId: id });
    expect(sim.requests.filter((r) => r.service === 'monitoring').map((r) => [r.action, r.region])).toEqual([['GetMetricData', REGION]]);
    expect(Date.parse(metrics.to) - Date.parse(metrics.from)).toBe(3 * HOUR);
    expect(metrics.periodSeconds).toBe(300);
    // 36 periods in 3 h; the one still running may not have a sample yet.
    expect(metrics.cpu.length).toBeGreaterThanOrEqual(35);
    expect(metrics.cpu.length).toBeLessThanOrEqual(36);
    expect(metrics.cpu.every((p) => p.v >= 0.8 && p.v <= 3.2)).toBe(true);
    expect(metrics.cpu.map((p) => p.t)).toEqual([...metrics.cpu.map((p) => p.t)].sort((a, b) => a - b));
    expect(metrics.cpu.every((p) => p.t % 300_000 === 0)).toBe(true);
    expect(metrics.networkIn.every((p) => p.v >= 15_000 && p.v <= 75_000)).toBe(true);
    expect(metrics.networkOut.length).toBe(metrics.cpu.length);
    const summary = summarizeCpu(metrics);
    expect(summary.verdict).toBe('idle');
    expect(summary.text).toMatch(/^CPU averaged \d(\.\d)? % over the last 3 h — idle \(peak \d(\.\d)? %\)$/);
  });

  it('follows a seeded busy series, and covers only the time since launch', async () => {
    const id = sim.addInstance(REGION, { name: 'busy', launchTime: new Date(Date.now() - 62 * 60_000) });
    sim.setMetrics(id, { CPUUtilization: 87.5 });
    const metrics = await service().instance({ accountId: ACCOUNT, region: REGION, instanceId: id });
    expect(metrics.cpu.length).toBeGreaterThanOrEqual(11);
    expect(metrics.cpu.length).toBeLessThanOrEqual(13);
    expect(new Set(metrics.cpu.map((p) => p.v))).toEqual(new Set([87.5]));
    expect(summarizeCpu(metrics).text).toMatch(/^CPU averaged 88 % over the last 1 h — busy \(peak 88 %\)$/);
  });

  it('has no points for an instance that has only just started, and says so', async () => {
    const id = sim.addInstance(REGION, { name: 'fresh' });
    const metrics = await service().instance({ accountId: ACCOUNT, region: REGION, instanceId: id });
    expect(metrics.cpu).toEqual([]);
    expect(summarizeCpu(metrics)).toMatchObject({ verdict: 'no-data' });
    expect(summarizeCpu(metrics).text).toContain('No CPU data for the last 3 h');
  });

  it('names the missing permission when GetMetricData is denied', async () => {
    const id = sim.addInstance(REGION);
    sim.denyActions(['cloudwatch:GetMetricData']);
    try {
      const error = await caught(service().instance({ accountId: ACCOUNT, region: REGION, instanceId: id }));
      expect(error.code).toBe('AWS_UNAUTHORIZED');
      expect(`${error.message} ${error.hint ?? ''}`).toContain('cloudwatch:GetMetricData');
    } finally {
      sim.allowActions();
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, DescribeSecurityGroupRulesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, GetInstanceProfileCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createLaunchService } from '../../src/main/services/launch/create-launch-service';
import type { LaunchService } from '../../src/main/services/launch/launch-service';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createKeysService } from '../../src/main/services/ssh/create-keys-service';
import { runInstancesCommandLine, SSM_CORE_POLICY_ARN, SSM_GROUP_NAME, SSM_PROFILE_NAME, type LaunchRequest } from '../../src/shared/models/launch';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { ubuntuRequest } from '../support/ubuntu-launch-request';

/**
 * "Connect through Session Manager (no SSH port open)" launches (issue 15), through the real EC2 and IAM SDK
 * clients against the simulator's Query APIs: the role and instance profile made once with consent, a group
 * with no inbound rules, IAM's eventual consistency waited out, and the launched instance's agent online.
 */
const REGION = 'us-east-1';
const scope = { accountId: 'acct-ssm-launch', region: REGION };
let sim: Ec2Simulator;
let pool: AwsClientPool;
let svc: LaunchService;
let work: string;
const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hangar-ssm-launch-'));
  sim = await startEc2Simulator();
  pool = createAwsClientPool({ credentialsFor: () => async () => credentials, endpoint: sim.url });
  const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
  const keys = createKeysService({ settings, secrets: createMemorySecretStore() });
  svc = createLaunchService({ clientsFor: (id) => pool.clientsFor(id), keys, settings, ec2: createEc2Service({ clientsFor: (id) => pool.clientsFor(id) }), iamWaitMs: 20_000 });
}, 30_000);

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await rm(work, { recursive: true, force: true });
});

async function request(extra: Partial<LaunchRequest> = {}): Promise<LaunchRequest> {
  const network = await svc.network(scope);
  if (network.defaultVpcId === undefined) throw new Error('no default VPC');
  return ubuntuRequest(svc, scope, { name: 'no-ssh', sessionManager: { createRole: true, vpcId: network.defaultVpcId }, ...extra });
}

describe('launch through Session Manager', () => {
  it('without consent nothing is created; with it: role, policy, profile, a group with no inbound rules, and the agent online', async () => {
    expect((await svc.ssmProfile(scope)).state).toBe('missing');
    const base = await request();
    const refused = await caught(svc.launch({ ...base, sessionManager: { createRole: false, vpcId: base.sessionManager?.vpcId ?? '' } }));
    expect(refused.message).toContain('was not asked to create it');
    expect(sim.iam.roles.size).toBe(0);

    // IAM's eventual consistency: the new profile is refused by RunInstances for a while, and the launch waits.
    sim.iam.propagationMs = 2_500;
    const started = Date.now();
    const [launched] = await svc.launch(base);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(launched?.instanceId).toMatch(/^i-/);

    // What AWS holds, read back through the SDKs.
    const iam = new IAMClient({ region: REGION, endpoint: sim.url, credentials });
    const ec2 = new EC2Client({ region: REGION, endpoint: sim.url, credentials });
    try {
      const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: SSM_PROFILE_NAME }));
      expect(profile.InstanceProfile?.Roles?.map((r) => r.RoleName)).toEqual([SSM_PROFILE_NAME]);
      const policies = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: SSM_PROFILE_NAME }));
      expect(policies.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([SSM_CORE_POLICY_ARN]);
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched?.instanceId ?? ''] }));
      const instance = described.Reservations?.[0]?.Instances?.[0];
      expect(instance?.IamInstanceProfile?.Arn).toBe(profile.InstanceProfile?.Arn);
      expect(instance?.SecurityGroups?.map((g) => g.GroupName)).toEqual([SSM_GROUP_NAME]);
      const groupId = instance?.SecurityGroups?.[0]?.GroupId ?? '';
      const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
      expect(rules.SecurityGroupRules?.filter((r) => r.IsEgress === false)).toEqual([]);
    } finally {
      iam.destroy();
      ec2.destroy();
    }
    // The instance's agent registered with Session Manager, as the role lets it.
    const ssm = new SSMClient({ region: REGION, endpoint: sim.url, credentials });
    try {
      // Once the instance runs (pending, its agent has not started yet).
      await expect
        .poll(async () => (await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [launched?.instanceId ?? ''] }] }))).InstanceInformationList?.map((i) => i.PingStatus), { timeout: 15_000 })
        .toEqual(['Online']);
    } finally {
      ssm.destroy();
    }
    expect((await svc.ssmProfile(scope)).state).toBe('ready');
  }, 60_000);

  it('a second launch reuses the profile and the group: no second CreateRole', async () => {
    const before = sim.requests.filter((r) => r.action === 'CreateRole').length;
    const groupsBefore = sim.requests.filter((r) => r.action === 'CreateSecurityGroup').length;
    sim.iam.propagationMs = 0;
    await svc.launch(await request({ name: 'again' }));
    expect(sim.requests.filter((r) => r.action === 'CreateRole').length).toBe(before);
    expect(sim.requests.filter((r) => r.action === 'CreateSecurityGroup').length).toBe(groupsBefore);
  }, 30_000);

  it('no iam:CreateRole permission: the error names it and iam:PassRole', async () => {
    const sim2 = await startEc2Simulator();
    const pool2 = createAwsClientPool({ credentialsFor: () => async () => credentials, endpoint: sim2.url });
    try {
      const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings-2')));
      const svc2 = createLaunchService({ clientsFor: (id) => pool2.clientsFor(id), keys: createKeysService({ settings, secrets: createMemorySecretStore() }), settings, ec2: createEc2Service({ clientsFor: (id) => pool2.clientsFor(id) }) });
      sim2.denyActions(['iam:CreateRole']);
      const base = await request();
      const error = await caught(svc2.launch({ ...base, sessionManager: { createRole: true, vpcId: (await svc2.network(scope)).defaultVpcId ?? '' } }));
      expect(error.code).toBe('AWS_UNAUTHORIZED');
      expect(error.message).toContain('iam:CreateRole');
      expect(error.hint).toContain('iam:PassRole');
      expect(sim2.requests.filter((r) => r.action === 'RunInstances')).toHaveLength(0);
    } finally {
      pool2.destroy();
      await sim2.close();
    }
  }, 30_000);

  it('no iam:PassRole: RunInstances is refused and the error names it', async () => {
    sim.iam.propagationMs = 0;
    sim.denyActions(['iam:PassRole']);
    try {
      const error = await caught(svc.launch(await request({ name: 'no-pass' })));
      expect(error.code).toBe('AWS_UNAUTHORIZED');
      expect(`${error.message} ${error.hint ?? ''}`).toContain('iam:PassRole');
    } finally {
      sim.allowActions();
    }
  }, 30_000);

  it('an existing role without AmazonSSMManagedInstanceCore gets only that policy attached', async () => {
    const sim3 = await startEc2Simulator();
    const pool3 = createAwsClientPool({ credentialsFor: () => async () => credentials, endpoint: sim3.url });
    const iam = new IAMClient({ region: REGION, endpoint: sim3.url, credentials });
    try {
      await iam.send(new CreateRoleCommand({ RoleName: SSM_PROFILE_NAME, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: SSM_PROFILE_NAME }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: SSM_PROFILE_NAME, RoleName: SSM_PROFILE_NAME }));
      const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings-3')));
      const svc3 = createLaunchService({ clientsFor: (id) => pool3.clientsFor(id), keys: createKeysService({ settings, secrets: createMemorySecretStore() }), settings, ec2: createEc2Service({ clientsFor: (id) => pool3.clientsFor(id) }) });
      expect(await svc3.ssmProfile(scope)).toMatchObject({ state: 'incomplete', detail: expect.stringContaining('will attach') as unknown });
      const before = sim3.requests.length;
      await svc3.launch({ ...(await request()), sessionManager: { createRole: true, vpcId: (await svc3.network(scope)).defaultVpcId ?? '' } });
      const iamCalls = sim3.requests.slice(before).filter((r) => r.service === 'iam').map((r) => r.action);
      expect(iamCalls.filter((a) => a.startsWith('Create') || a.startsWith('Add'))).toEqual([]);
      expect(iamCalls).toContain('AttachRolePolicy');
      expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: SSM_PROFILE_NAME }))).AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([SSM_CORE_POLICY_ARN]);
    } finally {
      iam.destroy();
      pool3.destroy();
      await sim3.close();
    }
  }, 30_000);

  it('IAM slower than the wait: nothing is launched and the error says to press Launch again', async () => {
    const sim4 = await startEc2Simulator();
    const pool4 = createAwsClientPool({ credentialsFor: () => async () => credentials, endpoint: sim4.url });
    try {
      sim4.iam.propagationMs = 60_000;
      const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings-4')));
      const svc4 = createLaunchService({ clientsFor: (id) => pool4.clientsFor(id), keys: createKeysService({ settings, secrets: createMemorySecretStore() }), settings, ec2: createEc2Service({ clientsFor: (id) => pool4.clientsFor(id) }), iamWaitMs: 2_500 });
      const error = await caught(svc4.launch({ ...(await request()), sessionManager: { createRole: true, vpcId: (await svc4.network(scope)).defaultVpcId ?? '' } }));
      expect(error.message).toContain('EC2 does not see the new instance profile yet');
      expect(error.hint).toContain('Press Launch again');
      expect(sim4.requests.filter((r) => r.action === 'RunInstances' && r.status === 200)).toHaveLength(0);
      expect(sim4.requests.filter((r) => r.action === 'RunInstances').length).toBeGreaterThan(1);
    } finally {
      pool4.destroy();
      await sim4.close();
    }
  }, 30_000);

  it('the CLI line shows the IAM steps, the group and --iam-instance-profile', async () => {
    const line = runInstancesCommandLine(await request());
    expect(line).toContain(`aws iam create-role --role-name ${SSM_PROFILE_NAME}`);
    expect(line).toContain(`aws iam attach-role-policy --role-name ${SSM_PROFILE_NAME} --policy-arn ${SSM_CORE_POLICY_ARN}`);
    expect(line).toContain(`--group-name ${SSM_GROUP_NAME}`);
    expect(line).toContain(`--iam-instance-profile Name=${SSM_PROFILE_NAME}`);
    expect(line).toContain('--security-group-ids SSM_SG_ID');
  });
});

import { randomUUID } from 'node:crypto';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  type KeyPairInfo as SdkKeyPairInfo,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  type Tag,
} from '@aws-sdk/client-ec2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import { instanceNames, launchTags, spotOptionsOf, type DryRunResult, type LaunchedInstance, type LaunchRequest, type LaunchTag, type RegionScope, type SshProbe, type SsmProfileStatus } from '../../../shared/models/launch';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { mapAwsError } from '../aws/map-aws-error';
import type { SettingsStore } from '../settings/settings-store';
import { createEc2Call } from './ec2-call';
import { answersSsh } from './ssh-probe';
import { prepareClusterResources, type ClusterResources } from './cluster-resources';
import { createSessionManagerLaunch } from './session-manager-launch';
import { mappedAwsCode } from '../aws/aws-error-fields';
import { sleep } from '../common/sleep';

export interface RunInstancesDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /** How long RunInstances retries while IAM makes a new instance profile usable (eventual consistency); default 90 s. */
  iamWaitMs?: number;
  settings: SettingsStore;
  /** The Hangar key that is this key pair's private half (LaunchKeyPairs.localKeyFor). */
  localKeyFor(pair: SdkKeyPairInfo): Promise<string | undefined>;
  sshProbeTimeoutMs?: number;
}

export interface RunInstances {
  dryRun(request: LaunchRequest, signal?: AbortSignal): Promise<DryRunResult>;
  /** Whether the Session Manager launch's instance profile is ready or will be created (asked before consent). */
  ssmProfile(scope: RegionScope, signal?: AbortSignal): Promise<SsmProfileStatus>;
  launch(request: LaunchRequest, signal?: AbortSignal): Promise<LaunchedInstance[]>;
  probeSsh(ref: InstanceRef, signal?: AbortSignal): Promise<SshProbe>;
}

/** The launch itself: a DryRun permission check, RunInstances with per-instance names, then waiting for SSH. */
export function createRunInstances(deps: RunInstancesDeps): RunInstances {
  const call = createEc2Call(deps.clientsFor);
  const localKeyFor = deps.localKeyFor;
  const sessionManager = createSessionManagerLaunch({ clientsFor: deps.clientsFor, call });

  return {
    ssmProfile: (scope, signal) => sessionManager.profileStatus(scope, signal),

    async dryRun(request, signal) {
      try {
        await deps.clientsFor(request.accountId).ec2Once(request.region).send(new RunInstancesCommand(runInput(request, true)), { abortSignal: signal });
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === 'DryRunOperation') return { ok: true, missing: [], message: 'AWS says this launch would succeed: your credentials have every permission it needs.' };
        if (signal?.aborted) throw cancelledError();
        if (name === 'UnauthorizedOperation') {
          const text = String((error as { message?: unknown }).message ?? '');
          const missing = [...text.matchAll(/not authorized to perform: (\S+?)(?: on resource|\s|$)/g)].map((m) => m[1] ?? '').filter((a) => a !== '');
          const list = missing.length > 0 ? [...new Set(missing)] : ['ec2:RunInstances'];
          return {
            ok: false,
            missing: list,
            message: `Your AWS credentials are missing ${list.length === 1 ? 'the permission' : 'the permissions'} ${list.join(', ')}. Ask your AWS administrator to allow ${list.length === 1 ? 'it' : 'them'} in your IAM policy.`,
          };
        }
        throw mapAwsError(error, { action: 'ec2:RunInstances', region: request.region });
      }
      return { ok: true, missing: [], message: 'AWS accepted the check.' };
    },

    async launch(request, signal) {
      const cluster = request.cluster === undefined ? undefined : await prepareClusterResources(call, { ...request, cluster: request.cluster }, signal);
      const ssm =
        request.sessionManager === undefined
          ? undefined
          : {
              profile: await sessionManager.ensureProfile(request, request.sessionManager.createRole, signal),
              groupId: await sessionManager.ensureGroup(request, request.sessionManager.vpcId, signal),
            };
      const out = await untilProfileUsable(
        () =>
          call(request, 'ec2:RunInstances', signal, () =>
            deps.clientsFor(request.accountId).ec2Once(request.region).send(new RunInstancesCommand(runInput(request, false, cluster, ssm)), { abortSignal: signal }),
          ),
        ssm === undefined ? 0 : (deps.iamWaitMs ?? 90_000),
        signal,
      ).catch((error: unknown) => {
        // A cluster placement group needs all nodes at once in one zone: fewer nodes or another zone often fit.
        if (cluster !== undefined && error instanceof HangarError && error.code === 'AWS_INSUFFICIENT_CAPACITY') {
          throw new HangarError({
            code: error.code,
            message: `AWS has no room for ${request.count} × ${request.instanceType} together in the placement group of cluster ${request.cluster?.name ?? ''} right now.`,
            hint: `Try fewer nodes (you can add more later), another availability zone (choose a subnet there), or another instance type. ${error.hint ?? ''}`.trim(),
            retryable: true,
          });
        }
        throw error;
      });
      const instances = [...(out.Instances ?? [])].sort((a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0));
      const names = instanceNames(request.name, request.count, request.cluster !== undefined);
      const launched = instances.map((i, k) => ({
        instanceId: i.InstanceId ?? '',
        name: names[k] ?? request.name,
        state: i.State?.Name ?? 'pending',
        ...(i.Placement?.AvailabilityZone === undefined ? {} : { availabilityZone: i.Placement.AvailabilityZone }),
      }));
      if (request.count > 1) {
        // One RunInstances call tags every instance alike; each gets its own name-k afterwards (best effort).
        await Promise.all(
          launched.map((l) =>
            deps
              .clientsFor(request.accountId)
              .ec2(request.region)
              .send(new CreateTagsCommand({ Resources: [l.instanceId], Tags: [{ Key: 'Name', Value: l.name }] }))
              .catch(() => undefined),
          ),
        );
      }
      // The key Hangar holds for this pair is remembered per instance, whatever it is called locally.
      if (request.keyName !== undefined) {
        const pair = await call(request, 'ec2:DescribeKeyPairs', signal, (c) =>
          c.send(new DescribeKeyPairsCommand({ KeyNames: [request.keyName ?? ''], IncludePublicKey: true })),
        ).catch(() => undefined);
        const keyId = pair?.KeyPairs?.[0] === undefined ? undefined : await localKeyFor(pair.KeyPairs[0]);
        if (keyId !== undefined) {
          deps.settings.mutate((s) => ({
            ...s,
            connections: { ...s.connections, ...Object.fromEntries(launched.map((l) => [l.instanceId, { ...s.connections[l.instanceId], keyId }])) },
          }));
        }
      }
      return launched;
    },

    async probeSsh(ref, signal) {
      const out = await call(ref, 'ec2:DescribeInstances', signal, (c) => c.send(new DescribeInstancesCommand({ InstanceIds: [ref.instanceId] }), { abortSignal: signal }));
      const instance = out.Reservations?.[0]?.Instances?.[0];
      const state = instance?.State?.Name ?? 'unknown';
      const override = deps.settings.get().connections[ref.instanceId]?.host;
      let host = instance?.PublicIpAddress ?? instance?.PublicDnsName;
      let port = 22;
      if (override !== undefined && override !== '') {
        const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(override) ?? /^([^:]+)(?::(\d+))?$/.exec(override);
        host = m?.[1] ?? override;
        if (m?.[2] !== undefined) port = Number(m[2]);
      }
      if (state !== 'running' || host === undefined || host === '') return { ready: false, state, ...(host === undefined || host === '' ? {} : { host }) };
      return { ready: await answersSsh(host, port, deps.sshProbeTimeoutMs ?? 3_000, signal), host, state };
    },
  };
}

/**
 * A new instance profile takes a few seconds to reach EC2: RunInstances meanwhile answers InvalidParameterValue
 * "Invalid IAM Instance Profile name". Retried with backoff for up to `waitMs` (0: not at all).
 */
async function untilProfileUsable<T>(run: () => Promise<T>, waitMs: number, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + waitMs;
  let delay = 1_000;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      const text = `${mappedAwsCode(error)} ${error instanceof Error ? error.message : ''}`;
      const notYet = /InvalidParameterValue/.test(text) && /iam ?instance ?profile/i.test(text);
      if (!notYet) throw error;
      if (Date.now() + delay > deadline) {
        throw new HangarError({
          code: 'AWS_REQUEST_FAILED',
          message: `EC2 does not see the new instance profile yet: IAM takes a while to pass it on, and Hangar waited ${Math.round(waitMs / 1000)} s.`,
          hint: 'Nothing was launched. Press Launch again in a minute; the role and profile are already made.',
          retryable: true,
          cause: error,
        });
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 8_000);
    }
  }
}

function runInput(request: LaunchRequest, dryRun: boolean, cluster?: ClusterResources, ssm?: { profile: string; groupId: string }): RunInstancesCommandInput {
  const groupIds = [...request.securityGroupIds, ...(cluster === undefined ? [] : [cluster.securityGroupId]), ...(ssm === undefined ? [] : [ssm.groupId])];
  // The same tags the Review's CLI line shows (launchTags), so that line is what is launched.
  const tags = launchTags(request);
  const sdk = (list: readonly LaunchTag[]): Tag[] => list.map((t) => ({ Key: t.key, Value: t.value }));
  return {
    DryRun: dryRun,
    ImageId: request.imageId,
    InstanceType: request.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: request.count,
    MaxCount: request.count,
    ...(request.keyName === undefined ? {} : { KeyName: request.keyName }),
    ...(groupIds.length === 0 ? {} : { SecurityGroupIds: groupIds }),
    ...(cluster === undefined ? {} : { Placement: { GroupName: cluster.placementGroup } }),
    ...(ssm === undefined ? {} : { IamInstanceProfile: { Name: ssm.profile } }),
    ...(request.subnetId === undefined ? {} : { SubnetId: request.subnetId }),
    BlockDeviceMappings: [
      {
        DeviceName: request.rootDeviceName,
        Ebs: { VolumeSize: request.rootSizeGiB, VolumeType: request.rootVolumeType, DeleteOnTermination: request.deleteOnTermination },
      },
    ],
    ...(request.userData === undefined || request.userData === '' ? {} : { UserData: Buffer.from(request.userData, 'utf8').toString('base64') }),
    // The CLI line in the review (runInstancesCommandLine) prints these same options.
    ...(request.spot ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: spotOptionsOf(request.spotRequest) } } : {}),
    TagSpecifications: [
      { ResourceType: 'instance', Tags: sdk(tags.instance) },
      // Volumes keep the launch's name: they are renamed per instance only through their instance.
      { ResourceType: 'volume', Tags: sdk(tags.volume) },
    ],
    // RunInstances is not idempotent without one; a retried request must not launch twice.
    ClientToken: randomUUID(),
  };
}

import { randomUUID } from 'node:crypto';
import { DescribeInstancesCommand, RunInstancesCommand, TerminateInstancesCommand, type Instance, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { Events } from '../../../shared/ipc/contract';
import { CLUSTER_TAG, nextNodeName, type ClusterRef, type ClusterSetupReport, type RemoveNodeInput } from '../../../shared/models/cluster';
import { CREATED_BY_TAG } from '../../../shared/models/launch';
import type { EventHub } from '../app/event-hub';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { sleep } from '../common/sleep';
import { createEc2Call } from '../launch/ec2-call';
import type { ClusterSetupService } from './cluster-setup';

export interface ClusterNodesService {
  /**
   * Launches one more node like the cluster's master (image, type, key pair, subnet, security groups, placement
   * group, tags) named after the highest node, waits for SSH, then sets up every node again so each one's hosts,
   * hostfile and known_hosts include it.
   */
  addNode(input: ClusterRef, signal?: AbortSignal): Promise<ClusterSetupReport>;
  /** Terminates a worker (never master) and sets up the others again without it. */
  removeNode(input: RemoveNodeInput, signal?: AbortSignal): Promise<ClusterSetupReport>;
}

export interface ClusterNodesDeps {
  clientsFor(accountId: string): AwsClientFactory;
  setup: Pick<ClusterSetupService, 'setUp'>;
  events: Pick<EventHub<Pick<Events, 'clusters.progress'>>, 'publish'>;
  /** Whether the instance's SSH port answers (the Launch flow's probe). */
  answersSsh(ref: { accountId: string; region: string; instanceId: string }, signal?: AbortSignal): Promise<boolean>;
  pollMs?: number;
  /** How long a new node may take to run and answer SSH (default 10 minutes). */
  readyTimeoutMs?: number;
}

const LIVE = ['pending', 'running', 'stopping', 'stopped'];
const nameOf = (i: Instance): string => i.Tags?.find((t) => t.Key === 'Name')?.Value ?? '';

export function createClusterNodes(deps: ClusterNodesDeps): ClusterNodesService {
  const call = createEc2Call(deps.clientsFor);
  const pollMs = deps.pollMs ?? 3_000;

  async function nodesOf(ref: ClusterRef, signal?: AbortSignal): Promise<Instance[]> {
    const out = await call(ref, 'ec2:DescribeInstances', signal, (c) =>
      c.send(
        new DescribeInstancesCommand({ Filters: [{ Name: `tag:${CLUSTER_TAG}`, Values: [ref.clusterName] }, { Name: 'instance-state-name', Values: LIVE }] }),
        { abortSignal: signal },
      ),
    );
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  }

  async function setUpAll(ref: ClusterRef, signal?: AbortSignal): Promise<ClusterSetupReport> {
    const nodes = (await nodesOf(ref, signal)).filter((i) => i.State?.Name === 'running' && /^(master|node\d{3})$/.test(nameOf(i)));
    nodes.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
    // master sorts after the nodes by name; hosts files read better with it first.
    nodes.sort((a, b) => Number(nameOf(b) === 'master') - Number(nameOf(a) === 'master'));
    return deps.setup.setUp({ clusterName: ref.clusterName, nodes: nodes.map((i) => ({ accountId: ref.accountId, region: ref.region, instanceId: i.InstanceId ?? '', name: nameOf(i) })) }, signal);
  }

  const launching = (ref: ClusterRef, name: string, detail: string, instanceId = ''): void =>
    deps.events.publish('clusters.progress', { clusterName: ref.clusterName, nodes: [{ instanceId, name, state: 'waiting', detail }], finished: false });

  return {
    async addNode(ref, signal) {
      const nodes = await nodesOf(ref, signal);
      const template = nodes.find((i) => nameOf(i) === 'master') ?? nodes[0];
      if (!template) throw new HangarError({ code: 'NOT_FOUND', message: `No instance of cluster ${ref.clusterName} is left in ${ref.region}.`, hint: 'Launch a new cluster from the Launch wizard.' });
      const name = nextNodeName(nodes.map(nameOf));
      const tags = [
        { Key: 'Name', Value: name },
        { Key: CLUSTER_TAG, Value: ref.clusterName },
        { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value },
      ];
      const input: RunInstancesCommandInput = {
        ImageId: template.ImageId,
        InstanceType: template.InstanceType,
        MinCount: 1,
        MaxCount: 1,
        ...(template.KeyName === undefined ? {} : { KeyName: template.KeyName }),
        ...(template.SubnetId === undefined ? {} : { SubnetId: template.SubnetId }),
        SecurityGroupIds: (template.SecurityGroups ?? []).flatMap((g) => (g.GroupId === undefined ? [] : [g.GroupId])),
        ...(template.Placement?.GroupName ? { Placement: { GroupName: template.Placement.GroupName } } : {}),
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tags },
          { ResourceType: 'volume', Tags: tags },
        ],
        ClientToken: randomUUID(),
      };
      launching(ref, name, `launching a ${template.InstanceType ?? ''} like master`);
      const out = await call(ref, 'ec2:RunInstances', signal, (c) => c.send(new RunInstancesCommand(input), { abortSignal: signal }));
      const instanceId = out.Instances?.[0]?.InstanceId ?? '';
      const deadline = Date.now() + (deps.readyTimeoutMs ?? 10 * 60_000);
      for (;;) {
        signal?.throwIfAborted();
        const now = (await nodesOf(ref, signal)).find((i) => i.InstanceId === instanceId);
        const state = now?.State?.Name;
        if (state === 'running' && (await deps.answersSsh({ accountId: ref.accountId, region: ref.region, instanceId }, signal))) break;
        if (state !== 'pending' && state !== 'running') {
          throw new HangarError({ code: 'AWS_INCORRECT_STATE', message: `${name} (${instanceId}) is ${state ?? 'gone'} instead of running.`, hint: 'Look at its console output; the other nodes are unchanged.' });
        }
        if (Date.now() > deadline) {
          throw new HangarError({ code: 'SSH_TIMEOUT', message: `${name} (${instanceId}) runs but SSH has not answered yet.`, hint: 'Run the cluster set-up again once it answers.', retryable: true });
        }
        launching(ref, name, state === 'running' ? 'waiting for SSH' : 'starting', instanceId);
        await sleep(pollMs, signal);
      }
      return setUpAll(ref, signal);
    },

    async removeNode(input, signal) {
      const nodes = await nodesOf(input, signal);
      const node = nodes.find((i) => i.InstanceId === input.instanceId);
      if (!node) throw new HangarError({ code: 'NOT_FOUND', message: `${input.instanceId} is not a node of cluster ${input.clusterName}.` });
      if (nameOf(node) === 'master') {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'master is the cluster’s head (hosts, shared files); it is not removed on its own.', hint: 'Terminate the whole cluster instead.' });
      }
      await call(input, 'ec2:TerminateInstances', signal, (c) => c.send(new TerminateInstancesCommand({ InstanceIds: [input.instanceId] }), { abortSignal: signal }));
      return setUpAll(input, signal);
    },
  };
}

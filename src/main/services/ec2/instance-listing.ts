import { DescribeImagesCommand, DescribeInstancesCommand, GetConsoleOutputCommand } from '@aws-sdk/client-ec2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceStateName, InstanceSummary } from '../../../shared/models/ec2';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';
import type { InstanceDetails } from './ec2-service';
import { isStateName, present, toInstanceSummary } from './instance-summary';
import { withSpotRequests } from './spot-request-status';

// EC2's largest page: fewer round trips for big accounts.
const PAGE_SIZE = 1000;

export interface InstanceListing {
  listInstances(accountId: string, region: string, signal?: AbortSignal): Promise<InstanceSummary[]>;
  /** The current state of each of `ids` that AWS still knows. */
  describeStates(accountId: string, region: string, ids: string[], signal?: AbortSignal): Promise<Map<string, InstanceStateName>>;
  describeInstance(accountId: string, region: string, instanceId: string, signal?: AbortSignal): Promise<InstanceDetails>;
  consoleOutput(accountId: string, region: string, instanceId: string, signal?: AbortSignal): Promise<string | undefined>;
  consoleSnapshot(accountId: string, region: string, instanceId: string, options: ConsoleOptions, signal?: AbortSignal): Promise<ConsoleSnapshot>;
}

export interface ConsoleOptions {
  /** The live serial output (Nitro types); older types only have the copy buffered at boot and stop. */
  readonly latest?: boolean;
}

export interface ConsoleSnapshot {
  /** Decoded; undefined while AWS has none yet. */
  readonly text: string | undefined;
  readonly updatedAt: string | undefined;
}

/** What DescribeInstances (and GetConsoleOutput) say about one region's instances. */
export function createInstanceListing(deps: { clientsFor(accountId: string): AwsClientFactory }): InstanceListing {
  const ec2 = (accountId: string, region: string) => deps.clientsFor(accountId).ec2(region);

  async function consoleSnapshot(accountId: string, region: string, instanceId: string, options: ConsoleOptions, signal?: AbortSignal): Promise<ConsoleSnapshot> {
    const out = await callAws(
      () =>
        ec2(accountId, region).send(new GetConsoleOutputCommand({ InstanceId: instanceId, ...(options.latest === true ? { Latest: true } : {}) }), {
          abortSignal: signal,
        }),
      { action: 'ec2:GetConsoleOutput', region, signal },
    );
    return {
      text: out.Output === undefined || out.Output === '' ? undefined : Buffer.from(out.Output, 'base64').toString('utf8'),
      updatedAt: out.Timestamp?.toISOString(),
    };
  }

  return {
    async listInstances(accountId, region, signal) {
      const pages = async (): Promise<InstanceSummary[]> => {
        const client = ec2(accountId, region);
        const instances: InstanceSummary[] = [];
        const seenTokens = new Set<string>();
        let nextToken: string | undefined;
        do {
          throwIfAborted(signal);
          const out = await client.send(new DescribeInstancesCommand({ MaxResults: PAGE_SIZE, NextToken: nextToken }), {
            abortSignal: signal,
          });
          for (const reservation of out.Reservations ?? []) {
            for (const instance of reservation.Instances ?? []) {
              const summary = toInstanceSummary(instance, region);
              if (summary) instances.push(summary);
            }
          }
          nextToken = out.NextToken === '' ? undefined : out.NextToken;
          // A server that hands back a token it already gave would otherwise loop forever.
          if (nextToken !== undefined) {
            if (seenTokens.has(nextToken)) break;
            seenTokens.add(nextToken);
          }
        } while (nextToken !== undefined);
        return withSpotRequests(client, instances, signal);
      };
      return callAws(pages, { action: 'ec2:DescribeInstances', region, signal });
    },

    async describeStates(accountId, region, ids, signal) {
      const out = await callAws(
        () => ec2(accountId, region).send(new DescribeInstancesCommand({ InstanceIds: ids }), { abortSignal: signal }),
        { action: 'ec2:DescribeInstances', region, signal },
      );
      const states = new Map<string, InstanceStateName>();
      for (const reservation of out.Reservations ?? []) {
        for (const i of reservation.Instances ?? []) {
          if (i.InstanceId !== undefined && isStateName(i.State?.Name)) states.set(i.InstanceId, i.State.Name);
        }
      }
      return states;
    },

    async describeInstance(accountId, region, instanceId, signal) {
      const out = await callAws(
        () => ec2(accountId, region).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal: signal }),
        { action: 'ec2:DescribeInstances', region, signal },
      );
      const raw = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
      const instance = raw === undefined ? undefined : toInstanceSummary(raw, region);
      if (raw === undefined || instance === undefined) {
        throw new HangarError({
          code: 'AWS_NOT_FOUND',
          message: `Instance ${instanceId} was not found in ${region}.`,
          hint: 'It may have been terminated; refresh the instance list.',
          details: { instanceId, region },
        });
      }
      const securityGroups = (raw.SecurityGroups ?? []).flatMap((g) =>
        g.GroupId === undefined ? [] : [{ id: g.GroupId, ...(present(g.GroupName) === undefined ? {} : { name: g.GroupName as string }) }],
      );
      let imageName: string | undefined;
      if (instance.imageId !== '') {
        try {
          const images = await callAws(
            () => ec2(accountId, region).send(new DescribeImagesCommand({ ImageIds: [instance.imageId] }), { abortSignal: signal }),
            { action: 'ec2:DescribeImages', region, signal },
          );
          imageName = present(images.Images?.find((i) => i.ImageId === instance.imageId)?.Name);
        } catch {
          // A deregistered or private AMI, or no ec2:DescribeImages permission: the name is only a hint.
          if (signal?.aborted) throw cancelledError();
          imageName = undefined;
        }
      }
      const network = { ...(present(raw.VpcId) === undefined ? {} : { vpcId: raw.VpcId as string }), ...(present(raw.SubnetId) === undefined ? {} : { subnetId: raw.SubnetId as string }) };
      return { instance, securityGroups, ...network, ...(imageName === undefined ? {} : { imageName }) };
    },

    consoleSnapshot,

    async consoleOutput(accountId, region, instanceId, signal) {
      return (await consoleSnapshot(accountId, region, instanceId, {}, signal)).text;
    },
  };
}

import { DescribeInstancesCommand, DescribeRegionsCommand, type Instance } from '@aws-sdk/client-ec2';
import { cancelledError } from '../../../shared/errors/hangar-error';
import {
  INSTANCE_STATE_NAMES,
  type InstanceStateName,
  type InstanceSummary,
  type RegionOptInStatus,
  type RegionSummary,
} from '../../../shared/models/ec2';
import { regionDisplayName } from '../../../shared/models/region-names';
import type { Ec2ClientFactory } from './ec2-client-factory';
import { mapAwsError } from './map-aws-error';

export interface Ec2Service {
  listRegions(signal?: AbortSignal): Promise<RegionSummary[]>;
  listInstances(region: string, signal?: AbortSignal): Promise<InstanceSummary[]>;
}

export interface Ec2ServiceDeps {
  clients: Ec2ClientFactory;
  /** Where DescribeRegions is asked; us-east-1 can never be disabled, so it always answers. */
  homeRegion?: string;
}

// EC2's largest page: fewer round trips for big accounts.
const PAGE_SIZE = 1000;

export function createEc2Service(deps: Ec2ServiceDeps): Ec2Service {
  const homeRegion = deps.homeRegion ?? 'us-east-1';

  return {
    async listRegions(signal) {
      const action = 'ec2:DescribeRegions';
      throwIfAborted(signal);
      try {
        const out = await deps.clients.ec2(homeRegion).send(new DescribeRegionsCommand({}), { abortSignal: signal });
        return (out.Regions ?? [])
          .filter((r) => r.RegionName !== undefined)
          .map((r): RegionSummary => {
            const name = r.RegionName ?? '';
            return {
              name,
              endpoint: r.Endpoint ?? `ec2.${name}.amazonaws.com`,
              optInStatus: toOptInStatus(r.OptInStatus),
              displayName: regionDisplayName(name),
            };
          })
          .sort((a, b) => a.name.localeCompare(b.name));
      } catch (error) {
        throw signal?.aborted ? cancelledError() : mapAwsError(error, { action, region: homeRegion });
      }
    },

    async listInstances(region, signal) {
      const action = 'ec2:DescribeInstances';
      const client = deps.clients.ec2(region);
      const instances: InstanceSummary[] = [];
      const seenTokens = new Set<string>();
      let nextToken: string | undefined;
      try {
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
      } catch (error) {
        throw signal?.aborted ? cancelledError() : mapAwsError(error, { action, region });
      }
      return instances;
    },
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

function toOptInStatus(value: string | undefined): RegionOptInStatus {
  return value === 'opted-in' || value === 'not-opted-in' ? value : 'opt-in-not-required';
}

function isStateName(value: string | undefined): value is InstanceStateName {
  return (INSTANCE_STATE_NAMES as readonly (string | undefined)[]).includes(value);
}

/** EC2 sends empty elements (e.g. `<dnsName/>`) for absent values; the UI wants them absent. */
function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function toInstanceSummary(i: Instance, region: string): InstanceSummary | undefined {
  if (i.InstanceId === undefined) return undefined;
  const state = i.State?.Name;
  const summary: InstanceSummary = {
    id: i.InstanceId,
    name: present(i.Tags?.find((t) => t.Key === 'Name')?.Value),
    state: isStateName(state) ? state : 'pending',
    stateReason: present(i.StateReason?.Message),
    type: i.InstanceType ?? 'unknown',
    availabilityZone: i.Placement?.AvailabilityZone ?? region,
    publicIp: present(i.PublicIpAddress),
    publicDns: present(i.PublicDnsName),
    privateIp: present(i.PrivateIpAddress),
    keyName: present(i.KeyName),
    imageId: i.ImageId ?? '',
    platform: present(i.PlatformDetails) ?? // The SDK types Platform as "Windows" but the wire says "windows".
      (String(i.Platform ?? '').toLowerCase() === 'windows' ? 'Windows' : undefined),
    architecture: present(i.Architecture),
    launchTime: (i.LaunchTime ?? new Date(0)).toISOString(),
    region,
  };
  // Drop undefined keys so the object crosses IPC (and compares in tests) exactly as it reads.
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as unknown as InstanceSummary;
}

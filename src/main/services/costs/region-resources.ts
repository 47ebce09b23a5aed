import {
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Tag,
} from '@aws-sdk/client-ec2';
import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';
import { withBackoff } from './with-backoff';

/** What one region holds that can bill, as plain facts (no SDK types past this file). */
export interface RegionResources {
  readonly instances: readonly InstanceFact[];
  readonly volumes: readonly VolumeFact[];
  readonly snapshots: readonly SnapshotFact[];
  readonly images: readonly ImageFact[];
  readonly addresses: readonly AddressFact[];
  readonly spotRequests: readonly SpotRequestFact[];
  /** Kinds that could not be listed for lack of permission (the others are complete). */
  readonly denied: readonly HangarError[];
}

export interface Tagged {
  readonly tags: Readonly<Record<string, string>>;
}

export interface InstanceFact extends Tagged {
  readonly id: string;
  readonly state: string;
  readonly type: string;
  readonly availabilityZone: string;
  readonly launchTime: string | undefined;
  readonly publicIp: string | undefined;
  readonly spot: boolean;
}

export interface VolumeFact extends Tagged {
  readonly id: string;
  readonly size: number;
  readonly type: string;
  readonly iops: number | undefined;
  readonly throughput: number | undefined;
  readonly state: string;
  readonly createTime: string | undefined;
  readonly attachedTo: string | undefined;
  readonly availabilityZone: string;
}

export interface SnapshotFact extends Tagged {
  readonly id: string;
  readonly volumeSize: number;
  readonly storageTier: string;
  readonly startTime: string | undefined;
  readonly description: string;
  readonly volumeId: string;
  /** pending, completed, error. */
  readonly state: string;
  /** 0–100. */
  readonly progress: number;
  readonly encrypted: boolean;
}

export interface ImageFact extends Tagged {
  readonly id: string;
  readonly name: string | undefined;
  readonly creationDate: string | undefined;
  /** The snapshots behind its block device mappings, with the sizes the mappings give. */
  readonly snapshots: readonly { readonly id: string; readonly size: number }[];
  readonly state: string;
  readonly description: string;
  readonly architecture: string;
  readonly isPublic: boolean;
}

export interface AddressFact extends Tagged {
  readonly allocationId: string;
  readonly publicIp: string;
  readonly instanceId: string | undefined;
  readonly associated: boolean;
}

export interface SpotRequestFact extends Tagged {
  readonly id: string;
  readonly state: string;
  readonly type: string;
  readonly instanceType: string;
  readonly maxPrice: number | undefined;
  readonly createTime: string | undefined;
  readonly instanceId: string | undefined;
}

const tagsOf = (tags: Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])));
const isoOf = (date: Date | string | undefined): string | undefined =>
  date === undefined ? undefined : typeof date === 'string' ? date : Number.isNaN(date.getTime()) ? undefined : date.toISOString();

/** Every page of a paged EC2 listing; a token handed back twice ends it rather than looping. */
async function pages<T>(signal: AbortSignal | undefined, fetch: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    throwIfAborted(signal);
    const page = await fetch(token);
    all.push(...page.items);
    token = page.next === '' ? undefined : page.next;
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}

export type Lister<T> = (client: EC2Client, opts: { abortSignal?: AbortSignal | undefined }, signal: AbortSignal | undefined) => Promise<T[]>;

const LISTERS = {
  instances: (async (client, opts, signal) =>
    pages(signal, async (NextToken) => {
      // Terminated instances bill nothing; shutting-down ones are on their way out.
      const out = await client.send(
        new DescribeInstancesCommand({ MaxResults: 1000, NextToken, Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }] }),
        opts,
      );
      const items = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).flatMap((i): InstanceFact[] =>
        i.InstanceId === undefined
          ? []
          : [
              {
                id: i.InstanceId,
                state: i.State?.Name ?? 'pending',
                type: i.InstanceType ?? 'unknown',
                availabilityZone: i.Placement?.AvailabilityZone ?? '',
                launchTime: isoOf(i.LaunchTime),
                publicIp: i.PublicIpAddress === '' ? undefined : i.PublicIpAddress,
                spot: i.InstanceLifecycle === 'spot',
                tags: tagsOf(i.Tags),
              },
            ],
      );
      return { items, next: out.NextToken };
    })) satisfies Lister<InstanceFact>,
  volumes: (async (client, opts, signal) =>
    pages(signal, async (NextToken) => {
      const out = await client.send(new DescribeVolumesCommand({ MaxResults: 500, NextToken }), opts);
      const items = (out.Volumes ?? []).flatMap((v): VolumeFact[] =>
        v.VolumeId === undefined
          ? []
          : [
              {
                id: v.VolumeId,
                size: v.Size ?? 0,
                type: v.VolumeType ?? 'gp2',
                iops: v.Iops,
                throughput: v.Throughput,
                state: v.State ?? 'available',
                createTime: isoOf(v.CreateTime),
                attachedTo: v.Attachments?.find((a) => a.InstanceId !== undefined)?.InstanceId,
                availabilityZone: v.AvailabilityZone ?? '',
                tags: tagsOf(v.Tags),
              },
            ],
      );
      return { items, next: out.NextToken };
    })) satisfies Lister<VolumeFact>,
  snapshots: (async (client, opts, signal) =>
    pages(signal, async (NextToken) => {
      const out = await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 1000, NextToken }), opts);
      const items = (out.Snapshots ?? []).flatMap((s): SnapshotFact[] =>
        s.SnapshotId === undefined
          ? []
          : [
              {
                id: s.SnapshotId,
                volumeSize: s.VolumeSize ?? 0,
                storageTier: s.StorageTier ?? 'standard',
                startTime: isoOf(s.StartTime),
                description: s.Description ?? '',
                volumeId: s.VolumeId ?? '',
                state: s.State ?? 'completed',
                progress: Number.parseInt(s.Progress ?? '', 10) || (s.State === 'completed' ? 100 : 0),
                encrypted: s.Encrypted ?? false,
                tags: tagsOf(s.Tags),
              },
            ],
      );
      return { items, next: out.NextToken };
    })) satisfies Lister<SnapshotFact>,
  images: (async (client, opts, signal) =>
    pages(signal, async (NextToken) => {
      const out = await client.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 1000, NextToken }), opts);
      const items = (out.Images ?? []).flatMap((i): ImageFact[] =>
        i.ImageId === undefined
          ? []
          : [
              {
                id: i.ImageId,
                name: i.Name === '' ? undefined : i.Name,
                creationDate: i.CreationDate,
                snapshots: (i.BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.SnapshotId ? [{ id: b.Ebs.SnapshotId, size: b.Ebs.VolumeSize ?? 0 }] : [])),
                state: i.State ?? 'available',
                description: i.Description ?? '',
                architecture: i.Architecture ?? 'x86_64',
                isPublic: i.Public ?? false,
                tags: tagsOf(i.Tags),
              },
            ],
      );
      return { items, next: out.NextToken };
    })) satisfies Lister<ImageFact>,
  addresses: (async (client, opts) => {
    const out = await client.send(new DescribeAddressesCommand({}), opts);
    return (out.Addresses ?? []).flatMap((a): AddressFact[] =>
      a.PublicIp === undefined
        ? []
        : [{ allocationId: a.AllocationId ?? a.PublicIp, publicIp: a.PublicIp, instanceId: a.InstanceId, associated: a.AssociationId !== undefined, tags: tagsOf(a.Tags) }],
    );
  }) satisfies Lister<AddressFact>,
  spotRequests: (async (client, opts, signal) =>
    pages(signal, async (NextToken) => {
      const out = await client.send(
        new DescribeSpotInstanceRequestsCommand({ MaxResults: 1000, NextToken, Filters: [{ Name: 'state', Values: ['open', 'active', 'disabled'] }] }),
        opts,
      );
      const items = (out.SpotInstanceRequests ?? []).flatMap((r): SpotRequestFact[] =>
        r.SpotInstanceRequestId === undefined
          ? []
          : [
              {
                id: r.SpotInstanceRequestId,
                state: r.State ?? 'open',
                type: r.Type ?? 'one-time',
                instanceType: r.LaunchSpecification?.InstanceType ?? 'unknown',
                maxPrice: r.SpotPrice === undefined ? undefined : Number(r.SpotPrice),
                createTime: isoOf(r.CreateTime),
                instanceId: r.InstanceId,
                tags: tagsOf(r.Tags),
              },
            ],
      );
      return { items, next: out.NextToken };
    })) satisfies Lister<SpotRequestFact>,
};

/** The account's own volumes, snapshots and AMIs of a region, every page (the Images & snapshots screen lists with these too). */
export const listVolumes: Lister<VolumeFact> = LISTERS.volumes;
export const listOwnSnapshots: Lister<SnapshotFact> = LISTERS.snapshots;
export const listOwnImages: Lister<ImageFact> = LISTERS.images;

const ACTIONS: Readonly<Record<keyof typeof LISTERS, string>> = {
  instances: 'ec2:DescribeInstances',
  volumes: 'ec2:DescribeVolumes',
  snapshots: 'ec2:DescribeSnapshots',
  images: 'ec2:DescribeImages',
  addresses: 'ec2:DescribeAddresses',
  spotRequests: 'ec2:DescribeSpotInstanceRequests',
};

/**
 * Lists everything in one region that can bill, the six listings at once. A listing refused for lack of
 * permission leaves its kind out (reported in `denied`); any other failure fails the region.
 */
export async function describeRegionResources(
  clients: AwsClientFactory,
  region: string,
  signal?: AbortSignal,
  /** Called as soon as the instances are listed (before the other kinds), e.g. to ask their prices. */
  onInstances?: (instances: readonly InstanceFact[]) => void,
): Promise<RegionResources> {
  const client = clients.ec2(region);
  const opts = { abortSignal: signal };
  const run = <T>(kind: keyof typeof LISTERS, lister: Lister<T>): Promise<T[]> =>
    withBackoff(() => callAws(() => lister(client, opts, signal), { action: ACTIONS[kind], region, signal }), { signal });
  // The instance listing first, and the other five a moment later: when every region is asked at once, all
  // regions' instance listings then reach AWS (and come back) ahead of the rest, so the prices that depend on
  // them are asked while the bulk of the answers is still being read, not after.
  const instanceListing = run('instances', LISTERS.instances);
  instanceListing.then((listed) => onInstances?.(listed)).catch(() => undefined);
  await new Promise<void>((resolve) => setImmediate(resolve));
  const settled = await Promise.allSettled([
    instanceListing,
    run('volumes', LISTERS.volumes),
    run('snapshots', LISTERS.snapshots),
    run('images', LISTERS.images),
    run('addresses', LISTERS.addresses),
    run('spotRequests', LISTERS.spotRequests),
  ]);
  throwIfAborted(signal);
  const denied: HangarError[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') continue;
    const error = outcome.reason as unknown;
    if (isCancelled(error)) throw error;
    if (error instanceof HangarError && error.code === 'AWS_UNAUTHORIZED') denied.push(error);
    else throw error;
  }
  if (denied.length === settled.length) throw denied[0] as HangarError;
  const value = <T>(outcome: PromiseSettledResult<T[]>): T[] => (outcome.status === 'fulfilled' ? outcome.value : []);
  const [instances, volumes, snapshots, images, addresses, spotRequests] = settled;
  return {
    instances: value(instances),
    volumes: value(volumes),
    snapshots: value(snapshots),
    images: value(images),
    addresses: value(addresses),
    spotRequests: value(spotRequests),
    denied,
  };
}

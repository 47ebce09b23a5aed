import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { ImageInfo, ImagesOverview, SnapshotInfo, VolumeChoice } from '../../../shared/models/images';
import { CREATED_BY_TAG, type RegionScope } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';
import { listOwnImages, listOwnSnapshots, listVolumes, type ImageFact, type Lister, type SnapshotFact, type VolumeFact } from '../costs/region-resources';

const named = (tags: Readonly<Record<string, string>>): string | undefined => (tags.Name === undefined || tags.Name === '' ? undefined : tags.Name);
const byHangar = (tags: Readonly<Record<string, string>>): boolean => tags[CREATED_BY_TAG.key] !== undefined;

function toImage(i: ImageFact): ImageInfo {
  return {
    id: i.id,
    name: i.name ?? i.id,
    description: i.description,
    state: i.state,
    creationDate: i.creationDate,
    architecture: i.architecture,
    isPublic: i.isPublic,
    snapshots: i.snapshots,
    createdByHangar: byHangar(i.tags),
  };
}

function toSnapshot(s: SnapshotFact, usedBy: ReadonlyMap<string, string>): SnapshotInfo {
  return {
    id: s.id,
    volumeId: s.volumeId,
    volumeSize: s.volumeSize,
    state: s.state,
    progress: s.progress,
    startTime: s.startTime,
    description: s.description,
    name: named(s.tags),
    encrypted: s.encrypted,
    createdByHangar: byHangar(s.tags),
    imageId: usedBy.get(s.id),
  };
}

function toVolume(v: VolumeFact): VolumeChoice {
  return { id: v.id, name: named(v.tags), size: v.size, type: v.type, state: v.state, availabilityZone: v.availabilityZone, attachedTo: v.attachedTo };
}

/**
 * The region's own AMIs, snapshots (each with the AMI that holds it) and volumes, with the Costs ledger's listing
 * code. A kind the credentials may not list is left out and its refusal returned; anything else fails the call.
 */
export async function imagesOverview(clientsFor: (accountId: string) => AwsClientFactory, scope: RegionScope, signal?: AbortSignal): Promise<ImagesOverview> {
  const opts = { abortSignal: signal };
  const run = <T>(action: string, lister: Lister<T>): Promise<T[]> =>
    callAws(() => lister(clientsFor(scope.accountId).ec2(scope.region), opts, signal), { action, region: scope.region, signal });
  const [images, snapshots, volumes] = await Promise.allSettled([
    run('ec2:DescribeImages', listOwnImages),
    run('ec2:DescribeSnapshots', listOwnSnapshots),
    run('ec2:DescribeVolumes', listVolumes),
  ]);
  throwIfAborted(signal);
  const denied: HangarError[] = [];
  const value = <T>(outcome: PromiseSettledResult<T[]>): T[] => {
    if (outcome.status === 'fulfilled') return outcome.value;
    const error = outcome.reason as unknown;
    if (isCancelled(error) || !(error instanceof HangarError) || error.code !== 'AWS_UNAUTHORIZED') throw error;
    denied.push(error);
    return [];
  };
  const imageFacts = value(images);
  const usedBy = new Map(imageFacts.flatMap((i) => i.snapshots.map((s) => [s.id, i.id] as const)));
  const newestFirst = (a: string | undefined, b: string | undefined): number => (b ?? '').localeCompare(a ?? '');
  return {
    images: imageFacts.map(toImage).sort((a, b) => newestFirst(a.creationDate, b.creationDate)),
    snapshots: value(snapshots)
      .map((s) => toSnapshot(s, usedBy))
      .sort((a, b) => newestFirst(a.startTime, b.startTime)),
    volumes: value(volumes).map(toVolume),
    denied: denied.map((e) => e.toJSON()),
  };
}

import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { mappedAwsCode } from '../aws/aws-error-fields';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { CopyResult, CopySnapshotInput, CreateSnapshotInput, RestoreSnapshotInput, SnapshotInfo, SnapshotInput } from '../../../shared/models/images';
import { CREATED_BY_TAG, type RegionScope } from '../../../shared/models/launch';
import type { Ec2Call } from '../launch/ec2-call';


/** A snapshot as CreateSnapshot answers it, in the screen's terms. */
export function snapshotInfoOf(s: Snapshot, imageId?: string): SnapshotInfo {
  const tags = Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  return {
    id: s.SnapshotId ?? '',
    volumeId: s.VolumeId ?? '',
    volumeSize: s.VolumeSize ?? 0,
    state: s.State ?? 'pending',
    progress: Number.parseInt(s.Progress ?? '', 10) || 0,
    startTime: s.StartTime?.toISOString(),
    description: s.Description ?? '',
    name: tags.Name === undefined || tags.Name === '' ? undefined : tags.Name,
    encrypted: s.Encrypted ?? false,
    createdByHangar: tags[CREATED_BY_TAG.key] !== undefined,
    imageId,
  };
}

/** The tags every snapshot Hangar makes carries: hangar:created-by, and its Name when given. */
export function snapshotTags(name: string | undefined, extra: Record<string, string> = {}): { Key: string; Value: string }[] {
  const trimmed = name?.trim();
  return [
    { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value },
    ...(trimmed === undefined || trimmed === '' ? [] : [{ Key: 'Name', Value: trimmed }]),
    ...Object.entries(extra).map(([Key, Value]) => ({ Key, Value })),
  ];
}

export interface SnapshotCalls {
  create(input: CreateSnapshotInput, signal?: AbortSignal): Promise<SnapshotInfo>;
  copy(input: CopySnapshotInput, signal?: AbortSignal): Promise<CopyResult>;
  remove(input: SnapshotInput, signal?: AbortSignal): Promise<void>;
  restore(input: RestoreSnapshotInput, signal?: AbortSignal): Promise<{ volumeId: string; availabilityZone: string }>;
  zones(scope: RegionScope, signal?: AbortSignal): Promise<string[]>;
}

export function createSnapshotCalls(call: Ec2Call): SnapshotCalls {
  return {
    async create(input, signal) {
      const out = await call(input, 'ec2:CreateSnapshot', signal, (c) =>
        c.send(
          new CreateSnapshotCommand({
            VolumeId: input.volumeId,
            Description: input.description,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: snapshotTags(input.name) }],
          }),
          { abortSignal: signal },
        ),
      );
      return snapshotInfoOf(out);
    },

    // CopySnapshot is asked of the destination region, naming the source; the SDK presigns the source side.
    async copy(input, signal) {
      if (input.destinationRegion === input.region) throw sameRegion('snapshot');
      const out = await call({ accountId: input.accountId, region: input.destinationRegion }, 'ec2:CopySnapshot', signal, (c) =>
        c.send(
          new CopySnapshotCommand({
            SourceRegion: input.region,
            SourceSnapshotId: input.snapshotId,
            ...(input.description === undefined ? {} : { Description: input.description }),
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: snapshotTags(undefined, { 'hangar:copied-from': `${input.region}/${input.snapshotId}` }) }],
          }),
          { abortSignal: signal },
        ),
      );
      return { id: out.SnapshotId ?? '', region: input.destinationRegion };
    },

    async remove(input, signal) {
      try {
        await call(input, 'ec2:DeleteSnapshot', signal, (c) => c.send(new DeleteSnapshotCommand({ SnapshotId: input.snapshotId }), { abortSignal: signal }));
      } catch (error) {
        if (mappedAwsCode(error) !== 'InvalidSnapshot.InUse') throw error;
        throw await inUse(call, input, error);
      }
    },

    async restore(input, signal) {
      const out = await call(input, 'ec2:CreateVolume', signal, (c) =>
        c.send(
          new CreateVolumeCommand({
            SnapshotId: input.snapshotId,
            AvailabilityZone: input.availabilityZone,
            VolumeType: input.volumeType,
            ...(input.sizeGiB === undefined ? {} : { Size: input.sizeGiB }),
            TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }, { Key: 'hangar:restored-from', Value: input.snapshotId }] }],
          }),
          { abortSignal: signal },
        ),
      );
      return { volumeId: out.VolumeId ?? '', availabilityZone: out.AvailabilityZone ?? input.availabilityZone };
    },

    async zones(scope, signal) {
      const out = await call(scope, 'ec2:DescribeAvailabilityZones', signal, (c) =>
        c.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-type', Values: ['availability-zone'] }] }), { abortSignal: signal }),
      );
      return (out.AvailabilityZones ?? [])
        .filter((z) => z.State === undefined || z.State === 'available')
        .flatMap((z) => (z.ZoneName === undefined ? [] : [z.ZoneName]))
        .sort();
    },
  };
}

function sameRegion(what: string): HangarError {
  return new HangarError({ code: 'INVALID_ARGUMENT', message: `The ${what} is already in that region.`, hint: 'Choose another region to copy it to.' });
}

/** "Snapshot snap-… is used by AMI name (ami-…)": names the AMI (EC2's message carries its id). */
async function inUse(call: Ec2Call, input: SnapshotInput, error: unknown): Promise<HangarError> {
  const message = String((error instanceof HangarError ? error.details?.awsMessage : undefined) ?? '');
  const imageId = /ami-[0-9a-f]{8,17}/.exec(message)?.[0];
  let name: string | undefined;
  if (imageId !== undefined) {
    try {
      const out = await call(input, 'ec2:DescribeImages', undefined, (c) => c.send(new DescribeImagesCommand({ ImageIds: [imageId] })));
      name = out.Images?.[0]?.Name;
    } catch {
      // The name only makes the message friendlier.
      name = undefined;
    }
  }
  const who = imageId === undefined ? 'an AMI' : name === undefined ? `AMI ${imageId}` : `AMI ${name} (${imageId})`;
  return new HangarError({
    code: 'AWS_RESOURCE_IN_USE',
    message: `Snapshot ${input.snapshotId} is used by ${who}, so AWS will not delete it.`,
    hint: `Deregister ${imageId ?? 'the AMI'} first, choosing “also delete its snapshots”: that removes this snapshot in the same step.`,
    details: { ...(imageId === undefined ? {} : { imageId }), snapshotId: input.snapshotId },
    cause: error,
  });
}

import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  type Instance,
  type Volume,
  type VolumeModification,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import { mappedAwsCode } from '../aws/aws-error-fields';
import { HangarError } from '../../../shared/errors/hangar-error';
import { CREATED_BY_TAG, type RegionScope } from '../../../shared/models/launch';
import type { StorageVolume, VolumeModificationInfo } from '../../../shared/models/storage';
import type { Ec2Call } from '../launch/ec2-call';

const DAY_MS = 24 * 60 * 60_000;
/** Changes EBS accepts per volume in a rolling 24 hours (since January 2026; before, one per 6 hours). */
export const CHANGES_PER_DAY = 4;


export function modificationInfo(m: VolumeModification): VolumeModificationInfo {
  const state = m.ModificationState;
  return {
    state: state === 'optimizing' || state === 'completed' || state === 'failed' ? state : 'modifying',
    progress: m.Progress ?? 0,
    originalSize: m.OriginalSize ?? 0,
    targetSize: m.TargetSize ?? 0,
    targetType: m.TargetVolumeType ?? '',
    targetIops: m.TargetIops,
    targetThroughput: m.TargetThroughput,
    startTime: m.StartTime?.toISOString(),
    endTime: m.EndTime?.toISOString(),
  };
}

/** The instance as the storage view needs it. */
export interface InstanceStorageFacts {
  readonly instance: Instance;
  readonly volumes: StorageVolume[];
}

/** When the next change of a volume is allowed: 24 h after the oldest of its last four, or now. */
function nextChangeAt(mods: readonly VolumeModification[], now: number): string | undefined {
  const recent = mods.map((m) => m.StartTime?.getTime() ?? 0).filter((t) => now - t < DAY_MS).sort((a, b) => a - b);
  const [oldest] = recent;
  return recent.length >= CHANGES_PER_DAY && oldest !== undefined ? new Date(oldest + DAY_MS).toISOString() : undefined;
}

/** A refusal of ModifyVolume said with when the next try can work. */
function modifyError(error: unknown, volumeId: string): unknown {
  const code = mappedAwsCode(error);
  if (code === 'IncorrectModificationState') {
    return new HangarError({
      code: 'STORAGE_MODIFICATION_RUNNING',
      message: `${volumeId} is still being changed; AWS takes one change at a time.`,
      hint: 'Wait until its change shows completed (the Storage view follows it), then try again.',
      retryable: true,
    });
  }
  if (code === 'VolumeModificationRateExceeded') {
    return new HangarError({
      code: 'STORAGE_MODIFICATION_LIMIT',
      message: `${volumeId} has had ${CHANGES_PER_DAY} changes in the last 24 hours, the most AWS allows.`,
      hint: 'The Storage view says when the next change is allowed.',
    });
  }
  return error;
}

export interface VolumeCalls {
  instanceStorage(scope: RegionScope, instanceId: string, signal?: AbortSignal): Promise<InstanceStorageFacts>;
  modify(scope: RegionScope, volumeId: string, target: { sizeGiB: number; type?: string | undefined; iops?: number | undefined; throughput?: number | undefined }, signal?: AbortSignal): Promise<VolumeModificationInfo>;
  latestModification(scope: RegionScope, volumeId: string, signal?: AbortSignal): Promise<VolumeModificationInfo | undefined>;
  create(scope: RegionScope, input: { availabilityZone: string; sizeGiB: number; type: string; snapshotId?: string | undefined; name?: string | undefined }, signal?: AbortSignal): Promise<string>;
  attach(scope: RegionScope, volumeId: string, instanceId: string, device: string, signal?: AbortSignal): Promise<void>;
  detach(scope: RegionScope, volumeId: string, instanceId: string, signal?: AbortSignal): Promise<void>;
  remove(scope: RegionScope, volumeId: string, signal?: AbortSignal): Promise<void>;
  volumeState(scope: RegionScope, volumeId: string, signal?: AbortSignal): Promise<{ state: string; attachment: string | undefined }>;
  setDeleteOnTermination(scope: RegionScope, instanceId: string, device: string, value: boolean, signal?: AbortSignal): Promise<void>;
}

export function createVolumeCalls(call: Ec2Call, now: () => number = Date.now): VolumeCalls {
  const volumeState: VolumeCalls['volumeState'] = async (scope, volumeId, signal) => {
    const out = await call(scope, 'ec2:DescribeVolumes', signal, (c) => c.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }), { abortSignal: signal }));
    const v = out.Volumes?.[0];
    return { state: v?.State ?? 'deleted', attachment: v?.Attachments?.[0]?.State };
  };
  return {
    async instanceStorage(scope, instanceId, signal) {
      const described = await call(scope, 'ec2:DescribeInstances', signal, (c) => c.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal: signal }));
      const instance = described.Reservations?.[0]?.Instances?.[0];
      if (!instance) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `${instanceId} was not found in ${scope.region}.` });
      const listed = await call(scope, 'ec2:DescribeVolumes', signal, (c) =>
        c.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }), { abortSignal: signal }),
      );
      const volumes: Volume[] = listed.Volumes ?? [];
      const mods =
        volumes.length === 0
          ? []
          : await call(scope, 'ec2:DescribeVolumesModifications', signal, (c) =>
              c.send(new DescribeVolumesModificationsCommand({ Filters: [{ Name: 'volume-id', Values: volumes.map((v) => v.VolumeId ?? '') }] }), { abortSignal: signal }),
            )
              .then((o) => o.VolumesModifications ?? [])
              // Without ec2:DescribeVolumesModifications the view still shows the volumes.
              .catch(() => []);
      const mapping = new Map((instance.BlockDeviceMappings ?? []).map((b) => [b.Ebs?.VolumeId ?? '', b]));
      const rows = volumes.map((v): StorageVolume => {
        const id = v.VolumeId ?? '';
        const attachment = v.Attachments?.find((a) => a.InstanceId === instanceId);
        const own = mods.filter((m) => m.VolumeId === id).sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
        const device = attachment?.Device ?? mapping.get(id)?.DeviceName ?? '';
        const [latest] = own;
        return {
          id,
          awsDevice: device,
          isRoot: device !== '' && device === instance.RootDeviceName,
          sizeGiB: v.Size ?? 0,
          type: v.VolumeType ?? '',
          iops: v.Iops,
          throughput: v.Throughput,
          encrypted: v.Encrypted ?? false,
          deleteOnTermination: mapping.get(id)?.Ebs?.DeleteOnTermination ?? attachment?.DeleteOnTermination ?? false,
          availabilityZone: v.AvailabilityZone ?? '',
          snapshotId: v.SnapshotId === '' ? undefined : v.SnapshotId,
          name: v.Tags?.find((t) => t.Key === 'Name')?.Value,
          osDisk: undefined,
          filesystems: [],
          modification: latest ? modificationInfo(latest) : undefined,
          changesToday: own.filter((m) => now() - (m.StartTime?.getTime() ?? 0) < DAY_MS).length,
          nextChangeAt: nextChangeAt(own, now()),
        };
      });
      rows.sort((a, b) => Number(b.isRoot) - Number(a.isRoot) || a.awsDevice.localeCompare(b.awsDevice));
      return { instance, volumes: rows };
    },
    async modify(scope, volumeId, target, signal) {
      try {
        const out = await call(scope, 'ec2:ModifyVolume', signal, (c) =>
          c.send(
            new ModifyVolumeCommand({ VolumeId: volumeId, Size: target.sizeGiB, VolumeType: target.type as VolumeType | undefined, Iops: target.iops, Throughput: target.throughput }),
            { abortSignal: signal },
          ),
        );
        return modificationInfo(out.VolumeModification ?? {});
      } catch (error) {
        throw modifyError(error, volumeId);
      }
    },
    async latestModification(scope, volumeId, signal) {
      const out = await call(scope, 'ec2:DescribeVolumesModifications', signal, (c) =>
        c.send(new DescribeVolumesModificationsCommand({ Filters: [{ Name: 'volume-id', Values: [volumeId] }] }), { abortSignal: signal }),
      );
      const [latest] = (out.VolumesModifications ?? []).sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
      return latest ? modificationInfo(latest) : undefined;
    },
    async create(scope, input, signal) {
      const tags = [{ Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }, ...(input.name ? [{ Key: 'Name', Value: input.name }] : [])];
      const out = await call(scope, 'ec2:CreateVolume', signal, (c) =>
        c.send(
          new CreateVolumeCommand({
            AvailabilityZone: input.availabilityZone,
            Size: input.sizeGiB,
            VolumeType: input.type as VolumeType,
            SnapshotId: input.snapshotId,
            TagSpecifications: [{ ResourceType: 'volume', Tags: tags }],
          }),
          { abortSignal: signal },
        ),
      );
      return out.VolumeId ?? '';
    },
    async attach(scope, volumeId, instanceId, device, signal) {
      try {
        await call(scope, 'ec2:AttachVolume', signal, (c) => c.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device }), { abortSignal: signal }));
      } catch (error) {
        if (mappedAwsCode(error) === 'InvalidVolume.ZoneMismatch') {
          throw new HangarError({
            code: 'STORAGE_ZONE_MISMATCH',
            message: `${volumeId} is in another availability zone than ${instanceId}; a volume attaches only in its own zone.`,
            hint: 'Snapshot it and restore the snapshot in the instance’s zone (Images & snapshots), then attach that volume.',
          });
        }
        throw error;
      }
    },
    async detach(scope, volumeId, instanceId, signal) {
      await call(scope, 'ec2:DetachVolume', signal, (c) => c.send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId }), { abortSignal: signal }));
    },
    async remove(scope, volumeId, signal) {
      await call(scope, 'ec2:DeleteVolume', signal, (c) => c.send(new DeleteVolumeCommand({ VolumeId: volumeId }), { abortSignal: signal }));
    },
    volumeState,
    async setDeleteOnTermination(scope, instanceId, device, value, signal) {
      await call(scope, 'ec2:ModifyInstanceAttribute', signal, (c) =>
        c.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, BlockDeviceMappings: [{ DeviceName: device, Ebs: { DeleteOnTermination: value } }] }), { abortSignal: signal }),
      );
    },
  };
}

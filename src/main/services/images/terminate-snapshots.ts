import { CreateSnapshotCommand, DescribeInstancesCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import type { DoomedVolume, InstancesInput, SnapshotInfo } from '../../../shared/models/images';
import type { Ec2Call } from '../launch/ec2-call';
import { snapshotInfoOf, snapshotTags } from './snapshot-calls';

export interface TerminateSnapshots {
  /** The volumes terminating these instances would delete (DeleteOnTermination), as AWS has them now. */
  doomedVolumes(input: InstancesInput, signal?: AbortSignal): Promise<DoomedVolume[]>;
  /**
   * A snapshot of each of those volumes. Resolves once AWS has accepted every one (each is `pending` or
   * further), so the instances may be terminated right after: EBS snapshots capture the volume as it was
   * when CreateSnapshot was answered, whatever happens to the volume next.
   */
  snapshotBeforeTerminate(input: InstancesInput, signal?: AbortSignal): Promise<SnapshotInfo[]>;
}

export function createTerminateSnapshots(call: Ec2Call): TerminateSnapshots {
  async function doomedVolumes(input: InstancesInput, signal?: AbortSignal): Promise<DoomedVolume[]> {
    const out = await call(input, 'ec2:DescribeVolumes', signal, (c) =>
      c.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [...input.instanceIds] }] }), { abortSignal: signal }),
    );
    return (out.Volumes ?? []).flatMap((v) =>
      (v.Attachments ?? []).flatMap((a) =>
        a.DeleteOnTermination === true && a.InstanceId !== undefined && input.instanceIds.includes(a.InstanceId) && v.VolumeId !== undefined
          ? [{ instanceId: a.InstanceId, volumeId: v.VolumeId, device: a.Device ?? '', size: v.Size ?? 0 }]
          : [],
      ),
    );
  }

  async function namesOf(input: InstancesInput, signal?: AbortSignal): Promise<Map<string, string>> {
    const out = await call(input, 'ec2:DescribeInstances', signal, (c) => c.send(new DescribeInstancesCommand({ InstanceIds: [...input.instanceIds] }), { abortSignal: signal }));
    return new Map(
      (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).flatMap((i) => {
        const name = i.Tags?.find((t) => t.Key === 'Name')?.Value;
        return i.InstanceId === undefined || name === undefined || name === '' ? [] : [[i.InstanceId, name] as const];
      }),
    );
  }

  return {
    doomedVolumes,

    async snapshotBeforeTerminate(input, signal) {
      const [volumes, names] = await Promise.all([doomedVolumes(input, signal), namesOf(input, signal)]);
      return Promise.all(
        volumes.map(async (v) => {
          const who = names.get(v.instanceId) ?? v.instanceId;
          const out = await call(input, 'ec2:CreateSnapshot', signal, (c) =>
            c.send(
              new CreateSnapshotCommand({
                VolumeId: v.volumeId,
                Description: `Before terminating ${who} (${v.instanceId}): ${v.device}`,
                TagSpecifications: [{ ResourceType: 'snapshot', Tags: snapshotTags(`${who} ${v.device} before terminate`, { 'hangar:terminated-instance': v.instanceId }) }],
              }),
              { abortSignal: signal },
            ),
          );
          return snapshotInfoOf(out);
        }),
      );
    },
  };
}

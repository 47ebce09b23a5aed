import { CopyImageCommand, CreateImageCommand, DeleteSnapshotCommand, DeregisterImageCommand, DescribeImagesCommand, type Image } from '@aws-sdk/client-ec2';
import { mappedAwsCode } from '../aws/aws-error-fields';
import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { CopyImageInput, CopyResult, CreateImageInput, DeregisterImageInput, DeregisterResult, ImageInfo, ImageInput } from '../../../shared/models/images';
import { CREATED_BY_TAG } from '../../../shared/models/launch';
import type { Ec2Call } from '../launch/ec2-call';


function imageInfoOf(i: Image): ImageInfo {
  return {
    id: i.ImageId ?? '',
    name: i.Name ?? i.ImageId ?? '',
    description: i.Description ?? '',
    state: i.State ?? 'pending',
    creationDate: i.CreationDate,
    architecture: i.Architecture ?? 'x86_64',
    isPublic: i.Public ?? false,
    snapshots: (i.BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.SnapshotId ? [{ id: b.Ebs.SnapshotId, size: b.Ebs.VolumeSize ?? 0 }] : [])),
    createdByHangar: (i.Tags ?? []).some((t) => t.Key === CREATED_BY_TAG.key),
  };
}

const hangarTags = (name: string): { Key: string; Value: string }[] => [
  { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value },
  { Key: 'Name', Value: name },
];

/** AWS's refusals of a new AMI name, said as what to change. */
function explainName(error: unknown, name: string): unknown {
  const code = mappedAwsCode(error);
  if (code === 'InvalidAMIName.Duplicate') {
    return new HangarError({
      code: 'AWS_ALREADY_EXISTS',
      message: `This account already has an AMI named “${name}” in this region.`,
      hint: 'AMI names are unique per region: choose another name (a date or version at the end is usual).',
      cause: error,
    });
  }
  if (code === 'InvalidAMIName.Malformed') {
    return new HangarError({
      code: 'INVALID_ARGUMENT',
      message: `AWS does not accept “${name}” as an AMI name.`,
      hint: "Use 3–128 letters, digits, spaces and ( ) [ ] . / - ' @ _.",
      cause: error,
    });
  }
  return error;
}

export interface ImageCalls {
  describe(input: ImageInput, signal?: AbortSignal): Promise<ImageInfo>;
  create(input: CreateImageInput, signal?: AbortSignal): Promise<ImageInfo>;
  copy(input: CopyImageInput, signal?: AbortSignal): Promise<CopyResult>;
  deregister(input: DeregisterImageInput, signal?: AbortSignal): Promise<DeregisterResult>;
}

export function createImageCalls(call: Ec2Call): ImageCalls {
  async function describe(input: ImageInput, signal?: AbortSignal): Promise<ImageInfo> {
    const out = await call(input, 'ec2:DescribeImages', signal, (c) => c.send(new DescribeImagesCommand({ ImageIds: [input.imageId] }), { abortSignal: signal }));
    const image = out.Images?.[0];
    if (image === undefined) {
      throw new HangarError({ code: 'AWS_NOT_FOUND', message: `AMI ${input.imageId} is not in ${input.region} any more.`, hint: 'It may have been deregistered; refresh the list.' });
    }
    return imageInfoOf(image);
  }

  /** DryRun answers DryRunOperation when allowed; only a permission refusal is a "no". */
  async function allowed(run: () => Promise<unknown>): Promise<HangarError | undefined> {
    try {
      await run();
      return undefined;
    } catch (error) {
      const code = mappedAwsCode(error);
      if (code === 'DryRunOperation') return undefined;
      if (error instanceof HangarError && error.code === 'AWS_UNAUTHORIZED') return error;
      if (isCancelled(error)) throw error;
      return undefined;
    }
  }

  return {
    describe,

    async create(input, signal) {
      let imageId: string | undefined;
      try {
        const out = await call(input, 'ec2:CreateImage', signal, (c) =>
          c.send(
            new CreateImageCommand({
              InstanceId: input.instanceId,
              Name: input.name,
              Description: input.description,
              NoReboot: input.noReboot,
              TagSpecifications: [
                { ResourceType: 'image', Tags: hangarTags(input.name) },
                { ResourceType: 'snapshot', Tags: hangarTags(input.name) },
              ],
            }),
            { abortSignal: signal },
          ),
        );
        imageId = out.ImageId;
      } catch (error) {
        throw explainName(error, input.name);
      }
      return describe({ accountId: input.accountId, region: input.region, imageId: imageId ?? '' }, signal);
    },

    // CopyImage is asked of the destination region, naming the source.
    async copy(input, signal) {
      if (input.destinationRegion === input.region) {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'The AMI is already in that region.', hint: 'Choose another region to copy it to.' });
      }
      try {
        const out = await call({ accountId: input.accountId, region: input.destinationRegion }, 'ec2:CopyImage', signal, (c) =>
          c.send(
            new CopyImageCommand({
              SourceRegion: input.region,
              SourceImageId: input.imageId,
              Name: input.name,
              TagSpecifications: [
                { ResourceType: 'image', Tags: [...hangarTags(input.name), { Key: 'hangar:copied-from', Value: `${input.region}/${input.imageId}` }] },
                { ResourceType: 'snapshot', Tags: hangarTags(input.name) },
              ],
            }),
            { abortSignal: signal },
          ),
        );
        return { id: out.ImageId ?? '', region: input.destinationRegion };
      } catch (error) {
        throw explainName(error, input.name);
      }
    },

    /**
     * DeregisterImage, then DeleteSnapshot for each of its snapshots (when asked). Both permissions are checked
     * with dry runs first: an AMI gone while its snapshots stay billing is worse than nothing done.
     */
    async deregister(input, signal) {
      const image = await describe(input, signal);
      const snapshotIds = image.snapshots.map((s) => s.id);
      const refusals = await Promise.all([
        allowed(() => call(input, 'ec2:DeregisterImage', signal, (c) => c.send(new DeregisterImageCommand({ ImageId: input.imageId, DryRun: true }), { abortSignal: signal }))),
        input.deleteSnapshots && snapshotIds[0] !== undefined
          ? allowed(() => call(input, 'ec2:DeleteSnapshot', signal, (c) => c.send(new DeleteSnapshotCommand({ SnapshotId: snapshotIds[0], DryRun: true }), { abortSignal: signal })))
          : undefined,
      ]);
      const refusal = refusals.find((r) => r !== undefined);
      if (refusal) throw refusal;
      await call(input, 'ec2:DeregisterImage', signal, (c) => c.send(new DeregisterImageCommand({ ImageId: input.imageId }), { abortSignal: signal }));
      if (!input.deleteSnapshots) return { imageId: input.imageId, deletedSnapshots: [], keptSnapshots: snapshotIds.map((snapshotId) => ({ snapshotId, reason: 'kept as asked' })) };
      const deletedSnapshots: string[] = [];
      const keptSnapshots: { snapshotId: string; reason: string }[] = [];
      for (const snapshotId of snapshotIds) {
        try {
          await call(input, 'ec2:DeleteSnapshot', signal, (c) => c.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }), { abortSignal: signal }));
          deletedSnapshots.push(snapshotId);
        } catch (error) {
          if (isCancelled(error)) throw error;
          const code = mappedAwsCode(error);
          if (code === 'InvalidSnapshot.NotFound') deletedSnapshots.push(snapshotId);
          else if (code === 'InvalidSnapshot.InUse') keptSnapshots.push({ snapshotId, reason: 'another AMI still uses it' });
          else keptSnapshots.push({ snapshotId, reason: error instanceof HangarError ? error.message : 'AWS refused' });
        }
      }
      return { imageId: input.imageId, deletedSnapshots, keptSnapshots };
    },
  };
}

import {
  DescribeImageAttributeCommand,
  DescribeSnapshotAttributeCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { mappedAwsCode } from '../aws/aws-error-fields';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { ImageInput, ImageSharing, ShareImageInput } from '../../../shared/models/images';
import type { Ec2Call } from '../launch/ec2-call';
import type { ImageCalls } from './image-calls';

export interface ImageSharingCalls {
  /** Who may launch the AMI, and who may create volumes from each of its snapshots. */
  sharing(input: ImageInput, signal?: AbortSignal): Promise<ImageSharing>;
  /** Launch permission for the accounts AND create-volume permission on every snapshot (a launch needs both). */
  share(input: ShareImageInput, signal?: AbortSignal): Promise<ImageSharing>;
  /** Removes every account (and the public group) from the AMI and from each of its snapshots. */
  makePrivate(input: ImageInput, signal?: AbortSignal): Promise<ImageSharing>;
}


/** A refused account id said at the field's level, whichever call refused it. */
function explainAccount(error: unknown): unknown {
  const code = mappedAwsCode(error);
  if (code !== 'InvalidAMIAttributeItemValue' && code !== 'InvalidParameterValue') return error;
  return new HangarError({
    code: 'INVALID_ARGUMENT',
    message: 'AWS did not accept one of the account IDs.',
    hint: 'An AWS account ID is 12 digits, such as 123456789012; find it in the other account’s console menu (top right).',
    cause: error,
  });
}

export function createImageSharing(call: Ec2Call, images: ImageCalls): ImageSharingCalls {
  async function sharing(input: ImageInput, signal?: AbortSignal): Promise<ImageSharing> {
    const image = await images.describe(input, signal);
    const attribute = await call(input, 'ec2:DescribeImageAttribute', signal, (c) =>
      c.send(new DescribeImageAttributeCommand({ ImageId: input.imageId, Attribute: 'launchPermission' }), { abortSignal: signal }),
    );
    const permissions = attribute.LaunchPermissions ?? [];
    const snapshots = await Promise.all(
      image.snapshots.map(async (s) => {
        const out = await call(input, 'ec2:DescribeSnapshotAttribute', signal, (c) =>
          c.send(new DescribeSnapshotAttributeCommand({ SnapshotId: s.id, Attribute: 'createVolumePermission' }), { abortSignal: signal }),
        );
        return { snapshotId: s.id, accountIds: (out.CreateVolumePermissions ?? []).flatMap((p) => (p.UserId === undefined ? [] : [p.UserId])) };
      }),
    );
    return {
      imageId: input.imageId,
      accountIds: permissions.flatMap((p) => (p.UserId === undefined ? [] : [p.UserId])),
      isPublic: permissions.some((p) => p.Group === 'all'),
      snapshots,
    };
  }

  return {
    sharing,

    async share(input, signal) {
      const image = await images.describe(input, signal);
      const users = input.accountIds.map((UserId) => ({ UserId }));
      try {
        await call(input, 'ec2:ModifyImageAttribute', signal, (c) =>
          c.send(new ModifyImageAttributeCommand({ ImageId: input.imageId, Attribute: 'launchPermission', LaunchPermission: { Add: users } }), { abortSignal: signal }),
        );
        // Without create-volume permission on its snapshots, the other account's launch fails: both, always.
        for (const s of image.snapshots) {
          await call(input, 'ec2:ModifySnapshotAttribute', signal, (c) =>
            c.send(new ModifySnapshotAttributeCommand({ SnapshotId: s.id, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: users } }), { abortSignal: signal }),
          );
        }
      } catch (error) {
        throw explainAccount(error);
      }
      return sharing(input, signal);
    },

    async makePrivate(input, signal) {
      const current = await sharing(input, signal);
      const users = current.accountIds.map((UserId) => ({ UserId }));
      const remove = [...users, ...(current.isPublic ? [{ Group: 'all' as const }] : [])];
      if (remove.length > 0) {
        await call(input, 'ec2:ModifyImageAttribute', signal, (c) =>
          c.send(new ModifyImageAttributeCommand({ ImageId: input.imageId, Attribute: 'launchPermission', LaunchPermission: { Remove: remove } }), { abortSignal: signal }),
        );
      }
      for (const s of current.snapshots) {
        if (s.accountIds.length === 0) continue;
        await call(input, 'ec2:ModifySnapshotAttribute', signal, (c) =>
          c.send(
            new ModifySnapshotAttributeCommand({ SnapshotId: s.snapshotId, Attribute: 'createVolumePermission', CreateVolumePermission: { Remove: s.accountIds.map((UserId) => ({ UserId })) } }),
            { abortSignal: signal },
          ),
        );
      }
      return sharing(input, signal);
    },
  };
}

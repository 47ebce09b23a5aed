import { DescribeAddressesCommand, DescribeImagesCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { CleanupAction, CleanupItem } from '../../../shared/models/costs';
import { awsCodeOf, awsMessageOf } from '../aws/aws-error-fields';
import { mapAwsError } from '../aws/map-aws-error';

/** The IAM action behind each cleanup, for "not allowed to call …" and the dry run. */
export const CLEANUP_IAM_ACTION: Readonly<Record<CleanupAction, string>> = {
  'delete-volume': 'ec2:DeleteVolume',
  'delete-snapshot': 'ec2:DeleteSnapshot',
  'deregister-image': 'ec2:DeregisterImage',
  'release-address': 'ec2:ReleaseAddress',
  'stop-instance': 'ec2:StopInstances',
  'terminate-instance': 'ec2:TerminateInstances',
};

export function missingPermission(item: CleanupItem, action: string, cause?: unknown): HangarError {
  return new HangarError({
    code: 'AWS_UNAUTHORIZED',
    message: `Your AWS credentials are not allowed to call ${action} in ${item.region}, so ${item.name ?? item.id} was left as it is.`,
    hint: `Ask your AWS administrator to allow ${action} in the IAM policy of this user or role (the dry run found this before anything was changed).`,
    details: { action, missingAction: action, region: item.region },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The Name tag of an instance or image, best effort: a name only makes the message friendlier. */
async function nameOf(client: EC2Client, id: string): Promise<string | undefined> {
  try {
    if (id.startsWith('i-')) {
      const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      return out.Reservations?.[0]?.Instances?.[0]?.Tags?.find((t) => t.Key === 'Name')?.Value;
    }
    const out = await client.send(new DescribeImagesCommand({ ImageIds: [id] }));
    const image = out.Images?.[0];
    return image?.Tags?.find((t) => t.Key === 'Name')?.Value ?? image?.Name;
  } catch {
    return undefined;
  }
}

const named = (id: string, name: string | undefined): string => (name ? `${name} (${id})` : id);

/**
 * AWS's refusal of one cleanup, said with its reason and fix: a volume in use names the instance to detach
 * it from, a snapshot in use names the AMI that holds it, an address in use names what it is attached to.
 */
export async function explainCleanupError(error: unknown, item: CleanupItem, client: EC2Client): Promise<HangarError> {
  if (error instanceof HangarError) return error;
  const code = awsCodeOf(error);
  const message = awsMessageOf(error);
  const what = item.name ? `${item.name} (${item.id})` : item.id;
  const mapped = mapAwsError(error, { action: CLEANUP_IAM_ACTION[item.action], region: item.region });
  const inUse = (text: string, hint: string, extra: Record<string, string> = {}): HangarError =>
    new HangarError({ code: 'AWS_RESOURCE_IN_USE', message: text, hint, details: { ...mapped.details, ...extra }, cause: error });

  if (code === 'VolumeInUse') {
    const instanceId = /i-[0-9a-f]{8,17}/.exec(message)?.[0];
    const who = instanceId === undefined ? 'an instance' : named(instanceId, await nameOf(client, instanceId));
    return inUse(
      `Volume ${what} is attached to ${who}, so it was not deleted.`,
      'Detach it first (EC2 console → Volumes → Actions → Detach volume, after stopping the instance or unmounting it), or terminate the instance if it is no longer needed.',
      instanceId === undefined ? {} : { instanceId },
    );
  }
  if (code === 'InvalidSnapshot.InUse') {
    const imageId = /ami-[0-9a-f]{8,17}/.exec(message)?.[0];
    const who = imageId === undefined ? 'an AMI' : `AMI ${named(imageId, await nameOf(client, imageId))}`;
    return inUse(
      `Snapshot ${what} is used by ${who}, so it was not deleted.`,
      `Deregister the AMI first: select ${imageId ?? 'the AMI'} here and choose “Deregister AMI”, which deletes its snapshots in the same step.`,
      imageId === undefined ? {} : { imageId },
    );
  }
  if (code === 'InvalidIPAddress.InUse') {
    let target: string | undefined;
    try {
      const out = await client.send(new DescribeAddressesCommand({ AllocationIds: [item.id] }));
      const address = out.Addresses?.[0];
      if (address?.InstanceId) target = `instance ${named(address.InstanceId, await nameOf(client, address.InstanceId))}`;
      else if (address?.NetworkInterfaceId) target = `network interface ${address.NetworkInterfaceId}`;
    } catch {
      target = undefined;
    }
    return inUse(
      `Elastic IP ${what} is associated with ${target ?? 'a resource'}, so it was not released.`,
      'Disassociate it first (EC2 console → Elastic IPs → Actions → Disassociate Elastic IP address), or terminate the instance; then release it.',
    );
  }
  if (code === 'AuthFailure' && item.action === 'deregister-image') {
    return new HangarError({
      code: 'AWS_OPERATION_NOT_PERMITTED',
      message: `AMI ${what} belongs to another account, so this account cannot deregister it.`,
      hint: 'Only the owner of an AMI can deregister it. It costs this account nothing.',
      details: mapped.details ?? {},
      cause: error,
    });
  }
  return mapped;
}

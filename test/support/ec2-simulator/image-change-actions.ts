import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedInstanceId } from './ids';
import { isWellFormedImageId, newImageId, type SimImage } from './images';
import { checkDryRun } from './network-actions';
import { applyPermissions, isEmpty, permissionChanges } from './permission-changes';
import { SimError } from './sim-error';
import { parseTagSpecifications } from './tags';
import { items, node, text } from './xml';

/** The AMI calls that make or change images (DescribeImages and DeregisterImage are in image-actions.ts). */
export const IMAGE_CHANGE_ACTIONS = {
  CreateImage: createImage,
  CopyImage: copyImage,
  ModifyImageAttribute: modifyImageAttribute,
  DescribeImageAttribute: describeImageAttribute,
} as const;

const ACCOUNT_ID = /^\d{12}$/;
// EC2's rule for AMI names: 3–128 of letters, digits and ( ) [ ] space . / - ' @ _.
const AMI_NAME = /^[A-Za-z0-9()[\] ./'@_-]{3,128}$/;

function required(ctx: Ec2ActionContext, name: string): string {
  const value = ctx.params.get(name);
  if (value === undefined || value === '') throw new SimError('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

/** A valid name no other AMI of the account uses in the region. */
function checkName(ctx: Ec2ActionContext, region: string, name: string): void {
  if (!AMI_NAME.test(name)) {
    throw new SimError('InvalidAMIName.Malformed', `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`);
  }
  const clash = ctx.world.images.all(region).find((i) => i.ownerId === ctx.accountId && i.name === name);
  if (clash) throw new SimError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${clash.id}`);
}

function imageDescription(ctx: Ec2ActionContext): string | undefined {
  const value = ctx.params.get('Description');
  if (value !== undefined && value.length > 255) throw new SimError('InvalidParameterValue', 'Value for parameter description is invalid. Maximum length is 255 characters.');
  return value;
}

/** An AMI the caller may see in the region (its own, public, or shared with it). */
function visibleImage(ctx: Ec2ActionContext, id: string, region = ctx.region): SimImage {
  if (!isWellFormedImageId(id)) throw new SimError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
  const image = ctx.world.images.get(region, id);
  if (!image || (!image.isPublic && image.ownerId !== ctx.accountId && !image.launchPermissions.has(ctx.accountId))) {
    throw new SimError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
  }
  return image;
}

function ownImage(ctx: Ec2ActionContext, id: string): SimImage {
  const image = visibleImage(ctx, id);
  if (image.ownerId !== ctx.accountId) throw new SimError('AuthFailure', `Not authorized for image:${id}`);
  return image;
}

/**
 * CreateImage: a snapshot of each of the instance's EBS volumes (except devices given NoDevice), an AMI whose
 * block device mappings name them, `pending` until the snapshots complete. NoReboot is recorded for tests.
 */
function createImage(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const instanceId = required(ctx, 'InstanceId');
  if (!isWellFormedInstanceId(instanceId)) throw new SimError('InvalidInstanceID.Malformed', `Invalid id: "${instanceId}"`);
  const instance = store.get(instanceId);
  if (!instance || instance.region !== region) throw new SimError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  if (instance.state !== 'running' && instance.state !== 'stopped') {
    throw new SimError('IncorrectInstanceState', `The instance '${instanceId}' is not in the 'running' or 'stopped' state.`);
  }
  const name = required(ctx, 'Name');
  checkName(ctx, region, name);
  const about = imageDescription(ctx) ?? '';
  const excluded = new Set(
    params.indexes('BlockDeviceMapping', '.NoDevice').map((n) => params.get(`BlockDeviceMapping.${n}.DeviceName`) ?? ''),
  );
  if (excluded.has(instance.rootDeviceName)) throw new SimError('InvalidBlockDeviceMapping', `The device ${instance.rootDeviceName} is the root device and cannot be left out.`);
  const tags = parseTagSpecifications(params, ['image', 'snapshot']);
  if (tags.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  const noReboot = params.bool('NoReboot');
  checkDryRun(params);
  const imageId = newImageId(region, name);
  const volumes = world.volumes
    .attachedTo(instance)
    .filter((v) => v.attachment !== undefined && !excluded.has(v.attachment.device))
    // The root device first, as EC2 lists an image's mappings.
    .sort((a, b) => Number(b.id === instance.rootVolume.id) - Number(a.id === instance.rootVolume.id));
  const snapshotTags = Object.fromEntries(tags.get('snapshot') ?? []);
  const mappings = volumes.map((v) => {
    const snapshot = world.snapshots.start(region, {
      volumeId: v.id,
      volumeSize: v.size,
      description: `Created by CreateImage(${instance.id}) for ${imageId}`,
      encrypted: v.encrypted,
      tags: snapshotTags,
    });
    return {
      deviceName: v.attachment?.device ?? instance.rootDeviceName,
      snapshotId: snapshot.id,
      volumeSize: v.size,
      volumeType: v.type,
      deleteOnTermination: v.attachment?.deleteOnTermination ?? true,
      encrypted: v.encrypted,
      completeAt: snapshot.completeAt,
    };
  });
  world.images.add(region, {
    id: imageId,
    name,
    description: about,
    architecture: instance.architecture === 'arm64' ? 'arm64' : 'x86_64',
    rootDeviceName: instance.rootDeviceName,
    platformDetails: instance.platformDetails,
    blockDeviceMappings: mappings.map(({ completeAt: _done, ...m }) => m),
    state: 'pending',
    availableAt: Math.max(Date.now(), ...mappings.map((m) => m.completeAt)),
    tags: Object.fromEntries(tags.get('image') ?? []),
  });
  world.images.created.push({ instanceId, imageId, noReboot });
  return text('imageId', imageId);
}

/** CopyImage, sent to the destination region: new snapshots there and a new AMI, pending until they complete. */
function copyImage(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const sourceRegion = required(ctx, 'SourceRegion');
  const sourceId = required(ctx, 'SourceImageId');
  if (!world.knownRegions().includes(sourceRegion)) throw new SimError('InvalidParameterValue', `Invalid value '${sourceRegion}' for SourceRegion.`);
  const source = visibleImage(ctx, sourceId, sourceRegion);
  if (source.state !== 'available') throw new SimError('IncorrectState', `The image '${sourceId}' is not in the 'available' state (it is ${source.state}).`);
  const name = required(ctx, 'Name');
  checkName(ctx, region, name);
  const about = imageDescription(ctx);
  const tags = parseTagSpecifications(params, ['image', 'snapshot']);
  if (tags.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  checkDryRun(params);
  const imageId = newImageId(region, name);
  const mappings = source.blockDeviceMappings.map((m) => {
    const snapshot = world.snapshots.start(region, {
      volumeId: 'vol-ffffffff',
      volumeSize: m.volumeSize,
      description: `Copied for DestinationAmi ${imageId} from SourceAmi ${source.id} for SourceSnapshot ${m.snapshotId}`,
      encrypted: m.encrypted || params.bool('Encrypted'),
      tags: Object.fromEntries(tags.get('snapshot') ?? []),
    });
    return { mapping: { ...m, snapshotId: snapshot.id }, completeAt: snapshot.completeAt };
  });
  world.images.add(region, {
    id: imageId,
    name,
    description: about ?? source.description,
    architecture: source.architecture,
    rootDeviceName: source.rootDeviceName,
    platformDetails: source.platformDetails,
    blockDeviceMappings: mappings.map((m) => m.mapping),
    state: 'pending',
    availableAt: Math.max(Date.now(), ...mappings.map((m) => m.completeAt)),
    tags: Object.fromEntries(tags.get('image') ?? []),
  });
  return text('imageId', imageId);
}

/**
 * ModifyImageAttribute: launchPermission (accounts must be 12 digits, the one group is `all`) or
 * Description.Value. Only the owner may; an account id that is not 12 digits is InvalidAMIAttributeItemValue.
 */
function modifyImageAttribute(ctx: Ec2ActionContext): string {
  const { params } = ctx;
  const image = ownImage(ctx, required(ctx, 'ImageId'));
  const attribute = params.get('Attribute');
  if (attribute !== undefined && attribute !== 'launchPermission' && attribute !== 'description') {
    throw new SimError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid.`);
  }
  const changes = permissionChanges(params, 'LaunchPermission');
  const newDescription = params.get('Description.Value') ?? (attribute === 'description' ? params.get('Value') : undefined);
  if (isEmpty(changes) && newDescription === undefined) throw new SimError('InvalidParameterCombination', 'No attributes specified.');
  const badUser = [...changes.addUsers, ...changes.removeUsers].find((u) => !ACCOUNT_ID.test(u));
  if (badUser !== undefined) throw new SimError('InvalidAMIAttributeItemValue', `Invalid attribute item value "${badUser}" for userId item type.`);
  const badGroup = [...changes.addGroups, ...changes.removeGroups].find((g) => g !== 'all');
  if (badGroup !== undefined) throw new SimError('InvalidAMIAttributeItemValue', `Invalid attribute item value "${badGroup}" for UserGroup item type.`);
  checkDryRun(params);
  image.isPublic = applyPermissions(changes, image.launchPermissions, image.isPublic);
  if (newDescription !== undefined) image.description = newDescription;
  return text('return', true);
}

/** DescribeImageAttribute of an own AMI: launchPermission, description or blockDeviceMapping. */
function describeImageAttribute(ctx: Ec2ActionContext): string {
  const image = ownImage(ctx, required(ctx, 'ImageId'));
  const attribute = required(ctx, 'Attribute');
  checkDryRun(ctx.params);
  const head = text('imageId', image.id);
  switch (attribute) {
    case 'launchPermission': {
      const entries = [...[...image.launchPermissions].map((u) => text('userId', u)), ...(image.isPublic ? [text('group', 'all')] : [])];
      return head + node('launchPermission', ...entries.map((e) => `<item>${e}</item>`));
    }
    case 'description':
      return head + node('description', text('value', image.description));
    case 'blockDeviceMapping':
      return (
        head +
        items('blockDeviceMapping', image.blockDeviceMappings, (b) =>
          text('deviceName', b.deviceName) +
          node('ebs', text('snapshotId', b.snapshotId), text('volumeSize', b.volumeSize), text('deleteOnTermination', b.deleteOnTermination), text('volumeType', b.volumeType), text('encrypted', b.encrypted)),
        )
      );
    default:
      throw new SimError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}

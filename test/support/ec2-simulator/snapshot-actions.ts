import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedId } from './ids';
import { checkDryRun } from './network-actions';
import { applyPermissions, isEmpty, permissionChanges } from './permission-changes';
import { SimError } from './sim-error';
import { snapshotXml, type SimSnapshot } from './snapshots';
import { parseTagSpecifications, tagSetXml } from './tags';
import { node, text } from './xml';

/** The snapshot calls that change things (the listing and DeleteSnapshot are in snapshots.ts). */
export const SNAPSHOT_CHANGE_ACTIONS = {
  CreateSnapshot: createSnapshot,
  CopySnapshot: copySnapshot,
  ModifySnapshotAttribute: modifySnapshotAttribute,
  DescribeSnapshotAttribute: describeSnapshotAttribute,
} as const;

const ACCOUNT_ID = /^\d{12}$/;

function required(ctx: Ec2ActionContext, name: string): string {
  const value = ctx.params.get(name);
  if (value === undefined || value === '') throw new SimError('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

function description(ctx: Ec2ActionContext): string | undefined {
  const value = ctx.params.get('Description');
  if (value !== undefined && value.length > 255) throw new SimError('InvalidParameterValue', 'Value for parameter description is invalid. Maximum length is 255 characters.');
  return value;
}

/** A snapshot of this account in the region, by the `SnapshotId` parameter (malformed before unknown, as EC2). */
export function ownSnapshot(ctx: Ec2ActionContext, id: string, region = ctx.region): SimSnapshot {
  if (!isWellFormedId('snap', id)) throw new SimError('InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`);
  const snapshot = ctx.world.snapshots.get(region, id);
  if (!snapshot) throw new SimError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  return snapshot;
}

/** CreateSnapshot: a point-in-time copy of a volume, `pending` with its progress until it completes. */
function createSnapshot(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const volumeId = required(ctx, 'VolumeId');
  if (!isWellFormedId('vol', volumeId)) throw new SimError('InvalidVolumeID.Malformed', `Invalid id: "${volumeId}" (expecting "vol-...")`);
  // Reading the instances applies due terminations, so a volume deleted with its instance is gone here too.
  store.list(region);
  const volume = world.volumes.get(region, volumeId);
  if (!volume) throw new SimError('InvalidVolume.NotFound', `The volume '${volumeId}' does not exist.`);
  if (world.volumes.stateOf(volume) === 'creating') throw new SimError('IncorrectState', `The volume '${volumeId}' is not in the 'available' or 'in-use' state.`);
  const about = description(ctx) ?? '';
  const tags = parseTagSpecifications(params, ['snapshot']);
  if (tags.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  checkDryRun(params);
  const snapshot = world.snapshots.start(region, {
    volumeId,
    volumeSize: volume.size,
    description: about,
    encrypted: volume.encrypted,
    tags: Object.fromEntries(tags.get('snapshot') ?? []),
  });
  return snapshotXml(snapshot, world.snapshots.progressOf(snapshot));
}

/** CopySnapshot, sent to the destination region: a new pending snapshot there (copies name the volume vol-ffffffff). */
function copySnapshot(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const sourceRegion = required(ctx, 'SourceRegion');
  const sourceId = required(ctx, 'SourceSnapshotId');
  if (!world.knownRegions().includes(sourceRegion)) throw new SimError('InvalidParameterValue', `Invalid value '${sourceRegion}' for SourceRegion.`);
  const source = ownSnapshot(ctx, sourceId, sourceRegion);
  if (source.state !== 'completed') throw new SimError('IncorrectState', `Snapshot is in invalid state - ${source.state}`);
  const about = description(ctx);
  const tags = parseTagSpecifications(params, ['snapshot']);
  if (tags.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  checkDryRun(params);
  const copy = world.snapshots.start(region, {
    volumeId: 'vol-ffffffff',
    volumeSize: source.volumeSize,
    description: about ?? `[Copied ${source.id} from ${sourceRegion}] ${source.description}`.trim(),
    encrypted: source.encrypted || params.bool('Encrypted'),
    tags: Object.fromEntries(tags.get('snapshot') ?? []),
  });
  return text('snapshotId', copy.id) + tagSetXml(copy.tags);
}

/** ModifySnapshotAttribute: only createVolumePermission can change; account ids must be 12 digits, the one group is `all`. */
function modifySnapshotAttribute(ctx: Ec2ActionContext): string {
  const { params } = ctx;
  const snapshot = ownSnapshot(ctx, required(ctx, 'SnapshotId'));
  const attribute = params.get('Attribute');
  if (attribute !== undefined && attribute !== 'createVolumePermission') {
    throw new SimError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Only createVolumePermission can be modified.`);
  }
  const changes = permissionChanges(params, 'CreateVolumePermission');
  if (isEmpty(changes)) throw new SimError('MissingParameter', 'The request must contain the parameter createVolumePermission');
  const badUser = [...changes.addUsers, ...changes.removeUsers].find((u) => !ACCOUNT_ID.test(u));
  if (badUser !== undefined) throw new SimError('InvalidParameterValue', `Value (${badUser}) for parameter userId is invalid. Expecting a 12-digit AWS account ID.`);
  const badGroup = [...changes.addGroups, ...changes.removeGroups].find((g) => g !== 'all');
  if (badGroup !== undefined) throw new SimError('InvalidParameterValue', `Value (${badGroup}) for parameter group is invalid. Expecting 'all'.`);
  if (snapshot.encrypted && changes.addGroups.length > 0) throw new SimError('OperationNotPermitted', 'Encrypted snapshots cannot be made public.');
  checkDryRun(params);
  snapshot.isPublic = applyPermissions(changes, snapshot.createVolumePermissions, snapshot.isPublic);
  return text('return', true);
}

/** DescribeSnapshotAttribute: createVolumePermission (accounts and the `all` group) or productCodes (none here). */
function describeSnapshotAttribute(ctx: Ec2ActionContext): string {
  const { params } = ctx;
  const snapshot = ownSnapshot(ctx, required(ctx, 'SnapshotId'));
  const attribute = required(ctx, 'Attribute');
  checkDryRun(params);
  if (attribute === 'productCodes') return text('snapshotId', snapshot.id) + node('productCodes');
  if (attribute !== 'createVolumePermission') throw new SimError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  const entries = [...[...snapshot.createVolumePermissions].map((u) => text('userId', u)), ...(snapshot.isPublic ? [text('group', 'all')] : [])];
  return text('snapshotId', snapshot.id) + node('createVolumePermission', ...entries.map((e) => `<item>${e}</item>`));
}

import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedImageId, type SimImage } from './images';
import { checkDryRun } from './network-actions';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { tagSetXml } from './tags';
import { items, node, optText, text } from './xml';

const OWNER_ALIASES = ['amazon', 'aws-marketplace', 'aws-backup-vault'];

/** DescribeImages: ImageId.N, Owner.N (self, amazon, aws-marketplace, account ids), ExecutableBy.N, filters, paging. */
export function describeImages(ctx: Ec2ActionContext): string {
  const { params, region, world, accountId } = ctx;
  const catalogue = world.images;
  const ids = [...new Set(params.list('ImageId'))];
  // Ids registered with `setImageName` pass even when not hex (older tests use readable fake ids).
  const malformed = ids.find((id) => !isWellFormedImageId(id) && !catalogue.namesOnly.has(id));
  if (malformed !== undefined) throw new SimError('InvalidAMIID.Malformed', `Invalid id: "${malformed}" (expecting "ami-...")`);
  const missing = ids.filter((id) => {
    const image = catalogue.get(region, id);
    return !image || (!image.isPublic && image.ownerId !== accountId);
  });
  if (missing.length > 0) {
    throw new SimError('InvalidAMIID.NotFound', missing.length === 1 ? `The image id '[${missing[0]}]' does not exist` : `The image ids '[${missing.join(', ')}]' do not exist`);
  }
  const owners = params.list('Owner');
  for (const o of owners) {
    if (o !== 'self' && !OWNER_ALIASES.includes(o) && !/^\d{12}$/.test(o)) throw new SimError('InvalidUserID.Malformed', `Invalid user id: "${o}"`);
  }
  const executableBy = params.list('ExecutableBy');
  const predicate = compileFilters<SimImage>(
    params.filters(),
    {
      name: (i) => [i.name],
      'image-id': (i) => [i.id],
      architecture: (i) => [i.architecture],
      state: (i) => [i.state],
      'owner-alias': (i) => [i.ownerAlias],
      'owner-id': (i) => [i.ownerId],
      'is-public': (i) => [String(i.isPublic)],
      description: (i) => [i.description],
      'platform-details': (i) => [i.platformDetails],
      platform: (i) => [i.platformDetails.startsWith('Windows') ? 'windows' : undefined],
      'root-device-type': () => ['ebs'],
      'root-device-name': (i) => [i.rootDeviceName],
      'virtualization-type': () => ['hvm'],
      'image-type': () => ['machine'],
      hypervisor: () => ['xen'],
      'ena-support': () => ['true'],
      'block-device-mapping.volume-size': (i) => i.blockDeviceMappings.map((b) => String(b.volumeSize)),
      'block-device-mapping.volume-type': (i) => i.blockDeviceMappings.map((b) => b.volumeType),
      'block-device-mapping.device-name': (i) => i.blockDeviceMappings.map((b) => b.deviceName),
      'block-device-mapping.snapshot-id': (i) => i.blockDeviceMappings.map((b) => b.snapshotId),
      'creation-date': (i) => [i.creationDate],
    },
    (i) => i.tags,
  );
  const includeDeprecated = params.bool('IncludeDeprecated');
  const maxRaw = params.get('MaxResults');
  let pageSize = Number.POSITIVE_INFINITY;
  if (maxRaw !== undefined) {
    const max = Number(maxRaw);
    if (!Number.isInteger(max) || max < 5 || max > 1000) {
      throw new SimError('InvalidParameterValue', `Value ( ${maxRaw} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    }
    if (ids.length > 0) throw new SimError('InvalidParameterCombination', 'The parameter imagesSet cannot be used with the parameter maxResults');
    pageSize = max;
  }
  const offset = Number(params.get('NextToken') !== undefined && params.get('NextToken') !== '' ? decodeToken(params.get('NextToken') ?? '') : 0);
  world.permissions.checkEc2('DescribeImages', ctx);
  checkDryRun(params);

  const ownerMatches = (i: SimImage): boolean =>
    owners.length === 0 ||
    owners.some((o) => (o === 'self' ? i.ownerId === accountId : /^\d{12}$/.test(o) ? i.ownerId === o : i.ownerAlias === o));
  // Another account's id: the images shared with that account explicitly (launch permission), as EC2 answers.
  const executable = (i: SimImage): boolean =>
    executableBy.length === 0 ||
    executableBy.some((e) => (e === 'all' ? i.isPublic : e === 'self' || e === accountId ? i.isPublic || i.ownerId === accountId : i.launchPermissions.has(e)));
  const now = Date.now();
  const pool = ids.length > 0 ? ids.flatMap((id) => catalogue.get(region, id) ?? []) : catalogue.all(region);
  const matching = pool.filter(
    (i) =>
      (i.isPublic || i.ownerId === accountId) &&
      ownerMatches(i) &&
      executable(i) &&
      predicate(i) &&
      // Deprecated images are hidden from listings unless asked for, but always returned by id.
      (ids.length > 0 || includeDeprecated || i.deprecationTime === undefined || Date.parse(i.deprecationTime) > now),
  );
  const page = matching.slice(offset, offset + pageSize);
  const next = offset + page.length < matching.length ? encodeToken(offset + page.length) : undefined;
  return items('imagesSet', page, imageXml) + optText('nextToken', next);
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset })).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; o?: unknown };
    if (data.v === 1 && typeof data.o === 'number') return data.o;
  } catch {
    // fall through
  }
  throw new SimError('InvalidParameterValue', `Value ( ${token} ) for parameter NextToken is invalid. The token is invalid.`);
}

export function imageXml(i: SimImage): string {
  return [
    text('imageId', i.id),
    text('imageLocation', `${i.ownerAlias ?? i.ownerId}/${i.name}`),
    text('imageState', i.state),
    text('imageOwnerId', i.ownerId),
    text('creationDate', i.creationDate),
    text('isPublic', i.isPublic),
    text('architecture', i.architecture),
    text('imageType', 'machine'),
    i.platformDetails.startsWith('Windows') ? text('platform', 'windows') : '',
    optText('imageOwnerAlias', i.ownerAlias),
    text('name', i.name),
    text('description', i.description),
    text('rootDeviceType', 'ebs'),
    text('rootDeviceName', i.rootDeviceName),
    items('blockDeviceMapping', i.blockDeviceMappings, (b) =>
      text('deviceName', b.deviceName) +
      node(
        'ebs',
        text('snapshotId', b.snapshotId),
        text('volumeSize', b.volumeSize),
        text('deleteOnTermination', b.deleteOnTermination),
        text('volumeType', b.volumeType),
        ...(b.volumeType === 'gp3' ? [text('iops', 3000), text('throughput', 125)] : []),
        text('encrypted', b.encrypted),
      ),
    ),
    text('virtualizationType', 'hvm'),
    tagSetXml(i.tags),
    text('hypervisor', 'xen'),
    text('enaSupport', true),
    text('sriovNetSupport', 'simple'),
    text('bootMode', i.bootMode),
    text('platformDetails', i.platformDetails),
    text('usageOperation', i.platformDetails.startsWith('Windows') ? 'RunInstances:0002' : 'RunInstances'),
    optText('imdsSupport', i.imdsSupport),
    optText('deprecationTime', i.deprecationTime),
  ].join('');
}

/**
 * DeregisterImage: only the owner may; the AMI leaves listings at once. Its snapshots stay (and keep costing)
 * unless DeleteAssociatedSnapshots=true, which deletes those no other AMI uses and reports each one.
 */
export function deregisterImage(ctx: Ec2ActionContext): string {
  const { params, region, world, accountId } = ctx;
  const id = params.get('ImageId');
  if (id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter ImageId');
  if (!isWellFormedImageId(id)) throw new SimError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
  const image = world.images.get(region, id);
  if (!image || (!image.isPublic && image.ownerId !== accountId)) throw new SimError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
  if (image.ownerId !== accountId) throw new SimError('AuthFailure', `Not authorized for image:${id}`);
  const deleteSnapshots = params.bool('DeleteAssociatedSnapshots');
  checkDryRun(params);
  world.images.remove(region, id);
  if (!deleteSnapshots) return text('return', true);
  const results = image.blockDeviceMappings.map((b) => {
    const shared = world.images.all(region).some((other) => other.blockDeviceMappings.some((m) => m.snapshotId === b.snapshotId));
    if (shared) return { snapshotId: b.snapshotId, code: 'skipped' };
    if (world.permissions.isDenied('ec2', 'DeleteSnapshot')) return { snapshotId: b.snapshotId, code: 'missing-permissions' };
    if (!world.snapshots.get(region, b.snapshotId)) return { snapshotId: b.snapshotId, code: 'client-error' };
    world.snapshots.delete(region, b.snapshotId);
    return { snapshotId: b.snapshotId, code: 'success' };
  });
  return text('return', true) + items('deleteSnapshotResultSet', results, (r) => text('snapshotId', r.snapshotId) + text('returnCode', r.code));
}

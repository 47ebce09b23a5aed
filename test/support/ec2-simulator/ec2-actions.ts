import { createHash } from 'node:crypto';
import { ADDRESS_ACTIONS, type AddressStore } from './addresses';
import { PLACEMENT_GROUP_ACTIONS } from './placement-groups';
import type { IamStore } from './iam';
import type { BudgetStore } from './budgets';
import type { CloudWatchState } from './cloudwatch';
import { CONSOLE_ACTIONS, type ConsoleState } from './console-actions';
import type { CostStore } from './cost-explorer';
import { isWellFormedInstanceId } from './ids';
import { deregisterImage, describeImages } from './image-actions';
import type { ImageCatalogue } from './images';
import { compileInstanceFilters } from './instance-filters';
import type { InstanceStore, SimInstance, StateChange } from './instance-store';
import { describeInstanceTypes, SIM_INSTANCE_TYPES } from './instance-types';
import { instanceXml, stateXml, type InstanceVolume } from './instance-xml';
import { KEY_PAIR_ACTIONS, type KeyPairStore } from './key-pairs';
import { afterStateChanges, LAUNCH_ACTIONS, type LaunchState } from './launch';
import type { NetworkStore } from './network';
import { NETWORK_ACTIONS } from './network-actions';
import type { Permissions } from './permissions';
import type { PriceBook } from './price-table';
import type { QueryParams } from './query-params';
import { SimError } from './sim-error';
import { SNAPSHOT_ACTIONS, type SnapshotStore } from './snapshots';
import { SPOT_REQUEST_ACTIONS, type SimSpotRequest } from './spot-requests';
import { SNAPSHOT_CHANGE_ACTIONS } from './snapshot-actions';
import { IMAGE_CHANGE_ACTIONS } from './image-change-actions';
import { ZONE_ACTIONS } from './zone-actions';
import { VOLUME_CHANGE_ACTIONS } from './volume-change-actions';
import type { VolumeModifications } from './volume-modifications';
import type { SimRegion } from './types';
import { VOLUME_ACTIONS, type VolumeStore } from './volumes';
import { getPasswordData, type WindowsPasswords } from './windows-passwords';
import { items, node, text } from './xml';

export interface Ec2ActionContext {
  params: QueryParams;
  /** The region the request was signed for (one server plays every regional endpoint). */
  region: string;
  store: InstanceStore;
  regions: readonly SimRegion[];
  accountId: string;
  /** Everything beyond instances: network, key pairs, images, launch knobs, IAM denials. */
  world: SimWorld;
}

export interface SimWorld {
  network: NetworkStore;
  keyPairs: KeyPairStore;
  images: ImageCatalogue;
  launch: LaunchState;
  permissions: Permissions;
  volumes: VolumeStore;
  /** ModifyVolume's changes, per volume (issue 14). */
  volumeModifications: VolumeModifications;
  snapshots: SnapshotStore;
  addresses: AddressStore;
  /** Seeded Spot requests per region (spot instances without one get a derived request). */
  spotRequests: Map<string, Map<string, SimSpotRequest>>;
  prices: PriceBook;
  budgets: BudgetStore;
  costs: CostStore;
  cloudwatch: CloudWatchState;
  windowsPasswords: WindowsPasswords;
  /** Account-wide serial console access and per-instance screenshots. */
  console: ConsoleState;
  /** Every region the account has (enabled or not). */
  knownRegions: () => string[];
  /** Roles and instance profiles (issue 15: Session Manager launches). */
  iam: IamStore;
}

/** Returns the response body that goes between `<requestId>` and the closing tag. */
export type Ec2Action = (ctx: Ec2ActionContext) => string;

export const EC2_ACTIONS: Readonly<Record<string, Ec2Action>> = {
  DescribeRegions: describeRegions,
  DescribeInstances: describeInstances,
  StartInstances: (ctx) => stateChangeXml(hooked(ctx, ctx.store.start(mutableTargets(ctx, 'StartInstances')))),
  StopInstances: (ctx) => stateChangeXml(hooked(ctx, ctx.store.stop(mutableTargets(ctx, 'StopInstances'), { hibernate: ctx.params.bool('Hibernate') }))),
  TerminateInstances: (ctx) => stateChangeXml(hooked(ctx, ctx.store.terminate(mutableTargets(ctx, 'TerminateInstances')))),
  RebootInstances: (ctx) => {
    ctx.store.reboot(mutableTargets(ctx, 'RebootInstances'));
    return text('return', true);
  },
  DescribeInstanceAttribute: describeInstanceAttribute,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  DescribeInstanceTypes: describeInstanceTypes,
  GetPasswordData: getPasswordData,
  DescribeImages: describeImages,
  DeregisterImage: deregisterImage,
  CreateTags: (ctx) => changeTags(ctx, true),
  DeleteTags: (ctx) => changeTags(ctx, false),
  ...CONSOLE_ACTIONS,
  ...NETWORK_ACTIONS,
  ...KEY_PAIR_ACTIONS,
  ...LAUNCH_ACTIONS,
  ...VOLUME_ACTIONS,
  ...SNAPSHOT_ACTIONS,
  ...ADDRESS_ACTIONS,
  ...PLACEMENT_GROUP_ACTIONS,
  ...SPOT_REQUEST_ACTIONS,
  // Snapshots, AMIs and zones (issue 14).
  ...SNAPSHOT_CHANGE_ACTIONS,
  ...IMAGE_CHANGE_ACTIONS,
  ...ZONE_ACTIONS,
  // Volumes: grow, attach, detach (issue 14).
  ...VOLUME_CHANGE_ACTIONS,
};

function hooked(ctx: Ec2ActionContext, changes: StateChange[]): StateChange[] {
  afterStateChanges(ctx, changes);
  return changes;
}

/** CreateTags / DeleteTags on instances, volumes, snapshots, own AMIs, Elastic IPs, security groups, key pairs, VPCs and subnets. */
function changeTags(ctx: Ec2ActionContext, create: boolean): string {
  const { params, world } = ctx;
  const ids = params.list('ResourceId');
  if (ids.length === 0) throw new SimError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  const tags = params.indexes('Tag', '.Key').map((n) => ({ key: params.get(`Tag.${n}.Key`) ?? '', value: params.get(`Tag.${n}.Value`) }));
  if (create && tags.length === 0) throw new SimError('MissingParameter', 'The request must contain the parameter tagSet');
  const targets = ids.map((id): Map<string, string> => {
    const kind = id.slice(0, id.lastIndexOf('-'));
    const found = taggable(ctx, kind, id);
    if (!found) {
      const code = TAG_NOT_FOUND[kind];
      if (code === undefined) throw new SimError('InvalidID', `The ID '${id}' is not valid`);
      throw new SimError(code, `The ID '${id}' does not exist`);
    }
    return found;
  });
  world.permissions.checkEc2(create ? 'CreateTags' : 'DeleteTags', ctx);
  checkDryRun(params);
  for (const target of targets) {
    for (const t of tags) {
      if (create) target.set(t.key, t.value ?? '');
      else if (t.value === undefined || target.get(t.key) === t.value) target.delete(t.key);
    }
  }
  return text('return', true);
}

const TAG_NOT_FOUND: Readonly<Record<string, string>> = {
  i: 'InvalidInstanceID.NotFound',
  vol: 'InvalidVolume.NotFound',
  snap: 'InvalidSnapshot.NotFound',
  ami: 'InvalidAMIID.NotFound',
  eipalloc: 'InvalidAllocationID.NotFound',
  sg: 'InvalidGroup.NotFound',
  key: 'InvalidKeyPair.NotFound',
  vpc: 'InvalidVpcID.NotFound',
  subnet: 'InvalidSubnetID.NotFound',
};

/** The tag map of a taggable resource of the region, by id prefix. */
function taggable(ctx: Ec2ActionContext, kind: string, id: string): Map<string, string> | undefined {
  const { region, world, store } = ctx;
  switch (kind) {
    case 'i':
      return store.get(id)?.tags;
    case 'vol':
      return world.volumes.get(region, id)?.tags;
    case 'snap':
      return world.snapshots.get(region, id)?.tags;
    case 'ami': {
      const image = world.images.get(region, id);
      return image?.ownerId === ctx.accountId ? image.tags : undefined;
    }
    case 'eipalloc':
      return world.addresses.in(region).get(id)?.tags;
    case 'sg':
      return world.network.groupsIn(region).find((g) => g.id === id)?.tags;
    case 'key':
      return [...world.keyPairs.in(region).values()].find((k) => k.id === id)?.tags;
    case 'vpc':
      return world.network.vpcsIn(region).find((v) => v.id === id)?.tags;
    case 'subnet':
      return world.network.subnetsIn(region).find((s) => s.id === id)?.tags;
    default:
      return undefined;
  }
}

function checkDryRun(params: QueryParams): void {
  if (params.bool('DryRun')) {
    throw new SimError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
  }
}

function describeRegions(ctx: Ec2ActionContext): string {
  const { params } = ctx;
  const all = params.bool('AllRegions');
  const names = params.list('RegionName');
  for (const name of names) {
    if (!ctx.regions.some((r) => r.name === name)) {
      throw new SimError('InvalidParameterValue', `Invalid region names: [${name}]`);
    }
  }
  const filters = params.filters().map(({ name, values }) => {
    const field: ((r: SimRegion) => string) | undefined =
      name === 'region-name'
        ? (r) => r.name
        : name === 'endpoint'
          ? (r) => regionEndpoint(r.name)
          : name === 'opt-in-status'
            ? (r) => r.optInStatus
            : undefined;
    if (!field) throw new SimError('InvalidParameterValue', `The filter '${name}' is invalid`);
    return (r: SimRegion) => values.includes(field(r));
  });
  checkDryRun(params);
  const regions = ctx.regions.filter(
    (r) =>
      (names.length > 0 ? names.includes(r.name) : all || r.optInStatus !== 'not-opted-in') &&
      filters.every((f) => f(r)),
  );
  return items('regionInfo', regions, (r) =>
    text('regionName', r.name) + text('regionEndpoint', regionEndpoint(r.name)) + text('optInStatus', r.optInStatus),
  );
}

function regionEndpoint(region: string): string {
  return `ec2.${region}.amazonaws.com`;
}

function describeInstances(ctx: Ec2ActionContext): string {
  const { params, store, region } = ctx;
  const ids = [...new Set(params.list('InstanceId'))];
  const maxRaw = params.get('MaxResults');
  if (maxRaw !== undefined && ids.length > 0) {
    throw new SimError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  let pageSize = Number.POSITIVE_INFINITY;
  if (maxRaw !== undefined) {
    const max = Number(maxRaw);
    if (!Number.isInteger(max) || max < 5 || max > 1000) {
      throw new SimError(
        'InvalidParameterValue',
        `Value ( ${maxRaw} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
    pageSize = max;
  }
  const filters = params.filters();
  const predicate = compileInstanceFilters(filters);
  const wanted = ids.length > 0 ? resolveInstances(ctx, ids) : undefined;

  // The token is bound to the query it came from, like EC2's, so replaying it elsewhere fails loudly.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([region, ids, filters]))
    .digest('hex')
    .slice(0, 16);
  let afterSeq = -1;
  const token = params.get('NextToken');
  if (token !== undefined && token !== '') {
    const decoded = decodeToken(token);
    if (!decoded || decoded.fingerprint !== fingerprint) {
      throw new SimError('InvalidParameterValue', `Value ( ${token} ) for parameter NextToken is invalid. The token is invalid.`);
    }
    afterSeq = decoded.seq;
    if (pageSize === Number.POSITIVE_INFINITY) pageSize = 1000;
  }
  checkDryRun(params);

  // Walk only as far as one page plus one match (to know whether a next page exists): with the store's
  // per-region index, each page costs O(page + log n) however many instances the account holds.
  const page: SimInstance[] = [];
  let more = false;
  for (const instance of wanted ?? store.scan(region, afterSeq)) {
    if (instance.seq <= afterSeq || !predicate(instance)) continue;
    if (page.length === pageSize) {
      more = true;
      break;
    }
    page.push(instance);
  }
  const last = page[page.length - 1];
  const nextToken = more && last ? encodeToken(last.seq, fingerprint) : undefined;

  // Consecutive instances of one reservation share an <item>, as one RunInstances call's do.
  const groups: SimInstance[][] = [];
  for (const instance of page) {
    const current = groups[groups.length - 1];
    if (current && current[0]?.reservationId === instance.reservationId) current.push(instance);
    else groups.push([instance]);
  }
  return (
    items('reservationSet', groups, (group) => {
      const first = group[0];
      return (
        text('reservationId', first?.reservationId ?? '') +
        text('ownerId', ctx.accountId) +
        node('groupSet') +
        items('instancesSet', group, (i) => instanceXml(i, ctx.accountId, dataVolumesOf(ctx, i)))
      );
    }) + (nextToken === undefined ? '' : text('nextToken', nextToken))
  );
}

/** The instance's attached volumes other than its root, for its block device mappings. */
export function dataVolumesOf(ctx: Ec2ActionContext, i: SimInstance): InstanceVolume[] {
  return ctx.world.volumes.attachedTo(i).flatMap((v) =>
    v.id === i.rootVolume.id || !v.attachment ? [] : [{ volumeId: v.id, device: v.attachment.device, attachTime: v.attachment.attachTime, deleteOnTermination: v.attachment.deleteOnTermination }],
  );
}

function encodeToken(seq: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, s: seq, f: fingerprint })).toString('base64url');
}

function decodeToken(token: string): { seq: number; fingerprint: string } | undefined {
  try {
    const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; s?: unknown; f?: unknown };
    if (data.v !== 1 || typeof data.s !== 'number' || typeof data.f !== 'string') return undefined;
    return { seq: data.s, fingerprint: data.f };
  } catch {
    return undefined;
  }
}

/** Malformed ids are reported before unknown ones, and every unknown id is named, as EC2 does. */
function resolveInstances(ctx: Ec2ActionContext, ids: string[]): SimInstance[] {
  const malformed = ids.find((id) => !isWellFormedInstanceId(id));
  if (malformed !== undefined) throw new SimError('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
  const found: SimInstance[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const instance = ctx.store.get(id);
    if (instance && instance.region === ctx.region) found.push(instance);
    else missing.push(id);
  }
  if (missing.length === 1) throw new SimError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1) {
    throw new SimError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  }
  return found;
}

function mutableTargets(ctx: Ec2ActionContext, action: string): SimInstance[] {
  const ids = [...new Set(ctx.params.list('InstanceId'))];
  if (ids.length === 0) {
    throw new SimError('MissingParameter', 'The request must contain the parameter InstanceId');
  }
  const instances = resolveInstances(ctx, ids);
  ctx.world.permissions.checkEc2(action, ctx);
  checkDryRun(ctx.params);
  return instances;
}

function stateChangeXml(changes: StateChange[]): string {
  return items(
    'instancesSet',
    changes,
    (c) => text('instanceId', c.instanceId) + stateXml('currentState', c.current) + stateXml('previousState', c.previous),
  );
}

function singleInstance(ctx: Ec2ActionContext): SimInstance {
  const id = ctx.params.get('InstanceId');
  if (id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter InstanceId');
  const [instance] = resolveInstances(ctx, [id]);
  if (!instance) throw new SimError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  return instance;
}

function describeInstanceAttribute(ctx: Ec2ActionContext): string {
  const instance = singleInstance(ctx);
  const attribute = ctx.params.get('Attribute');
  if (attribute === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter attribute');
  let body: string;
  if (attribute === 'disableApiTermination') {
    body = node('disableApiTermination', text('value', instance.disableApiTermination));
  } else if (attribute === 'instanceType') {
    body = node('instanceType', text('value', instance.instanceType));
  } else if (attribute === 'instanceInitiatedShutdownBehavior') {
    body = node('instanceInitiatedShutdownBehavior', text('value', instance.instanceInitiatedShutdownBehavior));
  } else if (attribute === 'rootDeviceName') {
    body = node('rootDeviceName', text('value', instance.rootDeviceName));
  } else {
    throw new SimError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
  checkDryRun(ctx.params);
  return text('instanceId', instance.id) + body;
}

function modifyInstanceAttribute(ctx: Ec2ActionContext): string {
  const { params } = ctx;
  const instance = singleInstance(ctx);
  const attribute = params.get('Attribute');
  const termination =
    params.get('DisableApiTermination.Value') ?? (attribute === 'disableApiTermination' ? params.get('Value') : undefined);
  const type = params.get('InstanceType.Value') ?? (attribute === 'instanceType' ? params.get('Value') : undefined);
  const shutdown =
    params.get('InstanceInitiatedShutdownBehavior.Value') ?? (attribute === 'instanceInitiatedShutdownBehavior' ? params.get('Value') : undefined);
  const mappings = blockDeviceChanges(ctx);
  if (termination === undefined && type === undefined && shutdown === undefined && mappings.length === 0) {
    throw new SimError('InvalidParameterCombination', 'No attributes specified.');
  }
  if (termination !== undefined && termination !== 'true' && termination !== 'false') {
    throw new SimError('InvalidParameterValue', `Value (${termination}) for parameter disableApiTermination is invalid.`);
  }
  if (shutdown !== undefined && shutdown !== 'stop' && shutdown !== 'terminate') {
    throw new SimError('InvalidParameterValue', `Value (${shutdown}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
  }
  if (type !== undefined && instance.state !== 'stopped') {
    throw new SimError('IncorrectInstanceState', `The instance '${instance.id}' is not in the 'stopped' state.`);
  }
  if (type !== undefined) {
    const info = SIM_INSTANCE_TYPES.get(type);
    if (!info) throw new SimError('InvalidParameterValue', `Value (${type}) for parameter instanceType is invalid.`);
    if (info.architecture !== instance.architecture) {
      throw new SimError('InvalidParameterValue', `The instance type '${type}' does not support the architecture of instance '${instance.id}' (${instance.architecture}).`);
    }
    if (info.hypervisor === 'nitro' && !instance.enaSupport) {
      throw new SimError(
        'InvalidParameterCombination',
        `Enhanced networking with the Elastic Network Adapter (ENA) is required for the '${type}' instance type. Ensure that your instance '${instance.id}' is enabled for ENA.`,
      );
    }
  }
  checkDryRun(params);
  if (termination !== undefined) instance.disableApiTermination = termination === 'true';
  if (type !== undefined) instance.instanceType = type;
  if (shutdown === 'stop' || shutdown === 'terminate') instance.instanceInitiatedShutdownBehavior = shutdown;
  for (const change of mappings) {
    const volume = ctx.world.volumes.attachedTo(instance).find((v) => v.attachment?.device === change.device);
    if (!volume?.attachment) continue;
    volume.attachment = { ...volume.attachment, deleteOnTermination: change.deleteOnTermination };
    if (volume.id === instance.rootVolume.id) instance.rootVolume.deleteOnTermination = change.deleteOnTermination;
  }
  return text('return', true);
}

/** BlockDeviceMapping.N.DeviceName with Ebs.DeleteOnTermination: each must name one of the instance's attached devices. */
function blockDeviceChanges(ctx: Ec2ActionContext): { device: string; deleteOnTermination: boolean }[] {
  const { params } = ctx;
  const instance = singleInstance(ctx);
  return params.indexes('BlockDeviceMapping', '.DeviceName').map((n) => {
    const device = params.get(`BlockDeviceMapping.${n}.DeviceName`) ?? '';
    const raw = params.get(`BlockDeviceMapping.${n}.Ebs.DeleteOnTermination`);
    if (raw !== 'true' && raw !== 'false') throw new SimError('InvalidParameterValue', `Value (${raw ?? ''}) for parameter deleteOnTermination is invalid.`);
    if (!ctx.world.volumes.attachedTo(instance).some((v) => v.attachment?.device === device)) {
      throw new SimError('InvalidInstanceAttributeValue', `No device is currently mapped at ${device}`);
    }
    return { device, deleteOnTermination: raw === 'true' };
  });
}

import { createHash } from 'node:crypto';
import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedImageId } from './images';
import type { SimInstance, StateChange } from './instance-store';
import { quotaBucketOf, SIM_INSTANCE_TYPES } from './instance-types';
import { instanceXml } from './instance-xml';
import { OFFERING_ACTIONS, spotPrice } from './launch-offerings';
import type { SimSecurityGroup, SimSubnet } from './network';
import { checkDryRun } from './network-actions';
import { SimError } from './sim-error';
import { placementGroupFor } from './placement-groups';
import { parseSpotOptions } from './spot-requests';
import { parseTagSpecifications } from './tags';
import { VOLUME_TYPES } from './volumes';
import { items, node, text } from './xml';

/** What a launch hook learns about an instance it should bring up. */
export interface SimLaunchedInstance {
  readonly id: string;
  readonly region: string;
  readonly instanceType: string;
  readonly imageId: string;
  readonly keyName: string | undefined;
  /** The key pair's OpenSSH public key line, when the instance was launched with one. */
  readonly publicKey: string | undefined;
  readonly privateIp: string | undefined;
  /** Base64 as sent to RunInstances. */
  readonly userData: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SimBootResult {
  /** The instance's public address (e.g. a loopback address where a real sshd listens). */
  publicIp?: string;
  /** The instance's private address, when the hook gives it one (the rig: the same loopback address). */
  privateIp?: string;
  /** GetConsoleOutput text, e.g. cloud-init's host key fingerprints. */
  consoleOutput?: string;
}

/** Brings launched instances up and down: `boot` on launch and start, `halt` on stop and terminate. */
export interface SimLaunchHooks {
  boot(instance: SimLaunchedInstance): Promise<SimBootResult | undefined>;
  halt?(instance: SimLaunchedInstance): Promise<void>;
}

export interface CapacityShortage {
  instanceType: string;
  /** Every AZ when omitted. */
  availabilityZone?: string;
  region?: string;
}

/** The vCPU quota buckets, their Service Quotas codes and names (on-demand and spot). */
export const QUOTA_BUCKETS: Readonly<Record<string, { onDemand: string; spot: string; onDemandName: string; spotName: string }>> = {
  Standard: { onDemand: 'L-1216C47A', spot: 'L-34B43A08', onDemandName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', spotName: 'All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests' },
  'G and VT': { onDemand: 'L-DB2E81BA', spot: 'L-3819A6DF', onDemandName: 'Running On-Demand G and VT instances', spotName: 'All G and VT Spot Instance Requests' },
  P: { onDemand: 'L-417A185B', spot: 'L-7212CCBC', onDemandName: 'Running On-Demand P instances', spotName: 'All P Spot Instance Requests' },
  F: { onDemand: 'L-74FC7D96', spot: 'L-88CF9481', onDemandName: 'Running On-Demand F instances', spotName: 'All F Spot Instance Requests' },
  Inf: { onDemand: 'L-1945791B', spot: 'L-B5D1601B', onDemandName: 'Running On-Demand Inf instances', spotName: 'All Inf Spot Instance Requests' },
  X: { onDemand: 'L-7295265B', spot: 'L-E3A00192', onDemandName: 'Running On-Demand X instances', spotName: 'All X Spot Instance Requests' },
  DL: { onDemand: 'L-6E869C2A', spot: 'L-85EED4F7', onDemandName: 'Running On-Demand DL instances', spotName: 'All DL Spot Instance Requests' },
  Trn: { onDemand: 'L-2C3B7624', spot: 'L-6B0D517C', onDemandName: 'Running On-Demand Trn instances', spotName: 'All Trn Spot Instance Requests' },
};

/** A fresh account's defaults, roughly: room for a few standard instances, a little G, no P. */
const DEFAULT_QUOTAS: Readonly<Record<string, number>> = { Standard: 32, 'G and VT': 8, P: 0, F: 0, Inf: 0, X: 0, DL: 0, Trn: 0 };

export type Market = 'on-demand' | 'spot';

export function defaultQuota(bucket: string): number {
  return DEFAULT_QUOTAS[bucket] ?? 0;
}

/** Launch-time knobs tests turn: quotas, capacity, offerings, hooks. */
export class LaunchState {
  private readonly quotas = new Map<string, number>();
  readonly shortages: CapacityShortage[] = [];
  /** region → instance type → AZs where it is offered (absent: every AZ). */
  readonly offerings = new Map<string, Map<string, string[]>>();
  hooks: SimLaunchHooks | undefined;
  /** Boots and halts in flight, so `close()` can wait for them. */
  readonly pending = new Set<Promise<unknown>>();
  /** Errors from hooks (a failed boot terminates the instance), for test diagnostics. */
  readonly hookErrors: { instanceId: string; error: unknown }[] = [];

  quota(bucket: string, market: Market, region: string): number {
    return this.quotas.get(`${region}|${market}|${bucket}`) ?? this.quotas.get(`*|${market}|${bucket}`) ?? defaultQuota(bucket);
  }

  setQuota(bucket: string, vcpus: number, opts: { market?: Market; region?: string } = {}): void {
    if (!(bucket in QUOTA_BUCKETS)) throw new Error(`unknown quota bucket ${bucket}; one of ${Object.keys(QUOTA_BUCKETS).join(', ')}`);
    this.quotas.set(`${opts.region ?? '*'}|${opts.market ?? 'on-demand'}|${bucket}`, vcpus);
  }

  isShort(region: string, instanceType: string, az: string): boolean {
    return this.shortages.some(
      (s) => s.instanceType === instanceType && (s.region ?? region) === region && (s.availabilityZone === undefined || s.availabilityZone === az),
    );
  }

  offeredIn(region: string, instanceType: string, zones: string[]): string[] {
    return this.offerings.get(region)?.get(instanceType) ?? zones;
  }
}

export const LAUNCH_ACTIONS = {
  RunInstances: runInstances,
  ...OFFERING_ACTIONS,
} as const;

function intParam(ctx: Ec2ActionContext, name: string): number {
  const raw = ctx.params.get(name);
  if (raw === undefined) throw new SimError('MissingParameter', `The request must contain the parameter ${name}`);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new SimError('InvalidParameterValue', `Value (${raw}) for parameter ${name.charAt(0).toLowerCase()}${name.slice(1)} is invalid. Expected a positive integer.`);
  return n;
}

/** vCPUs the region's running and pending instances of a quota bucket use, per market. */
function vcpusInUse(ctx: Ec2ActionContext, bucket: string, market: Market): number {
  return ctx.store
    .list(ctx.region)
    .filter((i) => (i.state === 'pending' || i.state === 'running') && quotaBucketOf(i.instanceType) === bucket && (i.instanceLifecycle === 'spot') === (market === 'spot'))
    .reduce((sum, i) => sum + (SIM_INSTANCE_TYPES.get(i.instanceType)?.vcpus ?? 1), 0);
}

function runInstances(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  world.permissions.checkEc2('RunInstances', ctx);

  const imageId = params.get('ImageId');
  if (imageId === undefined || imageId === '') throw new SimError('MissingParameter', 'The request must contain the parameter ImageId');
  if (!isWellFormedImageId(imageId) && !world.images.namesOnly.has(imageId)) throw new SimError('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
  const image = world.images.get(region, imageId);
  if (!image || (!image.isPublic && image.ownerId !== ctx.accountId)) {
    throw new SimError('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  }
  if (image.state !== 'available') throw new SimError('InvalidAMIID.Unavailable', `Image ${imageId} is not available. Its state is ${image.state}.`);

  const minCount = intParam(ctx, 'MinCount');
  const maxCount = intParam(ctx, 'MaxCount');
  if (minCount > maxCount) {
    throw new SimError('InvalidParameterValue', `Value (${minCount}) for parameter minCount is invalid. Must be less than or equal to maxCount (${maxCount}).`);
  }

  const instanceType = params.get('InstanceType') ?? 'm1.small';
  const type = SIM_INSTANCE_TYPES.get(instanceType);
  if (!type) throw new SimError('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
  if (type.architecture !== image.architecture) {
    throw new SimError(
      'InvalidParameterValue',
      `The architecture '${type.architecture}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  }

  const keyName = params.get('KeyName');
  const keyPair = keyName === undefined ? undefined : world.keyPairs.get(region, keyName);
  if (keyName !== undefined && !keyPair) throw new SimError('InvalidKeyPair.NotFound', `The key pair '${keyName}' does not exist`);

  // Network: SubnetId or NetworkInterface.1.*, else the default VPC (and the AZ EC2 picks, or Placement's).
  const subnetId = params.get('SubnetId') ?? params.get('NetworkInterface.1.SubnetId');
  const groupIds = [...params.list('SecurityGroupId'), ...params.list('NetworkInterface.1.SecurityGroupId')];
  const groupNames = params.list('SecurityGroup');
  const placementAz = params.get('Placement.AvailabilityZone');
  const placementGroupName = params.get('Placement.GroupName');
  const placementGroup = placementGroupName === undefined || placementGroupName === '' ? undefined : placementGroupFor(ctx, placementGroupName);
  let subnet: SimSubnet;
  if (subnetId !== undefined) {
    subnet = world.network.subnet(region, subnetId);
    if (groupNames.length > 0) throw new SimError('InvalidParameterCombination', 'The parameter groupName cannot be used with the parameter subnet');
    if (placementAz !== undefined && placementAz !== subnet.availabilityZone) {
      throw new SimError('InvalidParameterValue', `Value (${placementAz}) for parameter availabilityZone is invalid. Subnet '${subnet.id}' is in the availability zone ${subnet.availabilityZone}`);
    }
  } else {
    const vpc = world.network.defaultVpc(region);
    if (!vpc) throw new SimError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.');
    const candidates = world.network.subnetsIn(region).filter((s) => s.vpcId === vpc.id && s.defaultForAz);
    if (placementAz !== undefined && !candidates.some((s) => s.availabilityZone === placementAz)) {
      throw new SimError('InvalidParameterValue', `Invalid availability zone: [${placementAz}]`);
    }
    const offered = world.launch.offeredIn(region, instanceType, world.network.availabilityZones(region));
    const usable = candidates.filter((s) => (placementAz === undefined || s.availabilityZone === placementAz) && offered.includes(s.availabilityZone));
    // Left to choose, EC2 places the instance where the type is offered and has capacity.
    const pick = usable.find((s) => !world.launch.isShort(region, instanceType, s.availabilityZone)) ?? usable[0];
    if (!pick) {
      throw new SimError('Unsupported', `Your requested instance type (${instanceType}) is not supported in your requested Availability Zone (${placementAz ?? candidates[0]?.availabilityZone ?? region}). Please retry your request by not specifying an Availability Zone or choosing ${offered.join(', ')}.`);
    }
    subnet = pick;
  }
  const offeredZones = world.launch.offeredIn(region, instanceType, world.network.availabilityZones(region));
  if (!offeredZones.includes(subnet.availabilityZone)) {
    throw new SimError('Unsupported', `Your requested instance type (${instanceType}) is not supported in your requested Availability Zone (${subnet.availabilityZone}). Please retry your request by not specifying an Availability Zone or choosing ${offeredZones.join(', ')}.`);
  }
  const groups: SimSecurityGroup[] = [
    ...groupIds.map((id) => world.network.group(region, id)),
    ...groupNames.map((n) => world.network.groupByName(region, n)),
  ];
  for (const g of groups) {
    if (g.vpcId !== subnet.vpcId) {
      throw new SimError('InvalidParameter', `Security group ${g.id} and subnet ${subnet.id} belong to different networks.`);
    }
  }
  if (groups.length === 0) {
    const fallback = world.network.defaultGroup(subnet.vpcId);
    if (fallback) groups.push(fallback);
  }
  const publicIpParam = params.get('NetworkInterface.1.AssociatePublicIpAddress');
  const wantsPublicIp = publicIpParam === undefined ? subnet.mapPublicIpOnLaunch : publicIpParam === 'true';

  // Root volume: BlockDeviceMapping.N for the image's root device.
  let rootSize = image.volumeSize;
  let rootType = image.volumeType;
  let deleteOnTermination = true;
  for (const n of params.indexes('BlockDeviceMapping', '.DeviceName')) {
    const p = `BlockDeviceMapping.${n}`;
    const device = params.get(`${p}.DeviceName`);
    if (device !== image.rootDeviceName) continue;
    const size = params.get(`${p}.Ebs.VolumeSize`);
    if (size !== undefined) {
      const gib = Number(size);
      if (!Number.isInteger(gib) || gib < 1 || gib > 16384) throw new SimError('InvalidParameterValue', `Volume size ${size} is invalid.`);
      if (gib < image.volumeSize) {
        throw new SimError(
          'InvalidBlockDeviceMapping',
          `Volume of size ${gib}GB is smaller than snapshot 'snap-0${createHash('sha256').update(image.id).digest('hex').slice(0, 16)}', expect size >= ${image.volumeSize}GB`,
        );
      }
      rootSize = gib;
    }
    const vtype = params.get(`${p}.Ebs.VolumeType`);
    if (vtype !== undefined) {
      if (!VOLUME_TYPES.includes(vtype)) throw new SimError('InvalidParameterValue', `Value (${vtype}) for parameter volumeType is invalid. Valid values: ${VOLUME_TYPES.join(', ')}`);
      rootType = vtype;
    }
    const dot = params.get(`${p}.Ebs.DeleteOnTermination`);
    if (dot !== undefined) deleteOnTermination = dot === 'true';
  }

  const shutdownBehaviour = params.get('InstanceInitiatedShutdownBehavior');
  if (shutdownBehaviour !== undefined && shutdownBehaviour !== 'stop' && shutdownBehaviour !== 'terminate') {
    throw new SimError('InvalidParameterValue', `Value (${shutdownBehaviour}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
  }
  const userData = params.get('UserData');
  if (userData !== undefined && Buffer.from(userData, 'base64').length > 16384) {
    throw new SimError('InvalidParameterValue', 'User data is limited to 16384 bytes');
  }

  const tagSpecs = parseTagSpecifications(params, ['instance', 'volume', 'network-interface', 'spot-instances-request']);
  if (tagSpecs.size > 0) world.permissions.checkEc2('CreateTags', ctx);

  const market: Market = params.get('InstanceMarketOptions.MarketType') === 'spot' ? 'spot' : 'on-demand';
  const spotOptions = market === 'spot' ? parseSpotOptions(params) : undefined;
  if (market === 'spot') {
    const maxPrice = params.get('InstanceMarketOptions.SpotOptions.MaxPrice');
    const current = spotPrice(region, instanceType, subnet.availabilityZone);
    if (maxPrice !== undefined && Number(maxPrice) < current) {
      throw new SimError('SpotMaxPriceTooLow', `Your Spot request price of ${maxPrice} is lower than the minimum required Spot request fulfillment price of ${current.toFixed(4)}.`);
    }
  }

  const profile = world.iam.profileForLaunch(params.get('IamInstanceProfile.Name'), params.get('IamInstanceProfile.Arn'));
  // Handing a role to an instance needs iam:PassRole on it, checked by EC2 at launch.
  if (profile !== undefined && world.permissions.isDenied('iam', 'PassRole')) {
    throw new SimError(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. User: arn:aws:iam::${ctx.accountId}:user/hangar-test is not authorized to perform: iam:PassRole on resource: ${profile.roleArn} because no identity-based policy allows the iam:PassRole action`,
    );
  }
  checkDryRun(params);

  if (world.launch.isShort(region, instanceType, subnet.availabilityZone)) {
    const others = world.network
      .availabilityZones(region)
      .filter((az) => az !== subnet.availabilityZone && offeredZones.includes(az) && !world.launch.isShort(region, instanceType, az));
    throw new SimError(
      'InsufficientInstanceCapacity',
      `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${subnet.availabilityZone}). Our system will be working on provisioning additional capacity.` +
        (others.length > 0 ? ` You can currently get ${instanceType} capacity by not specifying an Availability Zone in your request or choosing ${others.join(', ')}.` : ''),
      500,
    );
  }

  const bucket = quotaBucketOf(instanceType);
  const limit = world.launch.quota(bucket, market, region);
  const room = Math.floor((limit - vcpusInUse(ctx, bucket, market)) / type.vcpus);
  const count = Math.min(maxCount, Math.max(0, room));
  if (count < minCount) {
    if (market === 'spot') throw new SimError('MaxSpotInstanceCountExceeded', 'Max spot instance count exceeded');
    throw new SimError(
      'VcpuLimitExceeded',
      `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    );
  }

  const reservationId = `r-${createHash('sha256').update(`${Date.now()}/${Math.random()}`).digest('hex').slice(0, 17)}`;
  const instanceTags = tagSpecs.get('instance') ?? new Map<string, string>();
  const volumeTags = tagSpecs.get('volume') ?? new Map<string, string>();
  const launched: SimInstance[] = [];
  for (let k = 0; k < count; k++) {
    const id = store.add(region, {
      reservationId,
      imageId,
      instanceType,
      keyName: keyName ?? null,
      availabilityZone: subnet.availabilityZone,
      ...(wantsPublicIp ? {} : { publicIp: null }),
      privateIp: privateIpIn(subnet, store.list(region).length + k),
      architecture: image.architecture,
      platformDetails: image.platformDetails,
      tags: Object.fromEntries(instanceTags),
      state: 'pending',
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      securityGroups: groups.map((g) => ({ id: g.id, name: g.name })),
      rootDeviceName: image.rootDeviceName,
      ...(shutdownBehaviour === 'terminate' ? { instanceInitiatedShutdownBehavior: 'terminate' as const } : {}),
      rootVolume: { size: rootSize, type: rootType, deleteOnTermination, tags: Object.fromEntries(volumeTags) },
      ...(userData === undefined ? {} : { userData }),
      ...(market === 'spot' ? { instanceLifecycle: 'spot' as const, ...(spotOptions === undefined ? {} : { spotOptions }) } : {}),
      amiLaunchIndex: k,
      ...(placementGroup === undefined ? {} : { placementGroup: placementGroup.name }),
      ...(profile === undefined ? {} : { iamInstanceProfile: { arn: profile.arn, id: profile.id } }),
      clientToken: params.get('ClientToken') ?? '',
      awaitBoot: world.launch.hooks !== undefined,
    });
    const instance = store.get(id);
    if (instance) launched.push(instance);
  }
  for (const instance of launched) bootInstance(ctx, instance);
  if (profile?.managed === true) for (const instance of launched) world.iam.onManagedLaunch?.(instance.id);
  return (
    text('reservationId', reservationId) +
    text('ownerId', ctx.accountId) +
    node('groupSet') +
    items('instancesSet', launched, (i) => instanceXml(i, ctx.accountId))
  );
}

function privateIpIn(subnet: SimSubnet, n: number): string {
  const [a, b, c] = subnet.cidrBlock.split('.').map(Number);
  const host = 4 + (n % 4000);
  return `${a}.${b}.${(c ?? 0) + (host >> 8)}.${host & 255}`;
}

function launchedView(ctx: Ec2ActionContext, i: SimInstance): SimLaunchedInstance {
  return {
    id: i.id,
    region: i.region,
    instanceType: i.instanceType,
    imageId: i.imageId,
    keyName: i.keyName,
    publicKey: i.keyName === undefined ? undefined : ctx.world.keyPairs.get(i.region, i.keyName)?.publicKey,
    privateIp: i.privateIp,
    userData: i.userData,
    tags: Object.fromEntries(i.tags),
  };
}

/** Runs the boot hook; the instance leaves `pending` only when it resolves, and is terminated if it fails. */
export function bootInstance(ctx: Ec2ActionContext, instance: SimInstance): void {
  const hooks = ctx.world.launch.hooks;
  if (!hooks || !instance.hooked) return;
  instance.bootBlocked = true;
  const view = launchedView(ctx, instance);
  const run = hooks
    .boot(view)
    .then((result) => {
      if (result?.publicIp !== undefined) instance.fixedPublicIp = result.publicIp;
      if (result?.privateIp !== undefined) instance.privateIp = result.privateIp;
      if (result?.consoleOutput !== undefined) ctx.store.consoleOutputs.set(instance.id, result.consoleOutput);
      if (instance.wantsPublicIp && instance.fixedPublicIp !== undefined && (instance.state === 'pending' || instance.state === 'running')) {
        instance.publicIp = instance.fixedPublicIp;
      }
      instance.bootBlocked = false;
    })
    .catch((error: unknown) => {
      ctx.world.launch.hookErrors.push({ instanceId: instance.id, error });
      instance.bootBlocked = false;
      ctx.store.setState(instance.id, 'terminated');
      instance.stateReason = { code: 'Server.InternalError', message: 'Server.InternalError: Internal error on launch' };
    });
  track(ctx, run);
}

function track(ctx: Ec2ActionContext, run: Promise<unknown>): void {
  const pending = ctx.world.launch.pending;
  pending.add(run);
  void run.finally(() => pending.delete(run));
}

/** After Start/Stop/Terminate: hooked instances that went down are halted, ones that started are booted. */
export function afterStateChanges(ctx: Ec2ActionContext, changes: StateChange[]): void {
  const hooks = ctx.world.launch.hooks;
  if (!hooks) return;
  for (const change of changes) {
    const instance = ctx.store.get(change.instanceId);
    if (!instance?.hooked || change.previous === change.current) continue;
    const up = (state: string): boolean => state === 'pending' || state === 'running';
    if (up(change.current) && !up(change.previous)) bootInstance(ctx, instance);
    else if (!up(change.current) && up(change.previous) && hooks.halt) {
      // Like a real machine, it is stopped (or terminated) only once it has actually shut down.
      instance.haltBlocked = true;
      track(
        ctx,
        hooks
          .halt(launchedView(ctx, instance))
          .catch((error: unknown) => ctx.world.launch.hookErrors.push({ instanceId: instance.id, error }))
          .finally(() => {
            instance.haltBlocked = false;
          }),
      );
    }
  }
}

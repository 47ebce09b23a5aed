import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedId, resourceId } from './ids';
import type { SimInstance } from './instance-store';
import { checkDryRun } from './network-actions';
import { ec2Paging, pageOf } from './page-token';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { parseTagSpecifications, tagSetXml } from './tags';
import { items, optText, text } from './xml';

export type SimVolumeState = 'creating' | 'available' | 'in-use';

export interface SimVolumeAttachment {
  readonly instanceId: string;
  readonly device: string;
  readonly deleteOnTermination: boolean;
  readonly attachTime: Date;
  /** attaching / detaching last this long after AttachVolume / DetachVolume (epoch ms); attached / detached after. */
  readonly settlesAt?: number;
}

/** One EBS volume: every instance's root volume, plus the ones tests seed or CreateVolume makes. */
export interface SimVolume {
  readonly id: string;
  readonly region: string;
  readonly availabilityZone: string;
  size: number;
  type: string;
  iops: number | undefined;
  throughput: number | undefined;
  /** '' when created empty. */
  readonly snapshotId: string;
  readonly encrypted: boolean;
  readonly createTime: Date;
  /** The volume is `creating` until then (epoch ms). */
  readonly availableAt: number;
  attachment: SimVolumeAttachment | undefined;
  readonly tags: Map<string, string>;
}

/** What a test may pin when seeding a volume (`sim.seed.volume`); the rest gets EC2's defaults. */
export interface SimVolumeInput {
  id?: string;
  /** GiB; default 8 (or the snapshot's size). */
  size?: number;
  /** Default gp3. */
  type?: string;
  iops?: number;
  throughput?: number;
  /** Default `<region>a`, or the instance's AZ when attached. */
  availabilityZone?: string;
  snapshotId?: string;
  encrypted?: boolean;
  createTime?: Date | string;
  /** Attach to this instance (same region); it then shows as `in-use`. */
  attachedTo?: string;
  /** Default the next free /dev/sdf … /dev/sdp of the instance. */
  device?: string;
  /** Default false, as for volumes attached after launch. */
  deleteOnTermination?: boolean;
  tags?: Record<string, string>;
}

export const VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'];
export const SIZE_RANGE: Readonly<Record<string, [number, number]>> = {
  gp2: [1, 16384],
  gp3: [1, 16384],
  io1: [4, 16384],
  io2: [4, 65536],
  st1: [125, 16384],
  sc1: [125, 16384],
  standard: [1, 1024],
};

export function defaultIops(type: string, size: number): number | undefined {
  if (type === 'gp3') return 3000;
  if (type === 'gp2') return Math.min(16000, Math.max(100, size * 3));
  return undefined;
}

/** Every region's EBS volumes, in creation order (the order DescribeVolumes lists them in). */
export class VolumeStore {
  private readonly byRegion = new Map<string, Map<string, SimVolume>>();
  /** Instance id → its attached volumes, so an instance's volumes never need a scan of the region. */
  private readonly byInstance = new Map<string, Set<SimVolume>>();
  /** A test's stand-in for the hypervisor: makes an attached volume appear as a disk on the rig (issue 14). */
  attachHook: ((attached: { region: string; volumeId: string; sizeGiB: number; device: string }) => Promise<void> | void) | undefined;

  constructor(
    /** How long CreateVolume's volumes stay `creating`. */
    private readonly creatingMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  in(region: string): Map<string, SimVolume> {
    let map = this.byRegion.get(region);
    if (!map) {
      map = new Map();
      this.byRegion.set(region, map);
    }
    return map;
  }

  get(region: string, id: string): SimVolume | undefined {
    return this.in(region).get(id);
  }

  stateOf(volume: SimVolume): SimVolumeState {
    if (volume.attachment) return 'in-use';
    return this.now() < volume.availableAt ? 'creating' : 'available';
  }

  /** The root volume an instance is launched (or seeded) with; it shares the instance's tag map. */
  addRoot(instance: SimInstance, snapshotId: string): void {
    const root = instance.rootVolume;
    this.put({
      id: root.id,
      region: instance.region,
      availabilityZone: instance.availabilityZone,
      size: root.size,
      type: root.type,
      iops: defaultIops(root.type, root.size),
      throughput: root.type === 'gp3' ? 125 : undefined,
      snapshotId,
      encrypted: false,
      createTime: instance.launchTime,
      availableAt: 0,
      attachment: { instanceId: instance.id, device: instance.rootDeviceName, deleteOnTermination: root.deleteOnTermination, attachTime: instance.launchTime },
      tags: root.tags,
    });
  }

  private put(volume: SimVolume): void {
    this.in(volume.region).set(volume.id, volume);
    if (volume.attachment) this.attachments(volume.attachment.instanceId).add(volume);
  }

  private attachments(instanceId: string): Set<SimVolume> {
    let set = this.byInstance.get(instanceId);
    if (!set) {
      set = new Set();
      this.byInstance.set(instanceId, set);
    }
    return set;
  }

  add(region: string, input: SimVolumeInput & { availabilityZone: string; size: number }, opts: { instance?: SimInstance; creating?: boolean } = {}): SimVolume {
    const id = input.id ?? resourceId('vol');
    if (this.in(region).has(id)) throw new Error(`volume ${id} already exists in ${region}`);
    const type = input.type ?? 'gp3';
    const created = input.createTime === undefined ? new Date(this.now()) : new Date(input.createTime);
    const { instance } = opts;
    const volume: SimVolume = {
      id,
      region,
      availabilityZone: instance?.availabilityZone ?? input.availabilityZone,
      size: input.size,
      type,
      iops: input.iops ?? defaultIops(type, input.size),
      throughput: input.throughput ?? (type === 'gp3' ? 125 : undefined),
      snapshotId: input.snapshotId ?? '',
      encrypted: input.encrypted ?? false,
      // EC2 reports creation times to the millisecond.
      createTime: created,
      availableAt: opts.creating ? this.now() + this.creatingMs() : 0,
      attachment: instance
        ? { instanceId: instance.id, device: input.device ?? this.freeDevice(instance), deleteOnTermination: input.deleteOnTermination ?? false, attachTime: created }
        : undefined,
      tags: new Map(Object.entries(input.tags ?? {})),
    };
    this.put(volume);
    return volume;
  }

  /** AttachVolume: the volume joins the instance's attachments. */
  attach(volume: SimVolume, attachment: SimVolumeAttachment): void {
    volume.attachment = attachment;
    this.attachments(attachment.instanceId).add(volume);
  }

  /** DetachVolume (or the end of it): the volume leaves the instance. */
  detach(volume: SimVolume): void {
    if (volume.attachment) this.byInstance.get(volume.attachment.instanceId)?.delete(volume);
    volume.attachment = undefined;
  }

  /** Every volume's device name on the instance (for AttachVolume's "already in use"). */
  devicesOf(instance: SimInstance): Set<string | undefined> {
    return new Set(this.attachedTo(instance).map((v) => v.attachment?.device));
  }

  delete(region: string, id: string): void {
    const volume = this.in(region).get(id);
    if (volume?.attachment) this.byInstance.get(volume.attachment.instanceId)?.delete(volume);
    this.in(region).delete(id);
  }

  /** The instance's volumes in attachment order (root first). */
  attachedTo(instance: SimInstance): SimVolume[] {
    return [...(this.byInstance.get(instance.id) ?? [])];
  }

  /** EC2 deletes an instance's delete-on-termination volumes with it and detaches the others. */
  onTerminated(instance: SimInstance): void {
    for (const volume of this.attachedTo(instance)) {
      if (volume.attachment?.deleteOnTermination) this.in(instance.region).delete(volume.id);
      else volume.attachment = undefined;
    }
    this.byInstance.delete(instance.id);
  }

  private freeDevice(instance: SimInstance): string {
    const used = new Set(this.attachedTo(instance).map((v) => v.attachment?.device));
    for (const letter of 'fghijklmnop') if (!used.has(`/dev/sd${letter}`)) return `/dev/sd${letter}`;
    throw new Error(`no free device name on ${instance.id}`);
  }
}

export const VOLUME_ACTIONS = {
  DescribeVolumes: describeVolumes,
  CreateVolume: createVolume,
  DeleteVolume: deleteVolume,
} as const;

function volumeFields(ctx: Ec2ActionContext, v: SimVolume): string[] {
  return [
    text('volumeId', v.id),
    text('size', v.size),
    text('snapshotId', v.snapshotId),
    text('availabilityZone', v.availabilityZone),
    text('status', ctx.world.volumes.stateOf(v)),
    text('createTime', v.createTime.toISOString()),
  ];
}

function volumeTail(v: SimVolume): string[] {
  return [
    tagSetXml(v.tags),
    text('volumeType', v.type),
    optText('iops', v.iops),
    optText('throughput', v.throughput),
    text('encrypted', v.encrypted),
    text('multiAttachEnabled', false),
  ];
}

function volumeXml(ctx: Ec2ActionContext, v: SimVolume): string {
  const attachments = v.attachment === undefined ? [] : [v.attachment];
  return [
    ...volumeFields(ctx, v),
    items('attachmentSet', attachments, (a) =>
      text('volumeId', v.id) +
      text('instanceId', a.instanceId) +
      text('device', a.device) +
      text('status', 'attached') +
      text('attachTime', a.attachTime.toISOString()) +
      text('deleteOnTermination', a.deleteOnTermination),
    ),
    ...volumeTail(v),
  ].join('');
}

/** Malformed ids first, then the first unknown one, as EC2 reports them. */
export function resolveVolumes(ctx: Ec2ActionContext, ids: string[]): SimVolume[] {
  const malformed = ids.find((id) => !isWellFormedId('vol', id));
  if (malformed !== undefined) throw new SimError('InvalidVolumeID.Malformed', `Invalid id: "${malformed}" (expecting "vol-...")`);
  return ids.map((id) => {
    const volume = ctx.world.volumes.get(ctx.region, id);
    if (!volume) throw new SimError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
    return volume;
  });
}

/** DescribeVolumes: VolumeId.N, Filter.N, MaxResults (5–500) and NextToken. */
function describeVolumes(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  // Reading the instances applies due transitions, so terminated instances' volumes are already gone.
  store.list(region);
  const ids = [...new Set(params.list('VolumeId'))];
  const wanted = ids.length > 0 ? resolveVolumes(ctx, ids) : undefined;
  const filters = params.filters();
  const predicate = compileFilters<SimVolume>(
    filters,
    {
      'volume-id': (v) => [v.id],
      status: (v) => [world.volumes.stateOf(v)],
      'attachment.instance-id': (v) => [v.attachment?.instanceId],
      'attachment.device': (v) => [v.attachment?.device],
      'attachment.status': (v) => [v.attachment ? 'attached' : undefined],
      'attachment.delete-on-termination': (v) => [v.attachment ? String(v.attachment.deleteOnTermination) : undefined],
      'attachment.attach-time': (v) => [v.attachment?.attachTime.toISOString()],
      'availability-zone': (v) => [v.availabilityZone],
      'create-time': (v) => [v.createTime.toISOString()],
      encrypted: (v) => [String(v.encrypted)],
      'multi-attach-enabled': () => ['false'],
      size: (v) => [String(v.size)],
      'snapshot-id': (v) => [v.snapshotId],
      'volume-type': (v) => [v.type],
    },
    (v) => v.tags,
  );
  const paging = ec2Paging(params, { min: 5, max: 500, query: [region, ids, filters], ids: { given: ids.length > 0, name: 'volumeSet' } });
  checkDryRun(params);
  const matching = (wanted ?? [...world.volumes.in(region).values()]).filter(predicate);
  const { page, next } = pageOf(matching, paging.offset, paging.size, paging.fingerprint);
  return items('volumeSet', page, (v) => volumeXml(ctx, v)) + optText('nextToken', next);
}

export function positiveInt(ctx: Ec2ActionContext, name: string): number | undefined {
  const raw = ctx.params.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new SimError('InvalidParameterValue', `Value (${raw}) for parameter ${name.charAt(0).toLowerCase()}${name.slice(1)} is invalid.`);
  return n;
}

/** CreateVolume: an empty or snapshot-based volume in one AZ, `creating` for a moment, then `available`. */
function createVolume(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const az = params.get('AvailabilityZone');
  if (az === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter AvailabilityZone');
  if (!world.network.availabilityZones(region).includes(az)) throw new SimError('InvalidParameterValue', `Invalid availability zone: [${az}]`);
  const type = params.get('VolumeType') ?? 'gp2';
  if (!VOLUME_TYPES.includes(type)) throw new SimError('InvalidParameterValue', `Value (${type}) for parameter volumeType is invalid. Valid values: ${VOLUME_TYPES.join(', ')}`);
  const snapshotId = params.get('SnapshotId');
  const snapshot = snapshotId === undefined ? undefined : world.snapshots.get(region, snapshotId);
  if (snapshotId !== undefined && !snapshot) throw new SimError('InvalidSnapshot.NotFound', `The snapshot '${snapshotId}' does not exist.`);
  const requested = positiveInt(ctx, 'Size');
  if (requested === undefined && !snapshot) throw new SimError('MissingParameter', 'The request must contain the parameter size or snapshotId');
  const size = requested ?? snapshot?.volumeSize ?? 0;
  const [min, max] = SIZE_RANGE[type] ?? [1, 16384];
  if (size < min || size > max) throw new SimError('InvalidParameterValue', `Volume size ${size} is invalid for ${type} volumes. Valid range: ${min}-${max} GiB.`);
  if (snapshot && size < snapshot.volumeSize) {
    throw new SimError('InvalidParameterValue', `Volume of ${size}GiB is too small; minimum is ${snapshot.volumeSize}GiB.`);
  }
  const iops = positiveInt(ctx, 'Iops');
  if ((type === 'io1' || type === 'io2') && iops === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter iops');
  const throughput = positiveInt(ctx, 'Throughput');
  if (throughput !== undefined && type !== 'gp3') throw new SimError('InvalidParameterCombination', `The parameter throughput is not supported for ${type} volumes.`);
  const tagSpecs = parseTagSpecifications(params, ['volume']);
  if (tagSpecs.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  checkDryRun(params);
  const volume = world.volumes.add(
    region,
    {
      availabilityZone: az,
      size,
      type,
      ...(iops === undefined ? {} : { iops }),
      ...(throughput === undefined ? {} : { throughput }),
      ...(snapshotId === undefined ? {} : { snapshotId }),
      encrypted: params.bool('Encrypted') || (snapshot?.encrypted ?? false),
      tags: Object.fromEntries(tagSpecs.get('volume') ?? []),
    },
    { creating: true },
  );
  return [...volumeFields(ctx, volume), ...volumeTail(volume)].join('');
}

function deleteVolume(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const id = params.get('VolumeId');
  if (id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter VolumeId');
  store.list(region);
  const [volume] = resolveVolumes(ctx, [id]);
  if (volume?.attachment) throw new SimError('VolumeInUse', `Volume ${volume.id} is currently attached to ${volume.attachment.instanceId}`);
  checkDryRun(params);
  world.volumes.delete(region, id);
  return text('return', true);
}

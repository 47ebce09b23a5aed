import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedId, resourceId } from './ids';
import { checkDryRun } from './network-actions';
import { ec2Paging, pageOf } from './page-token';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { tagSetXml } from './tags';
import { items, optText, text } from './xml';

/** One EBS snapshot the account owns. */
export interface SimSnapshot {
  readonly id: string;
  readonly region: string;
  /** The volume it was taken from; usually long deleted (EC2 keeps the id). */
  readonly volumeId: string;
  readonly volumeSize: number;
  readonly description: string;
  readonly startTime: Date;
  readonly ownerId: string;
  readonly encrypted: boolean;
  readonly storageTier: 'standard' | 'archive';
  /** `pending` until `completeAt`, then `completed` (settled whenever the store is read). */
  state: 'pending' | 'completed' | 'error';
  /** Epoch ms when a pending snapshot completes; its progress runs from startTime to here. */
  readonly completeAt: number;
  /** Accounts that may create volumes from it (ModifySnapshotAttribute createVolumePermission). */
  readonly createVolumePermissions: Set<string>;
  /** The `all` group: anyone may create volumes from it. */
  isPublic: boolean;
  readonly tags: Map<string, string>;
}

/** What a test may pin when seeding a snapshot (`sim.seed.snapshot`). */
export interface SimSnapshotInput {
  id?: string;
  /** Default: a fresh id of a volume that no longer exists. */
  volumeId?: string;
  /** GiB; default the volume's size if it exists, else 8. */
  volumeSize?: number;
  description?: string;
  startTime?: Date | string;
  encrypted?: boolean;
  storageTier?: 'standard' | 'archive';
  state?: SimSnapshot['state'];
  tags?: Record<string, string>;
}

/** Every region's snapshots owned by the simulated account, in creation order. */
export class SnapshotStore {
  private readonly byRegion = new Map<string, Map<string, SimSnapshot>>();

  constructor(
    private readonly accountId: string,
    /** How long CreateSnapshot / CopySnapshot / CreateImage snapshots stay `pending`. */
    private readonly durationMs: () => number = () => 0,
    private readonly now: () => number = Date.now,
  ) {}

  /** The region's snapshots, pending ones that are due settled to `completed`. */
  in(region: string): Map<string, SimSnapshot> {
    let map = this.byRegion.get(region);
    if (!map) {
      map = new Map();
      this.byRegion.set(region, map);
    }
    const now = this.now();
    for (const s of map.values()) if (s.state === 'pending' && s.completeAt <= now) s.state = 'completed';
    return map;
  }

  get(region: string, id: string): SimSnapshot | undefined {
    return this.in(region).get(id);
  }

  /** 0–100, as DescribeSnapshots' `progress` says it: a pending snapshot's share of its time so far (below 100). */
  progressOf(s: SimSnapshot): number {
    if (s.state !== 'pending') return s.state === 'completed' ? 100 : 0;
    const total = s.completeAt - s.startTime.getTime();
    if (total <= 0) return 99;
    return Math.max(0, Math.min(99, Math.floor(((this.now() - s.startTime.getTime()) / total) * 100)));
  }

  /** A snapshot the API makes (CreateSnapshot, CopySnapshot, CreateImage): `pending` for the store's duration. */
  start(region: string, input: Omit<SimSnapshotInput, 'state' | 'startTime'> & { volumeSize: number }): SimSnapshot {
    const now = this.now();
    return this.add(region, { ...input, startTime: new Date(now), state: 'pending' }, now + this.durationMs());
  }

  add(region: string, input: SimSnapshotInput & { volumeSize: number }, completeAt = 0): SimSnapshot {
    const id = input.id ?? resourceId('snap');
    if (this.in(region).has(id)) throw new Error(`snapshot ${id} already exists in ${region}`);
    const snapshot: SimSnapshot = {
      id,
      region,
      volumeId: input.volumeId ?? resourceId('vol'),
      volumeSize: input.volumeSize,
      description: input.description ?? '',
      startTime: input.startTime === undefined ? new Date() : new Date(input.startTime),
      ownerId: this.accountId,
      encrypted: input.encrypted ?? false,
      storageTier: input.storageTier ?? 'standard',
      state: input.state ?? 'completed',
      completeAt,
      createVolumePermissions: new Set(),
      isPublic: false,
      tags: new Map(Object.entries(input.tags ?? {})),
    };
    this.in(region).set(id, snapshot);
    return snapshot;
  }

  delete(region: string, id: string): void {
    this.in(region).delete(id);
  }
}

export const SNAPSHOT_ACTIONS = {
  DescribeSnapshots: describeSnapshots,
  DeleteSnapshot: deleteSnapshot,
} as const;

const OWNER_ALIASES = ['amazon', 'aws-marketplace', 'aws-backup-vault', 'self'];

export function snapshotXml(s: SimSnapshot, progress: number): string {
  return [
    text('snapshotId', s.id),
    text('volumeId', s.volumeId),
    text('status', s.state),
    text('startTime', s.startTime.toISOString()),
    text('progress', `${progress}%`),
    text('ownerId', s.ownerId),
    text('volumeSize', s.volumeSize),
    text('description', s.description),
    text('encrypted', s.encrypted),
    tagSetXml(s.tags),
    text('storageTier', s.storageTier),
  ].join('');
}

/**
 * DescribeSnapshots: Owner.N (self / account id / alias), RestorableBy.N, SnapshotId.N, Filter.N, MaxResults
 * (5–1000) and NextToken. Only the account's own snapshots exist here, so other owners match nothing.
 */
function describeSnapshots(ctx: Ec2ActionContext): string {
  const { params, region, world, accountId } = ctx;
  const ids = [...new Set(params.list('SnapshotId'))];
  const malformed = ids.find((id) => !isWellFormedId('snap', id));
  if (malformed !== undefined) throw new SimError('InvalidSnapshotID.Malformed', `Invalid id: "${malformed}" (expecting "snap-...")`);
  const missing = ids.find((id) => !world.snapshots.get(region, id));
  if (missing !== undefined) throw new SimError('InvalidSnapshot.NotFound', `The snapshot '${missing}' does not exist.`);
  const owners = params.list('Owner');
  const badOwner = owners.find((o) => !OWNER_ALIASES.includes(o) && !/^\d{12}$/.test(o));
  if (badOwner !== undefined) throw new SimError('InvalidUserID.Malformed', `Invalid user id: "${badOwner}"`);
  const restorableBy = params.list('RestorableBy');
  const filters = params.filters();
  const predicate = compileFilters<SimSnapshot>(
    filters,
    {
      'snapshot-id': (s) => [s.id],
      'volume-id': (s) => [s.volumeId],
      'volume-size': (s) => [String(s.volumeSize)],
      status: (s) => [s.state],
      'owner-id': (s) => [s.ownerId],
      'owner-alias': () => [],
      description: (s) => [s.description],
      progress: (s) => [`${world.snapshots.progressOf(s)}%`],
      'start-time': (s) => [s.startTime.toISOString()],
      encrypted: (s) => [String(s.encrypted)],
      'storage-tier': (s) => [s.storageTier],
    },
    (s) => s.tags,
  );
  const paging = ec2Paging(params, { min: 5, max: 1000, query: [region, ids, owners, restorableBy, filters], ids: { given: ids.length > 0, name: 'snapshotSet' } });
  checkDryRun(params);
  const ownerMatches = (s: SimSnapshot): boolean => owners.length === 0 || owners.some((o) => o === 'self' || o === s.ownerId);
  // The owner may always create volumes from its own snapshots; other accounts those shared with them or public ("all").
  const restorable = (s: SimSnapshot): boolean =>
    restorableBy.length === 0 ||
    restorableBy.some((r) => r === 'self' || r === accountId || r === s.ownerId || (r === 'all' ? s.isPublic : s.isPublic || s.createVolumePermissions.has(r)));
  const pool = ids.length > 0 ? ids.flatMap((id) => world.snapshots.get(region, id) ?? []) : [...world.snapshots.in(region).values()];
  const matching = pool.filter((s) => ownerMatches(s) && restorable(s) && predicate(s));
  const { page, next } = pageOf(matching, paging.offset, paging.size, paging.fingerprint);
  return items('snapshotSet', page, (s) => snapshotXml(s, world.snapshots.progressOf(s))) + optText('nextToken', next);
}

/** DeleteSnapshot refuses a snapshot a registered AMI still uses, naming the AMI, as EC2 does. */
function deleteSnapshot(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const id = params.get('SnapshotId');
  if (id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter SnapshotId');
  if (!isWellFormedId('snap', id)) throw new SimError('InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`);
  if (!world.snapshots.get(region, id)) throw new SimError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  const user = world.images.all(region).find((i) => i.blockDeviceMappings.some((b) => b.snapshotId === id));
  if (user) throw new SimError('InvalidSnapshot.InUse', `The snapshot ${id} is currently in use by ${user.id}`);
  checkDryRun(params);
  world.snapshots.delete(region, id);
  return text('return', true);
}

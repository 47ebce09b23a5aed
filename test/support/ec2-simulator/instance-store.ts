import { resourceId } from './ids';
import { instanceSnapshot } from './instance-snapshot';
import { SimError } from './sim-error';
import type { InstanceStateName, SimInstanceInput, SimInstanceSnapshot, SimSpotOptions, StateTimings } from './types';

export const STATE_CODES: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface SimInstance {
  readonly id: string;
  readonly region: string;
  /** Insertion order: the stable sort key that pagination cursors point into. */
  readonly seq: number;
  readonly reservationId: string;
  readonly imageId: string;
  instanceType: string;
  readonly keyName: string | undefined;
  readonly availabilityZone: string;
  privateIp: string | undefined;
  ipv6Address?: string | undefined;
  publicIp: string | undefined;
  readonly wantsPublicIp: boolean;
  readonly architecture: string;
  readonly platformDetails: string;
  launchTime: Date;
  disableApiTermination: boolean;
  /** The AMI has the ENA driver (EnaSupport): Nitro types need it. */
  readonly enaSupport: boolean;
  /** HibernationOptions.Configured: fixed at launch, as on EC2. */
  readonly hibernationConfigured: boolean;
  readonly tags: Map<string, string>;
  state: InstanceStateName;
  stateReason: { code: string; message: string } | undefined;
  stateTransitionReason: string;
  /** The timed transition out of a transient state. */
  next: { state: InstanceStateName; at: number } | undefined;
  /** When a terminated instance disappears from DescribeInstances. */
  removeAt: number | undefined;
  readonly vpcId: string;
  readonly subnetId: string;
  /** The first of `securityGroups` (kept for older callers). */
  readonly securityGroupId: string;
  readonly securityGroups: readonly { readonly id: string; readonly name: string }[];
  readonly volumeId: string;
  readonly rootDeviceName: string;
  readonly rootDeviceType: 'ebs' | 'instance-store';
  instanceInitiatedShutdownBehavior: 'stop' | 'terminate';
  readonly rootVolume: SimRootVolume;
  readonly networkInterfaceId: string;
  readonly macAddress: string;
  readonly userData: string | undefined;
  readonly instanceLifecycle: 'spot' | undefined;
  readonly spotInstanceRequestId: string | undefined;
  /** A spot instance's request: one-time (terminate) unless RunInstances asked for more. */
  readonly spotOptions: SimSpotOptions | undefined;
  /** CancelSpotInstanceRequests closed this spot instance's request (the instance itself runs on). */
  spotRequestCancelled: boolean;
  readonly amiLaunchIndex: number;
  readonly placementGroup?: string | undefined;
  readonly iamInstanceProfile?: { arn: string; id: string } | undefined;
  readonly clientToken: string;
  /** The address a launch hook gave the instance (a loopback sshd): reused on every start. */
  fixedPublicIp: string | undefined;
  /** A launch hook is still booting the instance: it stays `pending` (and without public address) until then. */
  bootBlocked: boolean;
  /** A launch hook is still shutting the instance down: it stays `stopping` / `shutting-down` until then. */
  haltBlocked: boolean;
  /** Whether launch hooks (e.g. the per-instance sshd) manage this instance. */
  readonly hooked: boolean;
  /** An associated Elastic IP: it is the public address and survives stop/start. */
  elasticIp: string | undefined;
  /** When the instance last went down (stopping / shutting-down): its metrics end there. */
  haltedAt: number | undefined;
}

/** What the rest of the simulated account hears about instances (volumes, addresses). */
export interface InstanceListener {
  /** A new instance, before it enters its first state (so a seeded `terminated` one is also `terminated`). */
  added(instance: SimInstance): void;
  terminated(instance: SimInstance): void;
}

export interface SimRootVolume {
  readonly id: string;
  readonly size: number;
  readonly type: string;
  /** ModifyInstanceAttribute's BlockDeviceMapping changes it. */
  deleteOnTermination: boolean;
  readonly tags: Map<string, string>;
}

export interface StateChange {
  instanceId: string;
  previous: InstanceStateName;
  current: InstanceStateName;
}

const USER_SHUTDOWN = {
  code: 'Client.UserInitiatedShutdown',
  message: 'Client.UserInitiatedShutdown: User initiated shutdown',
};
const INSTANCE_SHUTDOWN = {
  code: 'Client.InstanceInitiatedShutdown',
  message: 'Client.InstanceInitiatedShutdown: Instance initiated shutdown',
};
const USER_HIBERNATE = {
  code: 'Client.UserInitiatedHibernate',
  message: 'Client.UserInitiatedHibernate: User initiated hibernate',
};

/**
 * All simulated instances and their state machine. Transitions are evaluated lazily against the clock on
 * every read instead of with timers, so nothing keeps the event loop alive and reads are always current.
 */
export class InstanceStore {
  private readonly byId = new Map<string, SimInstance>();
  /**
   * Each region's instances in ascending `seq` (insertion) order, so that a page of DescribeInstances is a
   * binary search plus a walk of at most one page, never a scan of every instance in every region.
   * Expired instances are dropped lazily; `dead` counts them so a region's array is compacted in bulk.
   */
  private readonly byRegion = new Map<string, { list: SimInstance[]; dead: number }>();
  private seq = 0;
  private addressCounter = 10;
  private readonly network = { vpcId: resourceId('vpc'), securityGroupId: resourceId('sg') };
  private readonly subnets = new Map<string, string>();
  /** GetConsoleOutput text per instance id, set by tests. */
  readonly consoleOutputs = new Map<string, string>();
  /** DescribeImages names per image id, set by tests. */
  readonly imageNames = new Map<string, string>();
  listener: InstanceListener | undefined;

  constructor(
    readonly timings: StateTimings,
    private readonly now: () => number = Date.now,
  ) {}

  add(region: string, input: SimInstanceInput = {}): string {
    const id = input.id ?? resourceId('i');
    if (this.byId.has(id)) throw new Error(`instance ${id} already exists`);
    const az = input.availabilityZone ?? `${region}a`;
    const tags = new Map<string, string>();
    if (input.name !== undefined) tags.set('Name', input.name);
    for (const [k, v] of Object.entries(input.tags ?? {})) tags.set(k, v);
    const n = this.addressCounter++;
    const launch = input.launchTime === undefined ? new Date(this.now()) : new Date(input.launchTime);
    const volumeId = resourceId('vol');
    const instance: SimInstance = {
      id,
      region,
      seq: this.seq++,
      reservationId: input.reservationId ?? resourceId('r'),
      imageId: input.imageId ?? 'ami-0c1a7f89451184c8b',
      instanceType: input.instanceType ?? 't3.micro',
      keyName: input.keyName === null ? undefined : (input.keyName ?? 'hangar-test'),
      availabilityZone: az,
      privateIp: input.privateIp ?? `172.31.${16 + ((n >> 8) % 224)}.${(n % 254) + 1}`,
      publicIp: typeof input.publicIp === 'string' ? input.publicIp : undefined,
      ipv6Address: input.ipv6Address,
      wantsPublicIp: input.publicIp !== null,
      architecture: input.architecture ?? 'x86_64',
      platformDetails: input.platformDetails ?? 'Linux/UNIX',
      // EC2 reports launch times to the second.
      launchTime: new Date(Math.floor(launch.getTime() / 1000) * 1000),
      disableApiTermination: input.disableApiTermination ?? false,
      enaSupport: input.enaSupport ?? true,
      hibernationConfigured: input.hibernationConfigured ?? false,
      tags,
      state: 'running',
      stateReason: undefined,
      stateTransitionReason: '',
      next: undefined,
      removeAt: undefined,
      vpcId: input.vpcId ?? this.network.vpcId,
      subnetId: input.subnetId ?? this.subnetFor(az),
      securityGroupId: input.securityGroups?.[0]?.id ?? this.network.securityGroupId,
      securityGroups: input.securityGroups ?? [{ id: this.network.securityGroupId, name: 'default' }],
      volumeId,
      rootDeviceName: input.rootDeviceName ?? '/dev/xvda',
      rootDeviceType: input.rootDeviceType ?? 'ebs',
      instanceInitiatedShutdownBehavior: input.instanceInitiatedShutdownBehavior ?? 'stop',
      rootVolume: {
        id: volumeId,
        size: input.rootVolume?.size ?? 8,
        type: input.rootVolume?.type ?? 'gp3',
        deleteOnTermination: input.rootVolume?.deleteOnTermination ?? true,
        tags: new Map(Object.entries(input.rootVolume?.tags ?? {})),
      },
      networkInterfaceId: resourceId('eni'),
      macAddress: macFor(n),
      userData: input.userData,
      instanceLifecycle: input.instanceLifecycle,
      spotInstanceRequestId: input.instanceLifecycle === 'spot' ? `sir-${resourceId('i').slice(2, 10)}` : undefined,
      spotOptions: input.instanceLifecycle === 'spot' ? (input.spotOptions ?? { type: 'one-time', interruptionBehavior: 'terminate' }) : undefined,
      spotRequestCancelled: false,
      amiLaunchIndex: input.amiLaunchIndex ?? 0,
      placementGroup: input.placementGroup,
      iamInstanceProfile: input.iamInstanceProfile,
      clientToken: input.clientToken ?? '',
      fixedPublicIp: undefined,
      bootBlocked: input.awaitBoot ?? false,
      haltBlocked: false,
      hooked: input.awaitBoot ?? false,
      elasticIp: undefined,
      haltedAt: undefined,
    };
    this.byId.set(id, instance);
    let bucket = this.byRegion.get(region);
    if (!bucket) {
      bucket = { list: [], dead: 0 };
      this.byRegion.set(region, bucket);
    }
    bucket.list.push(instance);
    this.listener?.added(instance);
    this.enter(instance, input.state ?? 'running', this.now(), { keepLaunchTime: true });
    return id;
  }

  get(id: string): SimInstance | undefined {
    const instance = this.byId.get(id);
    if (instance && !this.advance(instance)) return undefined;
    return instance;
  }

  /** Live instances of a region, in launch order. */
  list(region: string): SimInstance[] {
    return [...this.scan(region, -1)];
  }

  /** Live instances of a region with `seq` greater than `afterSeq`, in order, found by binary search. */
  *scan(region: string, afterSeq: number): Generator<SimInstance> {
    const bucket = this.byRegion.get(region);
    if (!bucket) return;
    const { list } = bucket;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid]?.seq ?? Number.POSITIVE_INFINITY) <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    // Compaction replaces `bucket.list` with a new array and never mutates this one, so walking the
    // captured array stays correct even when advancing an instance below expires and compacts it.
    for (let k = lo; k < list.length; k++) {
      const instance = list[k];
      if (instance && this.advance(instance)) yield instance;
    }
  }

  setState(id: string, state: InstanceStateName): void {
    const instance = this.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    this.enter(instance, state, this.now(), { keepLaunchTime: false });
  }

  /**
   * The operating system shut itself down (`shutdown -h now`, as the idle watcher does): the instance stops,
   * or is terminated when its instanceInitiatedShutdownBehavior says so (instance-store roots always are).
   */
  shutdownFromInside(id: string): StateChange {
    const instance = this.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    if (instance.state !== 'running') throw new Error(`${id} is ${instance.state}; only a running system can shut itself down`);
    const stops = instance.rootDeviceType === 'ebs' && instance.instanceInitiatedShutdownBehavior === 'stop';
    instance.stateReason = INSTANCE_SHUTDOWN;
    const stamp = new Date(this.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
    instance.stateTransitionReason = `Instance initiated shutdown (${stamp})`;
    return this.change(instance, stops ? 'stopping' : 'shutting-down');
  }

  snapshot(id: string): SimInstanceSnapshot | undefined {
    const i = this.get(id);
    return i === undefined ? undefined : instanceSnapshot(i);
  }

  /**
   * Associates (or, with undefined, disassociates) an Elastic IP. Without one, a running instance that wants a
   * public address gets a fresh auto-assigned one, as EC2 does after DisassociateAddress.
   */
  setElasticIp(instance: SimInstance, ip: string | undefined): void {
    instance.elasticIp = ip;
    instance.publicIp = ip;
    if (ip === undefined && (instance.state === 'pending' || instance.state === 'running')) this.assignPublicIp(instance);
  }

  /** StartInstances: all-or-nothing, as EC2 refuses the whole call when one instance cannot start. */
  start(instances: SimInstance[]): StateChange[] {
    for (const i of instances) {
      if (i.state === 'stopping' || i.state === 'shutting-down' || i.state === 'terminated') {
        throw new SimError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be started.`);
      }
    }
    return instances.map((i) => this.change(i, i.state === 'stopped' ? 'pending' : undefined));
  }

  /**
   * StopInstances, optionally with Hibernate=true. Like EC2, one instance that cannot comply fails the whole
   * call, and hibernation must have been configured at launch.
   */
  stop(instances: SimInstance[], opts: { hibernate?: boolean } = {}): StateChange[] {
    for (const i of instances) {
      if (i.state === 'shutting-down' || i.state === 'terminated') {
        throw new SimError('IncorrectInstanceState', `This instance '${i.id}' is not in a state from which it can be stopped.`);
      }
      if (i.rootDeviceType !== 'ebs') {
        throw new SimError('UnsupportedOperation', `The instance '${i.id}' does not have an 'ebs' root device type and cannot be stopped.`);
      }
      // Only a persistent request can bring a stopped spot instance back, so EC2 refuses to stop the others.
      if (i.spotOptions !== undefined && i.spotOptions.type === 'one-time') {
        throw new SimError(
          'UnsupportedOperation',
          `You can't stop the Spot Instance '${i.id}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.`,
        );
      }
    }
    if (opts.hibernate) {
      const unconfigured = instances.filter((i) => !i.hibernationConfigured && (i.state === 'running' || i.state === 'pending'));
      if (unconfigured.length > 0) {
        throw new SimError(
          'UnsupportedHibernationConfiguration',
          `The instance can't be hibernated because it was not configured at launch for hibernation: ${unconfigured.map((i) => i.id).join(', ')}`,
        );
      }
      const pending = instances.find((i) => i.state === 'pending');
      if (pending) {
        throw new SimError('IncorrectInstanceState', `The instance '${pending.id}' is not in a state from which it can be hibernated.`);
      }
    }
    return instances.map((i) => {
      const change = this.change(i, i.state === 'running' || i.state === 'pending' ? 'stopping' : undefined);
      if (opts.hibernate && change.previous !== change.current) i.stateReason = USER_HIBERNATE;
      return change;
    });
  }

  reboot(instances: SimInstance[]): void {
    for (const i of instances) {
      if (i.state !== 'running') {
        throw new SimError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be rebooted.`);
      }
    }
  }

  terminate(instances: SimInstance[]): StateChange[] {
    for (const i of instances) {
      if (i.disableApiTermination && i.state !== 'terminated') {
        throw new SimError(
          'OperationNotPermitted',
          `The instance '${i.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
        );
      }
    }
    return instances.map((i) =>
      this.change(i, i.state === 'terminated' || i.state === 'shutting-down' ? undefined : 'shutting-down'),
    );
  }

  private change(instance: SimInstance, to: InstanceStateName | undefined): StateChange {
    const previous = instance.state;
    if (to !== undefined) this.enter(instance, to, this.now(), { keepLaunchTime: false });
    return { instanceId: instance.id, previous, current: instance.state };
  }

  /** Applies due transitions; false when the instance has expired and was removed. */
  private advance(instance: SimInstance): boolean {
    const now = this.now();
    while (instance.next && instance.next.at <= now) {
      // A booting instance stays pending until its launch hook says it is up (its sshd answers).
      if (instance.next.state === 'running' && instance.bootBlocked) break;
      if ((instance.next.state === 'stopped' || instance.next.state === 'terminated') && instance.haltBlocked) break;
      const { state, at } = instance.next;
      this.enter(instance, state, at, { keepLaunchTime: true });
    }
    if (instance.removeAt !== undefined && instance.removeAt <= now) {
      this.remove(instance);
      return false;
    }
    return true;
  }

  private remove(instance: SimInstance): void {
    if (!this.byId.delete(instance.id)) return;
    const bucket = this.byRegion.get(instance.region);
    if (!bucket) return;
    bucket.dead++;
    // Compact in bulk so that forgetting n instances costs O(n) overall, not O(n) each.
    if (bucket.dead > 64 && bucket.dead * 2 > bucket.list.length) {
      bucket.list = bucket.list.filter((i) => this.byId.get(i.id) === i);
      bucket.dead = 0;
    }
  }

  private enter(instance: SimInstance, state: InstanceStateName, at: number, opts: { keepLaunchTime: boolean }): void {
    const t = this.timings;
    instance.state = state;
    instance.next = undefined;
    instance.removeAt = undefined;
    switch (state) {
      case 'pending':
        instance.next = { state: 'running', at: at + t.pendingMs };
        instance.stateReason = { code: 'pending', message: 'pending' };
        instance.stateTransitionReason = '';
        // A start is a new launch as far as EC2's LaunchTime is concerned.
        if (!opts.keepLaunchTime) instance.launchTime = new Date(Math.floor(at / 1000) * 1000);
        instance.haltedAt = undefined;
        this.assignPublicIp(instance);
        break;
      case 'running':
        instance.haltedAt = undefined;
        instance.stateReason = undefined;
        instance.stateTransitionReason = '';
        this.assignPublicIp(instance);
        break;
      case 'stopping':
        instance.haltedAt ??= at;
        instance.next = { state: 'stopped', at: at + t.stoppingMs };
        if (instance.stateReason !== USER_HIBERNATE) this.markUserShutdown(instance, at);
        break;
      case 'stopped':
        if (instance.stateReason !== USER_HIBERNATE) this.markUserShutdown(instance, at);
        instance.haltedAt ??= at;
        // Without an Elastic IP the public address is released on stop.
        instance.publicIp = instance.elasticIp;
        break;
      case 'shutting-down':
        instance.haltedAt ??= at;
        instance.next = { state: 'terminated', at: at + t.shuttingDownMs };
        this.markUserShutdown(instance, at);
        break;
      case 'terminated':
        this.markUserShutdown(instance, at);
        instance.publicIp = undefined;
        instance.privateIp = undefined;
        instance.removeAt = at + t.terminatedRetentionMs;
        instance.haltedAt ??= at;
        this.listener?.terminated(instance);
        instance.elasticIp = undefined;
        break;
    }
  }

  private markUserShutdown(instance: SimInstance, at: number): void {
    // The system shut itself down: EC2 keeps saying so through stopped / terminated.
    if (instance.stateReason === INSTANCE_SHUTDOWN) return;
    instance.stateReason = USER_SHUTDOWN;
    if (instance.stateTransitionReason === '') {
      const stamp = new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
      instance.stateTransitionReason = `User initiated (${stamp})`;
    }
  }

  private assignPublicIp(instance: SimInstance): void {
    if (instance.elasticIp !== undefined) {
      instance.publicIp = instance.elasticIp;
      return;
    }
    if (!instance.wantsPublicIp || instance.publicIp !== undefined) return;
    if (instance.fixedPublicIp !== undefined) {
      instance.publicIp = instance.fixedPublicIp;
      return;
    }
    // A hooked instance gets its address from the hook once it has booted.
    if (instance.hooked) return;
    const n = this.addressCounter++;
    instance.publicIp = `54.${160 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
  }

  private subnetFor(az: string): string {
    let subnet = this.subnets.get(az);
    if (!subnet) {
      subnet = resourceId('subnet');
      this.subnets.set(az, subnet);
    }
    return subnet;
  }
}

function macFor(n: number): string {
  const hex = n.toString(16).padStart(6, '0').slice(-6);
  return `0a:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:5e:01`;
}

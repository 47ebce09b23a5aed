import type { SimWorld } from './ec2-actions';
import { newImageId, type SimImageInput } from './images';
import type { InstanceStore } from './instance-store';
import { spotRequestFrom } from './spot-requests';
import type { Ec2Simulator, SimRegion } from './types';

type CostControls = Pick<
  Ec2Simulator,
  'seed' | 'volume' | 'snapshot' | 'address' | 'alarm' | 'alarmActions' | 'prices' | 'setPrices' | 'setCostAndUsage' | 'setBudgetSpend' | 'setMetrics' | 'evaluateAlarms' | 'addImage'
>;

/**
 * The simulator handle's seeding and inspection for the costs ledger and idle auto-stop: resources that cost
 * money while idle (volumes, snapshots, AMIs, Elastic IPs, Spot requests), prices, billed costs, budget spend,
 * and CloudWatch metrics and alarm evaluation.
 */
export function costControls(deps: {
  world: SimWorld;
  store: InstanceStore;
  regions: readonly SimRegion[];
  accountId: string;
  addInstance: Ec2Simulator['addInstance'];
}): CostControls {
  const { world, store, regions, accountId } = deps;
  const known = (region: string): void => {
    if (!regions.some((r) => r.name === region)) throw new Error(`unknown region ${region}`);
  };
  const instanceIn = (region: string, id: string) => {
    const instance = store.get(id);
    if (!instance || instance.region !== region) throw new Error(`no instance ${id} in ${region}`);
    return instance;
  };

  /** An AMI; for the account's own, the snapshots behind its mappings are created too (or named ones reused). */
  const addImage = (region: string, input: SimImageInput): string => {
    known(region);
    if ((input.ownerId ?? accountId) !== accountId) return world.images.add(region, input);
    const id = input.id ?? newImageId(region, input.name);
    const root = input.rootDeviceName ?? '/dev/xvda';
    const created = input.creationDate ?? new Date();
    const mappings = (input.blockDeviceMappings ?? [{ deviceName: root, volumeSize: input.volumeSize ?? 8, volumeType: input.volumeType ?? 'gp3' }]).map((m) => {
      const volumeSize = m.volumeSize ?? input.volumeSize ?? 8;
      if (m.snapshotId !== undefined && world.snapshots.get(region, m.snapshotId)) return { ...m, volumeSize };
      const snapshot = world.snapshots.add(region, {
        ...(m.snapshotId === undefined ? {} : { id: m.snapshotId }),
        volumeSize,
        description: `Created by CreateImage(i-0${id.slice(5, 21)}) for ${id}`,
        startTime: created,
      });
      return { ...m, volumeSize, snapshotId: snapshot.id };
    });
    return world.images.add(region, { ...input, id, blockDeviceMappings: mappings });
  };

  return {
    addImage,
    seed: {
      instance: (region, input) => deps.addInstance(region, input),
      volume: (region, input = {}) => {
        known(region);
        const instance = input.attachedTo === undefined ? undefined : instanceIn(region, input.attachedTo);
        const snapshot = input.snapshotId === undefined ? undefined : world.snapshots.get(region, input.snapshotId);
        const size = input.size ?? snapshot?.volumeSize ?? 8;
        return world.volumes.add(region, { ...input, size, availabilityZone: input.availabilityZone ?? `${region}a` }, instance ? { instance } : {}).id;
      },
      snapshot: (region, input = {}) => {
        known(region);
        const volume = input.volumeId === undefined ? undefined : world.volumes.get(region, input.volumeId);
        return world.snapshots.add(region, { ...input, volumeSize: input.volumeSize ?? volume?.size ?? 8 }).id;
      },
      image: addImage,
      address: (region, input = {}) => {
        known(region);
        const address = world.addresses.add(region, input);
        if (input.instanceId !== undefined) world.addresses.associate(store, address, instanceIn(region, input.instanceId));
        return address.allocationId;
      },
      spotRequest: (region, input = {}) => {
        known(region);
        const instance = input.instanceId === undefined ? undefined : instanceIn(region, input.instanceId);
        const request = spotRequestFrom(region, input, instance);
        let map = world.spotRequests.get(region);
        if (!map) {
          map = new Map();
          world.spotRequests.set(region, map);
        }
        map.set(request.id, request);
        return request.id;
      },
    },
    volume: (region, id) => {
      store.list(region);
      const v = world.volumes.get(region, id);
      if (!v) return undefined;
      return {
        id: v.id,
        size: v.size,
        type: v.type,
        state: world.volumes.stateOf(v),
        availabilityZone: v.availabilityZone,
        snapshotId: v.snapshotId,
        attachedTo: v.attachment?.instanceId,
        deleteOnTermination: v.attachment?.deleteOnTermination,
        tags: Object.fromEntries(v.tags),
      };
    },
    snapshot: (region, id) => {
      const s = world.snapshots.get(region, id);
      return s === undefined ? undefined : { id: s.id, volumeId: s.volumeId, volumeSize: s.volumeSize, state: s.state, storageTier: s.storageTier, tags: Object.fromEntries(s.tags) };
    },
    address: (region, allocationId) => {
      store.list(region);
      const a = world.addresses.in(region).get(allocationId);
      return a === undefined
        ? undefined
        : { allocationId: a.allocationId, publicIp: a.publicIp, instanceId: a.association?.instanceId, associationId: a.association?.associationId, tags: Object.fromEntries(a.tags) };
    },
    alarm: (region, name) => {
      const a = world.cloudwatch.in(region).get(name);
      return a === undefined
        ? undefined
        : { name: a.name, state: a.state, stateReason: a.stateReason, actionsEnabled: a.actionsEnabled, alarmActions: [...((a.config.AlarmActions as string[] | undefined) ?? [])] };
    },
    get alarmActions() {
      return world.cloudwatch.actionLog;
    },
    prices: world.prices,
    setPrices: (overrides) => world.prices.set(overrides),
    setCostAndUsage: (rows) => world.costs.set(rows),
    setBudgetSpend: (name, spend) => {
      if (spend === undefined) world.budgets.pinnedSpend.delete(name);
      else world.budgets.pinnedSpend.set(name, spend);
    },
    setMetrics: (instanceId, metrics) => {
      world.cloudwatch.metrics.set(instanceId, { ...world.cloudwatch.metrics.get(instanceId), ...metrics });
    },
    evaluateAlarms: (opts = {}) => {
      const at = opts.at === undefined ? Date.now() : new Date(opts.at).getTime();
      world.cloudwatch.evaluate(store, opts.region, at);
    },
  };
}

import type { SimInstance } from './instance-store';
import type { SimInstanceSnapshot } from './types';

/** A read-only copy of an instance for test assertions (`sim.instance(id)`). */
export function instanceSnapshot(i: SimInstance): SimInstanceSnapshot {
  return {
    id: i.id,
    region: i.region,
    reservationId: i.reservationId,
    state: i.state,
    stateReason: i.stateReason?.message,
    hibernationConfigured: i.hibernationConfigured,
    publicIp: i.publicIp,
    privateIp: i.privateIp,
    tags: Object.fromEntries(i.tags),
    placementGroup: i.placementGroup,
    disableApiTermination: i.disableApiTermination,
    rootDeviceType: i.rootDeviceType,
    instanceInitiatedShutdownBehavior: i.instanceInitiatedShutdownBehavior,
    launchTime: i.launchTime.toISOString(),
    instanceType: i.instanceType,
    imageId: i.imageId,
    keyName: i.keyName,
    availabilityZone: i.availabilityZone,
    vpcId: i.vpcId,
    subnetId: i.subnetId,
    securityGroupIds: i.securityGroups.map((g) => g.id),
    rootVolume: { id: i.rootVolume.id, size: i.rootVolume.size, type: i.rootVolume.type, deleteOnTermination: i.rootVolume.deleteOnTermination, tags: Object.fromEntries(i.rootVolume.tags) },
    userData: i.userData,
    instanceLifecycle: i.instanceLifecycle,
    spotOptions: i.spotOptions === undefined ? undefined : { ...i.spotOptions },
  };
}

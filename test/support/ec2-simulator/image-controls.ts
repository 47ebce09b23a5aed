import type { SimWorld } from './ec2-actions';
import type { Ec2Simulator } from './types';

type ImageControls = Pick<Ec2Simulator, 'ownImages' | 'ownSnapshots' | 'createdImages'>;

/** The simulator handle's view of the account's own AMIs and snapshots (issue 14), for assertions. */
export function imageControls(world: SimWorld, accountId: string): ImageControls {
  return {
    ownImages: (region) =>
      world.images
        .all(region)
        .filter((i) => i.ownerId === accountId)
        .map((i) => ({
          id: i.id,
          name: i.name,
          description: i.description,
          state: i.state,
          isPublic: i.isPublic,
          launchPermissions: [...i.launchPermissions],
          snapshotIds: i.blockDeviceMappings.map((b) => b.snapshotId),
          tags: Object.fromEntries(i.tags),
        })),
    ownSnapshots: (region) =>
      [...world.snapshots.in(region).values()].map((s) => ({
        id: s.id,
        volumeId: s.volumeId,
        volumeSize: s.volumeSize,
        description: s.description,
        state: s.state,
        progress: world.snapshots.progressOf(s),
        isPublic: s.isPublic,
        createVolumePermissions: [...s.createVolumePermissions],
        tags: Object.fromEntries(s.tags),
      })),
    createdImages: world.images.created,
  };
}

import type {
  CopyImageInput,
  CopyResult,
  CopySnapshotInput,
  CreateImageInput,
  CreateSnapshotInput,
  DeregisterImageInput,
  DeregisterResult,
  DoomedVolume,
  ImageInfo,
  ImageInput,
  ImageSharing,
  ImagesOverview,
  InstancesInput,
  RestoreSnapshotInput,
  ShareImageInput,
  SnapshotInfo,
  SnapshotInput,
} from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { createEc2Call } from '../launch/ec2-call';
import { createImageCalls } from './image-calls';
import { createImageSharing } from './image-sharing';
import { imagesOverview } from './images-overview';
import { createSnapshotCalls } from './snapshot-calls';
import { createTerminateSnapshots } from './terminate-snapshots';

/** Snapshots and AMIs (issue 14): list, create, copy, share, restore, delete; snapshots before a terminate. */
export interface ImagesService {
  overview(scope: RegionScope, signal?: AbortSignal): Promise<ImagesOverview>;
  zones(scope: RegionScope, signal?: AbortSignal): Promise<string[]>;
  createSnapshot(input: CreateSnapshotInput, signal?: AbortSignal): Promise<SnapshotInfo>;
  copySnapshot(input: CopySnapshotInput, signal?: AbortSignal): Promise<CopyResult>;
  deleteSnapshot(input: SnapshotInput, signal?: AbortSignal): Promise<void>;
  restoreSnapshot(input: RestoreSnapshotInput, signal?: AbortSignal): Promise<{ volumeId: string; availabilityZone: string }>;
  createImage(input: CreateImageInput, signal?: AbortSignal): Promise<ImageInfo>;
  copyImage(input: CopyImageInput, signal?: AbortSignal): Promise<CopyResult>;
  deregisterImage(input: DeregisterImageInput, signal?: AbortSignal): Promise<DeregisterResult>;
  sharing(input: ImageInput, signal?: AbortSignal): Promise<ImageSharing>;
  shareImage(input: ShareImageInput, signal?: AbortSignal): Promise<ImageSharing>;
  makeImagePrivate(input: ImageInput, signal?: AbortSignal): Promise<ImageSharing>;
  doomedVolumes(input: InstancesInput, signal?: AbortSignal): Promise<DoomedVolume[]>;
  snapshotBeforeTerminate(input: InstancesInput, signal?: AbortSignal): Promise<SnapshotInfo[]>;
}

export function createImagesService(deps: { clientsFor(accountId: string): AwsClientFactory }): ImagesService {
  const call = createEc2Call(deps.clientsFor);
  const snapshots = createSnapshotCalls(call);
  const images = createImageCalls(call);
  const sharing = createImageSharing(call, images);
  const terminate = createTerminateSnapshots(call);
  return {
    overview: (scope, signal) => imagesOverview(deps.clientsFor, scope, signal),
    zones: snapshots.zones,
    createSnapshot: snapshots.create,
    copySnapshot: snapshots.copy,
    deleteSnapshot: snapshots.remove,
    restoreSnapshot: snapshots.restore,
    createImage: images.create,
    copyImage: images.copy,
    deregisterImage: images.deregister,
    sharing: sharing.sharing,
    shareImage: sharing.share,
    makeImagePrivate: sharing.makePrivate,
    doomedVolumes: terminate.doomedVolumes,
    snapshotBeforeTerminate: terminate.snapshotBeforeTerminate,
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createImagesService, type ImagesService } from '../../src/main/services/images/images-service';
import { CREATED_BY_TAG } from '../../src/shared/models/launch';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';

const REGION = 'us-east-1';
const OTHER = 'eu-west-1';
const ACCOUNT = 'acct-images';
const PARTNER = '111122223333';
const scope = { accountId: ACCOUNT, region: REGION };
let restoreEnv: () => void = () => undefined;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let svc: ImagesService;

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  sim = await startEc2Simulator({ timings: { pendingMs: 100, stoppingMs: 100, shuttingDownMs: 300, snapshotMs: 600 } });
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  svc = createImagesService({ clientsFor: (id) => pool.clientsFor(id) });
});

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  restoreEnv();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await sleep(100);
  }
}

describe('snapshots', () => {
  it('creates a snapshot of a volume with its description, Name and hangar:created-by, and follows it to completed', async () => {
    const instanceId = sim.addInstance(REGION, { name: 'work' });
    const volumeId = sim.instance(instanceId)?.rootVolume.id ?? '';
    const created = await svc.createSnapshot({ ...scope, volumeId, description: 'before the upgrade', name: 'work root' });
    expect(created).toMatchObject({ volumeId, state: 'pending', description: 'before the upgrade', name: 'work root', createdByHangar: true });
    expect(sim.ownSnapshots(REGION).find((s) => s.id === created.id)?.tags).toEqual({ [CREATED_BY_TAG.key]: CREATED_BY_TAG.value, Name: 'work root' });
    const listed = await until(
      () => svc.overview(scope),
      (o) => o.snapshots.find((s) => s.id === created.id)?.state === 'completed',
    );
    expect(listed.snapshots.find((s) => s.id === created.id)).toMatchObject({ state: 'completed', progress: 100 });
    expect(listed.volumes.map((v) => v.id)).toContain(volumeId);
    expect(listed.denied).toEqual([]);
  });

  it('copies a snapshot to another region, restores one to a volume in a chosen zone, and deletes one', async () => {
    const id = sim.seed.snapshot(REGION, { volumeSize: 9, description: 'data' });
    const copy = await svc.copySnapshot({ ...scope, snapshotId: id, destinationRegion: OTHER });
    expect(copy.region).toBe(OTHER);
    expect(sim.ownSnapshots(OTHER).find((s) => s.id === copy.id)).toMatchObject({ volumeSize: 9, state: 'pending' });
    expect((await caught(svc.copySnapshot({ ...scope, snapshotId: id, destinationRegion: REGION }))).code).toBe('INVALID_ARGUMENT');

    const zones = await svc.zones(scope);
    expect(zones).toContain('us-east-1c');
    const restored = await svc.restoreSnapshot({ ...scope, snapshotId: id, availabilityZone: 'us-east-1c', volumeType: 'gp3' });
    expect(sim.volume(REGION, restored.volumeId)).toMatchObject({ snapshotId: id, size: 9, availabilityZone: 'us-east-1c', type: 'gp3' });

    await svc.deleteSnapshot({ ...scope, snapshotId: id });
    expect(sim.snapshot(REGION, id)).toBeUndefined();
  });

  it('refuses to delete a snapshot an AMI holds, naming the AMI', async () => {
    const imageId = sim.addImage(REGION, { name: 'held-env' });
    const [snapshotId = ''] = sim.ownImages(REGION).find((i) => i.id === imageId)?.snapshotIds ?? [];
    const error = await caught(svc.deleteSnapshot({ ...scope, snapshotId }));
    expect(error.code).toBe('AWS_RESOURCE_IN_USE');
    expect(error.message).toContain(`AMI held-env (${imageId})`);
    expect(sim.snapshot(REGION, snapshotId)).toBeDefined();
    const overview = await svc.overview(scope);
    expect(overview.snapshots.find((s) => s.id === snapshotId)?.imageId).toBe(imageId);
  });
});

describe('AMIs', () => {
  it('creates an AMI from an instance (no reboot as asked), pending then available, with a snapshot per volume', async () => {
    const instanceId = sim.addInstance(REGION, { name: 'lab' });
    sim.seed.volume(REGION, { attachedTo: instanceId, size: 20, deleteOnTermination: true });
    const image = await svc.createImage({ ...scope, instanceId, name: 'lab env 1', description: 'conda + data', noReboot: true });
    expect(image).toMatchObject({ name: 'lab env 1', state: 'pending', createdByHangar: true });
    expect(image.snapshots.map((s) => s.size)).toEqual([8, 20]);
    expect(sim.createdImages.at(-1)).toEqual({ instanceId, imageId: image.id, noReboot: true });
    const listed = await until(
      () => svc.overview(scope),
      (o) => o.images.find((i) => i.id === image.id)?.state === 'available',
    );
    expect(listed.images.find((i) => i.id === image.id)?.state).toBe('available');
    const duplicate = await caught(svc.createImage({ ...scope, instanceId, name: 'lab env 1', description: '', noReboot: false }));
    expect(duplicate.code).toBe('AWS_ALREADY_EXISTS');
  });

  it('shares an AMI with launch permission AND each snapshot’s create-volume permission, then makes it private again', async () => {
    const imageId = sim.addImage(REGION, { name: 'to-share', blockDeviceMappings: [{ deviceName: '/dev/xvda' }, { deviceName: '/dev/sdf' }] });
    const shared = await svc.shareImage({ ...scope, imageId, accountIds: [PARTNER] });
    expect(shared.accountIds).toEqual([PARTNER]);
    expect(shared.snapshots.map((s) => s.accountIds)).toEqual([[PARTNER], [PARTNER]]);
    const image = sim.ownImages(REGION).find((i) => i.id === imageId);
    expect(image?.launchPermissions).toEqual([PARTNER]);
    for (const id of image?.snapshotIds ?? []) expect(sim.ownSnapshots(REGION).find((s) => s.id === id)?.createVolumePermissions).toEqual([PARTNER]);

    const closed = await svc.makeImagePrivate({ ...scope, imageId });
    expect(closed).toMatchObject({ accountIds: [], isPublic: false });
    expect(sim.ownImages(REGION).find((i) => i.id === imageId)?.launchPermissions).toEqual([]);
    for (const id of image?.snapshotIds ?? []) expect(sim.ownSnapshots(REGION).find((s) => s.id === id)?.createVolumePermissions).toEqual([]);
  });

  it('copies an AMI into another region', async () => {
    const imageId = sim.addImage(REGION, { name: 'to-copy-svc' });
    const copy = await svc.copyImage({ ...scope, imageId, destinationRegion: OTHER, name: 'to-copy-svc' });
    expect(sim.ownImages(OTHER).find((i) => i.id === copy.id)).toMatchObject({ name: 'to-copy-svc', state: 'pending' });
  });

  it('deregisters an AMI and then deletes each of its snapshots; a snapshot another AMI shares is kept and said', async () => {
    const imageId = sim.addImage(REGION, { name: 'to-go', blockDeviceMappings: [{ deviceName: '/dev/xvda' }, { deviceName: '/dev/sdf' }] });
    const snapshotIds = sim.ownImages(REGION).find((i) => i.id === imageId)?.snapshotIds ?? [];
    // Another AMI built on the second snapshot (as a copy made by hand might be).
    const other = sim.addImage(REGION, { name: 'sharing-a-snapshot', blockDeviceMappings: [{ deviceName: '/dev/xvda', snapshotId: snapshotIds[1] ?? '' }] });
    const result = await svc.deregisterImage({ ...scope, imageId, deleteSnapshots: true });
    expect(result.deletedSnapshots).toEqual([snapshotIds[0]]);
    expect(result.keptSnapshots).toEqual([{ snapshotId: snapshotIds[1], reason: 'another AMI still uses it' }]);
    expect(sim.ownImages(REGION).map((i) => i.id)).not.toContain(imageId);
    expect(sim.snapshot(REGION, snapshotIds[0] ?? '')).toBeUndefined();
    expect(sim.snapshot(REGION, snapshotIds[1] ?? '')).toBeDefined();
    await svc.deregisterImage({ ...scope, imageId: other, deleteSnapshots: true });
    expect(sim.snapshot(REGION, snapshotIds[1] ?? '')).toBeUndefined();
  });

  it('a missing ec2:DeleteSnapshot permission stops the deregistration before anything changes', async () => {
    const imageId = sim.addImage(REGION, { name: 'kept-whole' });
    sim.denyActions(['ec2:DeleteSnapshot']);
    try {
      const error = await caught(svc.deregisterImage({ ...scope, imageId, deleteSnapshots: true }));
      expect(error.code).toBe('AWS_UNAUTHORIZED');
      expect(sim.ownImages(REGION).map((i) => i.id)).toContain(imageId);
    } finally {
      sim.allowActions();
    }
  });
});

describe('snapshot before terminate', () => {
  it('snapshots exactly the volumes the terminate deletes, pending before TerminateInstances; they outlive the volumes', async () => {
    const instanceId = sim.addInstance(REGION, { name: 'doomed' });
    const root = sim.instance(instanceId)?.rootVolume.id ?? '';
    const kept = sim.seed.volume(REGION, { attachedTo: instanceId, size: 30, deleteOnTermination: false });
    const scratch = sim.seed.volume(REGION, { attachedTo: instanceId, size: 4, deleteOnTermination: true, device: '/dev/sdh' });
    const input = { ...scope, instanceIds: [instanceId] };
    const doomed = await svc.doomedVolumes(input);
    expect(doomed.map((v) => v.volumeId).sort()).toEqual([root, scratch].sort());
    const snapshots = await svc.snapshotBeforeTerminate(input);
    expect(snapshots.map((s) => s.volumeId).sort()).toEqual([root, scratch].sort());
    expect(snapshots.every((s) => s.state === 'pending' && s.createdByHangar)).toBe(true);
    expect(snapshots.map((s) => s.name).sort()).toEqual(['doomed /dev/sdh before terminate', 'doomed /dev/xvda before terminate']);
    const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
    await ec2.act({ ...input, action: 'terminate' });
    await until(
      async () => sim.volume(REGION, root),
      (v) => v === undefined,
    );
    expect(sim.volume(REGION, root)).toBeUndefined();
    expect(sim.volume(REGION, kept)).toBeDefined();
    for (const s of snapshots) expect(sim.snapshot(REGION, s.id)).toBeDefined();
    expect(snapshots.find((s) => s.volumeId === kept)).toBeUndefined();
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createLaunchInstanceTypes } from '../../src/main/services/launch/launch-instance-types';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import { createStorageService, type StorageService } from '../../src/main/services/storage/storage-service';
import type { HangarError } from '../../src/shared/errors/hangar-error';
import type { Events } from '../../src/shared/ipc/contract';
import type { StorageProgress } from '../../src/shared/models/storage';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { canResizeMountedExt4, createLoopDisk, requireDiskTools, type LoopDisk } from '../support/loop-disk';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

// The "instance" is this machine through a real sshd (as root: loop devices and mount need it). Each EBS volume a
// test grows is a loop disk of a size no other disk here has, so Hangar matches it by size (loop devices have no
// NVMe serial); the simulator's resize hook grows the image and tells the kernel, as EBS does.
const REGION = 'eu-west-1';
const GIB = 1024 ** 3;
const run = promisify(execFile);

let restoreEnv: () => void = () => undefined;
let sshd: Sshd;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let manager: ConnectionManager;
let storage: StorageService;
let work: string;
let fstab: string;
let instanceId: string;
const disks = new Map<string, LoopDisk>();
const progress: StorageProgress[] = [];
const scope = (): { accountId: string; region: string; instanceId: string } => ({ accountId: 'acct', region: REGION, instanceId });

async function failure(p: Promise<unknown>): Promise<HangarError> {
  try {
    await p;
  } catch (error) {
    return error as HangarError;
  }
  throw new Error('it did not fail');
}

/** A loop disk standing in for a new data volume of this size, attached to the instance at `device`. */
async function volumeOnDisk(sizeGiB: number, fsType: 'ext4' | 'xfs', opts: { partitioned: boolean; mount: boolean }): Promise<{ volumeId: string; disk: LoopDisk }> {
  const disk = await createLoopDisk({ sizeGiB, fsType, ...opts });
  const volumeId = sim.seed.volume(REGION, { size: sizeGiB, attachedTo: instanceId, type: 'gp2' });
  disks.set(volumeId, disk);
  return { volumeId, disk };
}

beforeAll(async () => {
  requireDiskTools('xfs');
  requireDiskTools('ext4');
  if (process.getuid?.() !== 0) throw new Error('storage tests need root (loop devices, mount): run them as root, as CI does');
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-storage-'));
  fstab = join(work, 'fstab');
  await writeFile(fstab, '# test fstab\n');
  sshd = await startSshd({ listenHost: '127.0.0.121', port: 22 });
  sim = await startEc2Simulator({ timings: { pendingMs: 50, stoppingMs: 50, shuttingDownMs: 50, terminatedRetentionMs: 60_000, volumeModifyingMs: 300, volumeOptimizingMs: 1_500 } });
  sim.onVolumeResize(async ({ volumeId, size }) => disks.get(volumeId)?.grow(size));
  pool = createAwsClientPool({ credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }), endpoint: sim.url });
  const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  const settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
  instanceId = sim.addInstance(REGION, { publicIp: sshd.host, instanceType: 't3.medium', keyName: 'lab', availabilityZone: `${REGION}a` });
  settings.mutate((s) => ({ ...s, hostKeys: { [instanceId]: { keyType: 'ssh-ed25519', fingerprintSha256: sshd.hostKeyFingerprintSha256, verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() } } }));
  manager = createConnectionManager({ settings, keys: stubKeyStore(sshd.userPrivateKey, 'lab'), ec2, logger: silentLogger, userCandidates: () => [sshd.username], refusedRetryMs: 0 });
  const events = createEventHub<Events>();
  events.subscribe((name, payload) => {
    if (name === 'storage.progress') progress.push(payload as StorageProgress);
  });
  const types = createLaunchInstanceTypes({ clientsFor: (id) => pool.clientsFor(id) });
  storage = createStorageService({ clientsFor: (id) => pool.clientsFor(id), connections: manager, events, instanceTypes: types.instanceTypes, pollMs: 150, sizeSeenTimeoutMs: 15_000, fstabPath: fstab });
}, 60_000);

afterAll(async () => {
  manager?.dispose();
  pool?.destroy();
  await sim?.close();
  await sshd?.stop();
  if (work) await run('umount', ['-l', join(work, 'data')]).catch(() => undefined);
  for (const disk of disks.values()) await disk.dispose();
  if (work) await rm(work, { recursive: true, force: true });
  restoreEnv();
});

describe('storage of an instance', () => {
  it('lists the volumes with what the OS says: the disk (matched by size here), its partition, filesystem and df use', async () => {
    const { volumeId, disk } = await volumeOnDisk(3, 'xfs', { partitioned: true, mount: true });
    const view = await storage.view(scope());
    expect(view.osError).toBeUndefined();
    expect(view.os).toMatchObject({ isRoot: true, hasSudo: true, hasGrowpart: true });
    expect(view.volumes[0]).toMatchObject({ isRoot: true, awsDevice: '/dev/xvda' });
    const data = view.volumes.find((v) => v.id === volumeId);
    expect(data).toMatchObject({ sizeGiB: 3, type: 'gp2', deleteOnTermination: false, osDisk: { path: disk.device, matchedBy: 'size', sizeBytes: 3 * GIB } });
    expect(data?.filesystems).toEqual([expect.objectContaining({ device: disk.filesystemDevice, partition: 1, fsType: 'xfs', mountPoint: disk.mountPoint })]);
    expect(data?.filesystems[0]?.sizeBytes).toBe(await disk.dfBytes());
  });

  it('grows a partitioned, mounted xfs volume: ModifyVolume followed to optimizing, growpart, xfs_growfs; df shows the new size', async () => {
    const { volumeId, disk } = await volumeOnDisk(4, 'xfs', { partitioned: true, mount: true });
    const before = await disk.dfBytes();
    progress.length = 0;
    const result = await storage.grow({ ...scope(), volumeId, sizeGiB: 6, type: 'gp3' });
    const after = await disk.dfBytes();
    expect(before).toBeLessThan(4 * GIB);
    expect(after).toBeGreaterThan(5.5 * GIB);
    expect(result.afterBytes).toBe(after);
    expect(result.commands).toEqual([`growpart ${disk.device} 1`, `xfs_growfs -d ${disk.mountPoint}`]);
    expect(sim.volume(REGION, volumeId)).toMatchObject({ size: 6, type: 'gp3' });
    const steps = progress.filter((p) => p.volumeId === volumeId).map((p) => p.step);
    expect(steps).toContain('AWS: modifying');
    expect(steps.some((s) => s.startsWith('AWS: optimizing'))).toBe(true);
    // Still optimizing: AWS takes one change at a time.
    const busy = await failure(storage.grow({ ...scope(), volumeId, sizeGiB: 7 }));
    expect(busy.code).toBe('STORAGE_MODIFICATION_RUNNING');
    expect(busy.hint).toContain('completed');
    // A size that is not larger is refused before AWS is asked.
    expect((await failure(storage.grow({ ...scope(), volumeId, sizeGiB: 5 }))).code).toBe('INVALID_ARGUMENT');
  });

  it('an unmounted ext4 is checked, then grown; mounted afterwards it has the new size', async () => {
    const { volumeId, disk } = await volumeOnDisk(5, 'ext4', { partitioned: true, mount: false });
    const result = await storage.grow({ ...scope(), volumeId, sizeGiB: 7 });
    expect(result.commands).toEqual([`growpart ${disk.device} 1`, `e2fsck -f -p ${disk.filesystemDevice}`, `resize2fs ${disk.filesystemDevice}`]);
    const mountPoint = join(work, 'ext4-check');
    await run('mkdir', ['-p', mountPoint]);
    await run('mount', [disk.filesystemDevice, mountPoint]);
    try {
      const { stdout } = await run('df', ['-P', '-B1', mountPoint]);
      expect(Number(stdout.split('\n')[1]?.split(/\s+/)[1])).toBeGreaterThan(6.5 * GIB);
    } finally {
      await run('umount', [mountPoint]);
    }
  });

  it('a mounted ext4 grows online where the machine allows it; where it does not, resize2fs’s refusal is said with the command', async () => {
    const { volumeId, disk } = await volumeOnDisk(9, 'ext4', { partitioned: false, mount: true });
    const grow = storage.grow({ ...scope(), volumeId, sizeGiB: 10 });
    if (await canResizeMountedExt4()) {
      const result = await grow;
      expect(result.commands).toEqual([`resize2fs ${disk.device}`]);
      expect(await disk.dfBytes()).toBeGreaterThan(9.5 * GIB);
    } else {
      // This container drops CAP_SYS_RESOURCE, which the kernel wants for an online ext4 resize.
      const error = await failure(grow);
      expect(error.code).toBe('STORAGE_COMMAND_FAILED');
      expect(error.message).toContain('resize2fs');
      expect(error.hint).toContain(`resize2fs ${disk.device}`);
      expect(await disk.dfBytes()).toBeLessThan(9 * GIB);
    }
  });

  it('four changes a day: the fifth is refused, and the view says when the next is allowed', async () => {
    const volumeId = sim.seed.volume(REGION, { size: 11, attachedTo: instanceId, type: 'gp3' });
    for (const size of [12, 13, 14, 15]) {
      await storage.grow({ ...scope(), volumeId, sizeGiB: size, growFilesystem: false });
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const limit = await failure(storage.grow({ ...scope(), volumeId, sizeGiB: 16, growFilesystem: false }));
    expect(limit.code).toBe('STORAGE_MODIFICATION_LIMIT');
    const v = (await storage.view(scope())).volumes.find((x) => x.id === volumeId);
    expect(v?.changesToday).toBe(4);
    expect(Date.parse(v?.nextChangeAt ?? '')).toBeGreaterThan(Date.now() + 23 * 60 * 60_000);
  }, 30_000);

  it('adds an empty volume, formats it (xfs) and mounts it with an fstab line by UUID and nofail', async () => {
    sim.onVolumeAttach(async ({ volumeId, sizeGiB }) => {
      disks.set(volumeId, await createLoopDisk({ sizeGiB, fsType: 'none', partitioned: false, mount: false }));
    });
    const mountPoint = join(work, 'data');
    try {
      const view = await storage.addVolume({ ...scope(), sizeGiB: 17, type: 'gp3', name: 'scratch', format: { fsType: 'xfs', mountPoint } });
      const added = view.volumes.find((v) => v.sizeGiB === 17);
      expect(added).toMatchObject({ awsDevice: expect.stringMatching(/^\/dev\/sd[f-p]$/), name: 'scratch' });
      expect(added?.filesystems[0]).toMatchObject({ fsType: 'xfs', mountPoint });
      const { stdout: uuid } = await run('blkid', ['-s', 'UUID', '-o', 'value', disks.get(added?.id ?? '')?.device ?? '']);
      expect(await readFile(fstab, 'utf8')).toContain(`UUID=${uuid.trim()} ${mountPoint} xfs defaults,nofail 0 2`);

      // Detach unmounts first and takes the fstab line out; then the volume is available and can be deleted.
      const afterDetach = await storage.detachVolume({ ...scope(), volumeId: added?.id ?? '' });
      expect(afterDetach.volumes.some((v) => v.id === added?.id)).toBe(false);
      expect(await readFile(fstab, 'utf8')).not.toContain(uuid.trim());
      const { stdout: mounts } = await run('cat', ['/proc/mounts']);
      expect(mounts).not.toContain(mountPoint);
      expect(sim.volume(REGION, added?.id ?? '')?.state).toBe('available');
      await storage.deleteVolume({ ...scope(), volumeId: added?.id ?? '' });
      expect(sim.volume(REGION, added?.id ?? '')).toBeUndefined();
    } finally {
      sim.onVolumeAttach(undefined);
    }
  }, 60_000);

  it('attaches an existing volume of its zone; one of another zone is refused with the way round it', async () => {
    const here = sim.seed.volume(REGION, { size: 19, availabilityZone: `${REGION}a` });
    const there = sim.seed.volume(REGION, { size: 19, availabilityZone: `${REGION}b` });
    const view = await storage.attachVolume({ ...scope(), volumeId: here });
    expect(view.volumes.find((v) => v.id === here)?.awsDevice).toMatch(/^\/dev\/sd[f-p]$/);
    const error = await failure(storage.attachVolume({ ...scope(), volumeId: there }));
    expect(error.code).toBe('STORAGE_ZONE_MISMATCH');
    expect(error.hint).toContain('restore the snapshot');
    expect(sim.volume(REGION, there)?.attachedTo).toBeUndefined();
  });

  it('delete-on-termination changes on the instance; a volume still attached is not deleted; the root is not detached', async () => {
    const volumeId = sim.seed.volume(REGION, { size: 18, attachedTo: instanceId });
    const view = await storage.setDeleteOnTermination({ ...scope(), volumeId, deleteOnTermination: true });
    expect(view.volumes.find((v) => v.id === volumeId)?.deleteOnTermination).toBe(true);
    expect(sim.volume(REGION, volumeId)?.deleteOnTermination).toBe(true);
    const inUse = await failure(storage.deleteVolume({ ...scope(), volumeId }));
    expect(inUse.code).toBe('AWS_RESOURCE_IN_USE');
    const root = view.volumes.find((v) => v.isRoot);
    expect((await failure(storage.detachVolume({ ...scope(), volumeId: root?.id ?? '' }))).code).toBe('AWS_OPERATION_NOT_PERMITTED');
  });
});

describe('change type', () => {
  it('offers the types of the architecture with prices; one not offered in the zone, or needing ENA the image lacks, is said why', async () => {
    const id = sim.addInstance(REGION, { instanceType: 't3.medium', availabilityZone: `${REGION}a` });
    sim.setInstanceTypeOffered(REGION, 'm5.large', [`${REGION}b`]);
    const choices = await storage.typeChoices({ accountId: 'acct', region: REGION, instanceId: id });
    expect(choices).toMatchObject({ currentType: 't3.medium', architecture: 'x86_64', state: 'running', enaSupport: true, availabilityZone: `${REGION}a` });
    expect(choices.current?.pricePerHour).toBeGreaterThan(0);
    expect(choices.choices.some((c) => c.instanceType === 't3.medium')).toBe(false);
    expect(choices.choices.find((c) => c.instanceType === 't3.large')).toMatchObject({ vcpus: 2, unavailable: undefined });
    expect(choices.choices.find((c) => c.instanceType === 'm5.large')?.unavailable).toBe(`Not offered in ${REGION}a, the instance’s zone.`);
    expect(choices.choices.every((c) => !c.instanceType.startsWith('t4g.'))).toBe(true);

    const old = sim.addInstance(REGION, { instanceType: 't2.medium', enaSupport: false });
    const oldChoices = await storage.typeChoices({ accountId: 'acct', region: REGION, instanceId: old });
    expect(oldChoices.choices.find((c) => c.instanceType === 't3.large')?.unavailable).toContain('ENA');
    expect(oldChoices.choices.find((c) => c.instanceType === 't2.large')?.unavailable).toBeUndefined();
  });

  it('a running instance: refused without restart; with it, stopped, changed and started again', async () => {
    const id = sim.addInstance(REGION, { instanceType: 't3.small' });
    const ref = { accountId: 'acct', region: REGION, instanceId: id };
    expect((await failure(storage.changeType({ ...ref, instanceType: 't3.large', restart: false }))).code).toBe('AWS_INCORRECT_STATE');
    progress.length = 0;
    const result = await storage.changeType({ ...ref, instanceType: 't3.large', restart: true });
    expect(result).toEqual({ instanceId: id, from: 't3.small', to: 't3.large', state: 'running' });
    expect(sim.instance(id)).toMatchObject({ instanceType: 't3.large' });
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.instance(id)?.state).toBe('running');
    expect(progress.map((p) => p.step)).toEqual(['Stopping the instance', 'Changing the type to t3.large', 'Starting the instance', 'Done']);
  });

  it('AWS refusing the type (no ENA): said, and the instance is started again with its old type', async () => {
    const id = sim.addInstance(REGION, { instanceType: 't2.medium', enaSupport: false });
    const error = await failure(storage.changeType({ accountId: 'acct', region: REGION, instanceId: id, instanceType: 'm5.large', restart: true }));
    expect(error.code).toBe('STORAGE_TYPE_INCOMPATIBLE');
    expect(error.message).toContain('ENA');
    expect(error.hint).toBe('It was started again with its old type.');
    expect(sim.instance(id)).toMatchObject({ instanceType: 't2.medium' });
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.instance(id)?.state).toBe('running');
  });
});

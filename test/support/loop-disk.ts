import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireBinary } from './system-deps';

const run = promisify(execFile);

/** The tools a loop disk needs, each named with the Debian package that has it (CI fails naming it). */
export function requireDiskTools(fsType: 'ext4' | 'xfs' | 'none'): void {
  requireBinary('losetup', 'mount');
  requireBinary('partx', 'util-linux');
  requireBinary('sfdisk', 'fdisk');
  requireBinary('growpart', 'cloud-guest-utils');
  if (fsType === 'xfs') {
    requireBinary('mkfs.xfs', 'xfsprogs');
    requireBinary('xfs_growfs', 'xfsprogs');
  } else if (fsType === 'ext4') {
    requireBinary('mkfs.ext4', 'e2fsprogs');
    requireBinary('resize2fs', 'e2fsprogs');
  }
}

/** A disk on the test machine standing in for an EBS volume: a sparse image on a loop device, partitioned or not. */
export interface LoopDisk {
  /** /dev/loopN */
  readonly device: string;
  /** /dev/loopNp1, or the device itself without a partition table. */
  readonly filesystemDevice: string;
  readonly mountPoint: string | undefined;
  /** Makes the disk bigger, as EBS does after ModifyVolume: the image grows and the kernel is told. */
  grow(sizeGiB: number): Promise<void>;
  /** df's size of the mounted filesystem, in bytes. */
  dfBytes(): Promise<number>;
  dispose(): Promise<void>;
}

/**
 * Root only (loop devices, mount). There is no udev in the test container, so partitions are added with
 * `partx -a` (which makes their nodes), not by the kernel's scan.
 */
export async function createLoopDisk(opts: { sizeGiB: number; fsType: 'ext4' | 'xfs' | 'none'; partitioned: boolean; mount: boolean }): Promise<LoopDisk> {
  requireDiskTools(opts.fsType);
  const dir = await mkdtemp(join(tmpdir(), 'hangar-disk-'));
  const image = join(dir, 'disk.img');
  await run('truncate', ['-s', `${opts.sizeGiB}G`, image]);
  if (opts.partitioned) await run('sh', ['-c', 'echo ",,L" | sfdisk -q "$1"', 'sh', image]);
  const device = (await run('losetup', ['-f', '--show', image])).stdout.trim();
  if (opts.partitioned) await run('partx', ['-a', device]);
  const filesystemDevice = opts.partitioned ? `${device}p1` : device;
  if (opts.fsType !== 'none') await run(opts.fsType === 'xfs' ? 'mkfs.xfs' : 'mkfs.ext4', ['-q', filesystemDevice]);
  let mountPoint: string | undefined;
  if (opts.mount && opts.fsType !== 'none') {
    mountPoint = join(dir, 'mnt');
    await mkdir(mountPoint);
    await run('mount', [filesystemDevice, mountPoint]);
  }
  return {
    device,
    filesystemDevice,
    mountPoint,
    async grow(sizeGiB) {
      await run('truncate', ['-s', `${sizeGiB}G`, image]);
      await run('losetup', ['-c', device]);
    },
    async dfBytes() {
      const { stdout } = await run('df', ['-P', '-B1', mountPoint ?? filesystemDevice]);
      return Number(stdout.trim().split('\n')[1]?.split(/\s+/)[1] ?? 0);
    },
    async dispose() {
      if (mountPoint !== undefined) await run('umount', ['-l', mountPoint]).catch(() => undefined);
      if (opts.partitioned) await run('partx', ['-d', device]).catch(() => undefined);
      await run('losetup', ['-d', device]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether this process may resize a mounted ext4 (CAP_SYS_RESOURCE; containers often drop it). */
export async function canResizeMountedExt4(): Promise<boolean> {
  const { stdout } = await run('grep', ['CapEff', '/proc/self/status']);
  const mask = BigInt(`0x${stdout.split(/\s+/)[1] ?? '0'}`);
  return (mask & (1n << 24n)) !== 0n;
}

import { describe, expect, it } from 'vitest';
import { growPlan, growpartInstall, growTarget, stepText } from '../../../src/main/services/storage/grow-plan';
import type { HangarError } from '../../../src/shared/errors/hangar-error';
import type { OsFilesystem } from '../../../src/shared/models/storage';
import { growSizeProblem, mountPointProblem } from '../../../src/shared/models/storage';

const fs = (over: Partial<OsFilesystem>): OsFilesystem => ({
  device: '/dev/nvme0n1p1',
  partition: 1,
  fsType: 'ext4',
  mountPoint: '/',
  sizeBytes: undefined,
  usedBytes: undefined,
  availBytes: undefined,
  blockBytes: 0,
  ...over,
});

describe('grow plan', () => {
  it('NVMe root with ext4: growpart on the disk and partition number, then resize2fs on the partition', () => {
    const steps = growPlan('/dev/nvme0n1', fs({}));
    expect(steps.map((s) => s.argv)).toEqual([
      ['growpart', '/dev/nvme0n1', '1'],
      ['resize2fs', '/dev/nvme0n1p1'],
    ]);
    // growpart's NOCHANGE (exit 1) is not a failure: the partition already fills the disk.
    expect(steps[0]?.okCodes).toContain(1);
    expect(stepText(steps[0]!, true)).toBe('sudo growpart /dev/nvme0n1 1');
  });

  it('Xen xvda1 with xfs: growpart, then xfs_growfs on the mount point', () => {
    expect(growPlan('/dev/xvda', fs({ device: '/dev/xvda1', fsType: 'xfs', mountPoint: '/' })).map((s) => s.argv)).toEqual([
      ['growpart', '/dev/xvda', '1'],
      ['xfs_growfs', '-d', '/'],
    ]);
  });

  it('a filesystem on the whole disk needs no growpart', () => {
    expect(growPlan('/dev/xvdf', fs({ device: '/dev/xvdf', partition: undefined, fsType: 'xfs', mountPoint: '/data' })).map((s) => s.argv)).toEqual([['xfs_growfs', '-d', '/data']]);
  });

  it('an unmounted ext4 is checked (e2fsck -f) before resize2fs', () => {
    expect(growPlan('/dev/nvme1n1', fs({ device: '/dev/nvme1n1p1', mountPoint: undefined })).map((s) => s.argv[0])).toEqual(['growpart', 'e2fsck', 'resize2fs']);
  });

  it('refuses an unknown filesystem and an unmounted xfs before anything runs', () => {
    const refuse = (f: OsFilesystem): HangarError => {
      try {
        growPlan('/dev/nvme1n1', f);
      } catch (error) {
        return error as HangarError;
      }
      throw new Error('no refusal');
    };
    expect(refuse(fs({ fsType: 'btrfs' })).code).toBe('STORAGE_UNKNOWN_FILESYSTEM');
    expect(refuse(fs({ fsType: undefined })).message).toContain('nothing was changed');
    expect(refuse(fs({ fsType: 'xfs', mountPoint: undefined })).code).toBe('STORAGE_NOT_MOUNTED');
  });

  it('grows the last partition (the one the new space follows)', () => {
    expect(growTarget([fs({ partition: 1 }), fs({ device: '/dev/nvme0n1p14', partition: 14 }), fs({ device: '/dev/nvme0n1p2', partition: 2 })])?.partition).toBe(14);
    expect(growTarget([fs({ partition: undefined, device: '/dev/xvdf' })])?.device).toBe('/dev/xvdf');
    expect(growTarget([])).toBeUndefined();
  });

  it('offers growpart’s package per distribution', () => {
    expect(growpartInstall('ubuntu')?.text).toBe('sudo apt-get install -y cloud-guest-utils');
    expect(growpartInstall('amzn')?.text).toBe('sudo dnf install -y cloud-utils-growpart');
    expect(growpartInstall('gentoo')).toBeUndefined();
  });
});

describe('what the form refuses', () => {
  it('a size that is not larger, not a number, or past the type’s limit', () => {
    expect(growSizeProblem(8, '8', 'gp3')).toBeUndefined();
    expect(growSizeProblem(8, '7', 'gp3')).toContain('only grow');
    expect(growSizeProblem(8, '8.5', 'gp3')).toContain('whole number');
    expect(growSizeProblem(8, '20000', 'gp3')).toContain('at most 16384');
    expect(growSizeProblem(8, '64', 'st1')).toContain('at least 125');
  });

  it('mount points: absolute, not the system’s, plain characters', () => {
    expect(mountPointProblem('/data')).toBeUndefined();
    expect(mountPointProblem('data')).toContain('absolute');
    expect(mountPointProblem('/etc/x')).toContain('system');
    expect(mountPointProblem('/my data')).toContain('letters');
  });
});

describe('without root or sudo', () => {
  it('refuses before anything runs and hands over the commands to copy', async () => {
    const { requireSudo } = await import('../../../src/main/services/storage/remote-steps');
    const steps = growPlan('/dev/nvme0n1', fs({}));
    const os = { distro: 'ubuntu', isRoot: false, hasSudo: false, hasGrowpart: true, disks: [], df: [] };
    let refused: HangarError | undefined;
    try {
      requireSudo(os, steps, 'Growing the filesystem');
    } catch (error) {
      refused = error as HangarError;
    }
    expect(refused?.code).toBe('STORAGE_NO_SUDO');
    expect(refused?.message).toContain('nothing was changed');
    expect(refused?.details?.commands).toBe('sudo growpart /dev/nvme0n1 1\nsudo resize2fs /dev/nvme0n1p1');
    expect(() => requireSudo({ ...os, hasSudo: true }, steps, 'x')).not.toThrow();
  });
});

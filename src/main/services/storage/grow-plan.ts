import { HangarError } from '../../../shared/errors/hangar-error';
import type { OsFilesystem } from '../../../shared/models/storage';

/** One command of a plan: what it does in words, and its argv (sudo added when not root). */
export interface PlanStep {
  readonly label: string;
  readonly argv: readonly string[];
  /** Exit codes that still mean success (growpart says NOCHANGE with 1 when the partition already fills the disk). */
  readonly okCodes?: readonly number[];
}

const EXT = new Set(['ext2', 'ext3', 'ext4']);

/** The package that brings growpart, per /etc/os-release ID. */
export function growpartInstall(distro: string | undefined): { argv: string[]; text: string } | undefined {
  switch (distro) {
    case 'ubuntu':
    case 'debian':
      return { argv: ['sh', '-c', 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q cloud-guest-utils'], text: 'sudo apt-get install -y cloud-guest-utils' };
    case 'amzn':
    case 'rhel':
    case 'centos':
    case 'fedora':
    case 'rocky':
    case 'almalinux':
      return { argv: ['sh', '-c', 'if command -v dnf >/dev/null; then dnf install -y -q cloud-utils-growpart; else yum install -y -q cloud-utils-growpart; fi'], text: 'sudo dnf install -y cloud-utils-growpart' };
    case 'sles':
    case 'opensuse-leap':
      return { argv: ['zypper', '--non-interactive', 'install', 'growpart'], text: 'sudo zypper install growpart' };
    default:
      return undefined;
  }
}

/**
 * The filesystem to grow on a disk: the last partition (growpart can only extend the one the new space follows),
 * or the disk itself when it has no partition table.
 */
export function growTarget(filesystems: readonly OsFilesystem[]): OsFilesystem | undefined {
  const parts = filesystems.filter((f) => f.partition !== undefined);
  if (parts.length === 0) return filesystems[0];
  return [...parts].sort((a, b) => (b.partition ?? 0) - (a.partition ?? 0))[0];
}

/**
 * The commands that grow a filesystem into a grown volume: growpart for a partition, then resize2fs (ext2/3/4) or
 * xfs_growfs (xfs, mounted). Anything else is refused before a command runs.
 */
export function growPlan(disk: string, target: OsFilesystem): PlanStep[] {
  const fs = target.fsType;
  if (fs === undefined || (!EXT.has(fs) && fs !== 'xfs')) {
    throw new HangarError({
      code: 'STORAGE_UNKNOWN_FILESYSTEM',
      message: `Hangar does not know how to grow ${fs === undefined ? 'what is on' : `the ${fs} filesystem on`} ${target.device}; nothing was changed.`,
      hint: 'The volume itself has grown. Grow its filesystem with that filesystem’s own tool in a terminal.',
      details: { device: target.device, fsType: fs ?? '' },
    });
  }
  if (fs === 'xfs' && target.mountPoint === undefined) {
    throw new HangarError({
      code: 'STORAGE_NOT_MOUNTED',
      message: `The xfs filesystem on ${target.device} is not mounted, and xfs only grows while mounted; nothing was changed.`,
      hint: `Mount it (sudo mount ${target.device} /mnt), then grow the filesystem again.`,
    });
  }
  const steps: PlanStep[] = [];
  if (target.partition !== undefined) {
    steps.push({ label: `Grow partition ${target.partition} of ${disk}`, argv: ['growpart', disk, String(target.partition)], okCodes: [0, 1] });
  }
  if (fs === 'xfs') {
    steps.push({ label: `Grow the xfs filesystem at ${target.mountPoint ?? ''}`, argv: ['xfs_growfs', '-d', target.mountPoint ?? ''] });
  } else {
    if (target.mountPoint === undefined) steps.push({ label: `Check ${target.device} (it is not mounted)`, argv: ['e2fsck', '-f', '-p', target.device], okCodes: [0, 1] });
    steps.push({ label: `Grow the ${fs} filesystem on ${target.device}`, argv: ['resize2fs', target.device] });
  }
  return steps;
}

/** How a step reads to copy into a terminal (with sudo when Hangar would use it). */
export function stepText(step: PlanStep, sudo: boolean): string {
  const quoted = step.argv.map((a) => (/^[\w./=:@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return sudo ? `sudo ${quoted}` : quoted;
}

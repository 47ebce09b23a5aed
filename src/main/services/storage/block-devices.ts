import type { DiskMatch, OsFilesystem, OsStorage } from '../../../shared/models/storage';

/** One node of `lsblk -J -b`: a disk, a partition, an LVM volume, … */
export interface BlockNode {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly serial: string | undefined;
  readonly mountpoint: string | undefined;
  readonly fstype: string | undefined;
  readonly uuid: string | undefined;
  readonly children: readonly BlockNode[];
}

/** One row of `df -P -T -B1`. */
export interface DfRow {
  readonly source: string;
  readonly fsType: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
  readonly availBytes: number;
  readonly mountPoint: string;
}

/** Everything the storage probe saw on the instance. */
export interface OsSnapshot extends OsStorage {
  readonly disks: readonly BlockNode[];
  readonly df: readonly DfRow[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function nodeOf(raw: Record<string, unknown>): BlockNode {
  const children = Array.isArray(raw.children) ? (raw.children as Record<string, unknown>[]) : [];
  // Newer lsblk lists every mount point (MOUNTPOINTS); older ones one (MOUNTPOINT); -b sizes come as numbers or strings.
  const mounts = Array.isArray(raw.mountpoints) ? (raw.mountpoints as unknown[]).map(str).filter((m) => m !== undefined) : [];
  return {
    name: String(raw.name ?? ''),
    type: String(raw.type ?? ''),
    size: Number(raw.size ?? 0),
    serial: str(raw.serial)?.trim(),
    mountpoint: str(raw.mountpoint) ?? mounts[0],
    fstype: str(raw.fstype),
    uuid: str(raw.uuid),
    children: children.map(nodeOf),
  };
}

/** The disks of `lsblk -J -b -o NAME,TYPE,SIZE,SERIAL,MOUNTPOINT,FSTYPE,UUID`. */
export function parseLsblk(json: string): BlockNode[] {
  const data = JSON.parse(json) as { blockdevices?: Record<string, unknown>[] };
  return (data.blockdevices ?? []).map(nodeOf).filter((d) => d.type === 'disk' || d.type === 'loop');
}

/** `df -P -T -B1`: the mount point is the rest of the line (it may hold spaces). */
export function parseDf(text: string): DfRow[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().match(/^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+(.+)$/))
    .filter((m) => m !== null)
    .map((m) => ({ source: m[1] ?? '', fsType: m[2] ?? '', sizeBytes: Number(m[3]), usedBytes: Number(m[4]), availBytes: Number(m[5]), mountPoint: m[6] ?? '' }));
}

/** The probe's output: sections after `@@name` lines. */
export function parseProbe(output: string): OsSnapshot {
  const sections = new Map<string, string>();
  let current = '';
  for (const line of output.split('\n')) {
    const header = /^@@(\w+)$/.exec(line);
    if (header) {
      current = header[1] ?? '';
      sections.set(current, '');
    } else if (current !== '') {
      sections.set(current, `${sections.get(current) ?? ''}${line}\n`);
    }
  }
  const get = (name: string): string => (sections.get(name) ?? '').trim();
  let disks: BlockNode[] = [];
  try {
    disks = parseLsblk(get('lsblk'));
  } catch {
    disks = [];
  }
  const sudo = get('sudo');
  const probed = parseBlkid(get('blkid'));
  return {
    distro: get('os') || undefined,
    isRoot: sudo === 'root',
    hasSudo: sudo === 'root' || sudo === 'yes',
    hasGrowpart: get('growpart') === 'yes',
    disks: disks.map((d) => withBlkid(d, probed)),
    df: parseDf(get('df')),
  };
}

/** `blkid -o export`: blocks of KEY=value lines, one block per device. */
export function parseBlkid(text: string): Map<string, { type: string | undefined; uuid: string | undefined }> {
  const out = new Map<string, { type: string | undefined; uuid: string | undefined }>();
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map(block.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));
    const dev = fields.get('DEVNAME');
    if (dev) out.set(dev.replace(/^\/dev\//, ''), { type: fields.get('TYPE') || undefined, uuid: fields.get('UUID') || undefined });
  }
  return out;
}

function withBlkid(node: BlockNode, probed: ReadonlyMap<string, { type: string | undefined; uuid: string | undefined }>): BlockNode {
  const found = probed.get(node.name);
  return {
    ...node,
    fstype: node.fstype ?? found?.type,
    uuid: node.uuid ?? found?.uuid,
    children: node.children.map((c) => withBlkid(c, probed)),
  };
}

/** What runs on the instance to see its storage: who we are, the distribution, growpart, lsblk and df. */
export const PROBE_SCRIPT = [
  'exec 2>/dev/null',
  'echo @@os; ( . /etc/os-release && echo "${ID:-}" )',
  'echo @@sudo; if [ "$(id -u)" = 0 ]; then echo root; elif sudo -n true; then echo yes; else echo no; fi',
  'echo @@growpart; if command -v growpart >/dev/null || [ -x /usr/bin/growpart ] || [ -x /usr/sbin/growpart ]; then echo yes; else echo no; fi',
  'echo @@lsblk; lsblk -J -b -o NAME,TYPE,SIZE,SERIAL,MOUNTPOINT,FSTYPE,UUID',
  'echo @@df; df -P -T -B1 -x tmpfs -x devtmpfs -x squashfs -x overlay',
  // lsblk takes filesystem types from udev's database; where udev has not probed a disk yet, blkid (as root) has them.
  'echo @@blkid; if [ "$(id -u)" = 0 ]; then blkid -o export; else sudo -n blkid -o export || blkid -o export; fi',
  'exit 0',
].join('\n');

/** xvda / sda for /dev/sda1, xvdf / sdf for /dev/sdf: the names a Xen instance's kernel gives an AWS device name. */
function xenNames(awsDevice: string): string[] {
  const base = awsDevice.replace(/^\/dev\//, '').replace(/\d+$/, '');
  const letters = base.replace(/^(xv|s)d/, '');
  return [`xvd${letters}`, `sd${letters}`];
}

const GIB = 1024 ** 3;

/**
 * Which OS disk each volume is. On Nitro (NVMe) the disk's serial is the volume id without its dash; on Xen the
 * kernel names the disk after the AWS device name (sdf → xvdf); otherwise a disk of exactly the volume's size, when
 * only one unmatched disk has it (said as such so the user can check).
 */
export function matchDisks(
  volumes: readonly { id: string; awsDevice: string; sizeGiB: number }[],
  disks: readonly BlockNode[],
): Map<string, { disk: BlockNode; matchedBy: DiskMatch }> {
  const found = new Map<string, { disk: BlockNode; matchedBy: DiskMatch }>();
  const taken = new Set<string>();
  const claim = (volumeId: string, disk: BlockNode, matchedBy: DiskMatch): void => {
    found.set(volumeId, { disk, matchedBy });
    taken.add(disk.name);
  };
  for (const v of volumes) {
    const serial = v.id.replace('-', '').toLowerCase();
    const disk = disks.find((d) => d.serial?.replace('-', '').toLowerCase() === serial);
    if (disk) claim(v.id, disk, 'serial');
  }
  for (const v of volumes) {
    if (found.has(v.id)) continue;
    const names = xenNames(v.awsDevice);
    const disk = disks.find((d) => !taken.has(d.name) && names.includes(d.name));
    if (disk) claim(v.id, disk, 'name');
  }
  for (const v of volumes) {
    if (found.has(v.id)) continue;
    const sameSize = disks.filter((d) => !taken.has(d.name) && d.size === v.sizeGiB * GIB);
    const [only] = sameSize;
    if (only && sameSize.length === 1) claim(v.id, only, 'size');
  }
  return found;
}

/** 1 for nvme0n1p1, xvda1 and loop3p1: the partition number is what follows the disk's name (and a `p`). */
export function partitionNumber(disk: string, partition: string): number | undefined {
  if (!partition.startsWith(disk)) return undefined;
  const n = /^p?(\d+)$/.exec(partition.slice(disk.length));
  return n ? Number(n[1]) : undefined;
}

/** A disk's filesystems: its partitions, or the disk itself when it holds a filesystem directly; with df's figures. */
export function filesystemsOf(disk: BlockNode, df: readonly DfRow[]): OsFilesystem[] {
  const parts = disk.children.filter((c) => c.type === 'part');
  const nodes = parts.length > 0 ? parts : disk.fstype !== undefined || disk.mountpoint !== undefined ? [disk] : [];
  return nodes.map((n) => {
    const usage = n.mountpoint === undefined ? undefined : df.find((r) => r.mountPoint === n.mountpoint);
    return {
      device: `/dev/${n.name}`,
      partition: n === disk ? undefined : partitionNumber(disk.name, n.name),
      fsType: n.fstype,
      mountPoint: n.mountpoint,
      sizeBytes: usage?.sizeBytes,
      usedBytes: usage?.usedBytes,
      availBytes: usage?.availBytes,
      blockBytes: n.size,
    };
  });
}

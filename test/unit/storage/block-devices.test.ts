import { describe, expect, it } from 'vitest';
import { filesystemsOf, matchDisks, parseDf, parseLsblk, parseProbe, partitionNumber } from '../../../src/main/services/storage/block-devices';

const GIB = 1024 ** 3;

// A Nitro instance (lsblk 2.37, MOUNTPOINT): the root volume with a BIOS boot partition, and an empty data volume.
const NVME = JSON.stringify({
  blockdevices: [
    {
      name: 'nvme0n1',
      type: 'disk',
      size: 8 * GIB,
      serial: 'vol0123456789abcdef0',
      mountpoint: null,
      fstype: null,
      uuid: null,
      children: [
        { name: 'nvme0n1p1', type: 'part', size: 8 * GIB - 5 * 1024 * 1024, serial: null, mountpoint: '/', fstype: 'ext4', uuid: 'aaaa' },
        { name: 'nvme0n1p14', type: 'part', size: 4 * 1024 * 1024, serial: null, mountpoint: null, fstype: null, uuid: null },
        { name: 'nvme0n1p15', type: 'part', size: 106 * 1024 * 1024, serial: null, mountpoint: '/boot/efi', fstype: 'vfat', uuid: 'bbbb' },
      ],
    },
    { name: 'nvme1n1', type: 'disk', size: String(100 * GIB), serial: 'vol0fedcba9876543210', mountpoint: null, fstype: null, uuid: null },
  ],
});

// A Xen instance (t2): /dev/sda1 is xvda with partition xvda1; /dev/sdf is xvdf with xfs on the whole disk (lsblk 2.39 MOUNTPOINTS).
const XEN = JSON.stringify({
  blockdevices: [
    { name: 'xvda', type: 'disk', size: 8 * GIB, serial: null, children: [{ name: 'xvda1', type: 'part', size: 8 * GIB, mountpoints: ['/'], fstype: 'xfs' }] },
    { name: 'xvdf', type: 'disk', size: 20 * GIB, serial: null, mountpoints: ['/data'], fstype: 'xfs', uuid: 'cccc' },
  ],
});

const DF = `Filesystem     Type     1-blocks       Used  Available Capacity Mounted on
/dev/nvme0n1p1 ext4  8132173824 7800000000  315396096      97% /
/dev/nvme0n1p15 vfat  109422592    6291456  103131136       6% /boot/efi
/dev/xvdf      xfs  21464350720  160000000 21304350720       1% /data with space
`;

describe('lsblk and df', () => {
  it('reads lsblk JSON of both generations (MOUNTPOINT and MOUNTPOINTS, sizes as numbers or strings)', () => {
    const nvme = parseLsblk(NVME);
    expect(nvme.map((d) => [d.name, d.size])).toEqual([
      ['nvme0n1', 8 * GIB],
      ['nvme1n1', 100 * GIB],
    ]);
    expect(nvme[0]?.children[0]).toMatchObject({ name: 'nvme0n1p1', mountpoint: '/', fstype: 'ext4' });
    const xen = parseLsblk(XEN);
    expect(xen[1]).toMatchObject({ name: 'xvdf', mountpoint: '/data', fstype: 'xfs' });
  });

  it('reads df -P -T -B1, mount points with spaces included', () => {
    const rows = parseDf(DF);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ source: '/dev/nvme0n1p1', fsType: 'ext4', sizeBytes: 8132173824, usedBytes: 7800000000, availBytes: 315396096, mountPoint: '/' });
    expect(rows[2]?.mountPoint).toBe('/data with space');
  });

  it('splits the probe into its sections', () => {
    const os = parseProbe(`@@os\nubuntu\n@@sudo\nyes\n@@growpart\nno\n@@lsblk\n${NVME}\n@@df\n${DF}`);
    expect(os).toMatchObject({ distro: 'ubuntu', isRoot: false, hasSudo: true, hasGrowpart: false });
    expect(os.disks).toHaveLength(2);
    expect(os.df).toHaveLength(3);
    expect(parseProbe('@@os\n\n@@sudo\nno\n@@lsblk\nnot json\n')).toMatchObject({ distro: undefined, hasSudo: false, disks: [] });
  });
});

describe('which disk is which volume', () => {
  it('NVMe: by the serial, which is the volume id without its dash', () => {
    const m = matchDisks(
      [
        { id: 'vol-0fedcba9876543210', awsDevice: '/dev/sdf', sizeGiB: 100 },
        { id: 'vol-0123456789abcdef0', awsDevice: '/dev/sda1', sizeGiB: 8 },
      ],
      parseLsblk(NVME),
    );
    expect(m.get('vol-0123456789abcdef0')).toMatchObject({ disk: { name: 'nvme0n1' }, matchedBy: 'serial' });
    expect(m.get('vol-0fedcba9876543210')).toMatchObject({ disk: { name: 'nvme1n1' }, matchedBy: 'serial' });
  });

  it('Xen: /dev/sda1 is xvda, /dev/sdf is xvdf', () => {
    const m = matchDisks(
      [
        { id: 'vol-0000000000000000a', awsDevice: '/dev/sda1', sizeGiB: 8 },
        { id: 'vol-0000000000000000b', awsDevice: '/dev/sdf', sizeGiB: 20 },
      ],
      parseLsblk(XEN),
    );
    expect(m.get('vol-0000000000000000a')).toMatchObject({ disk: { name: 'xvda' }, matchedBy: 'name' });
    expect(m.get('vol-0000000000000000b')).toMatchObject({ disk: { name: 'xvdf' }, matchedBy: 'name' });
  });

  it('by size only when exactly one unmatched disk has it; never a disk already matched', () => {
    const disks = parseLsblk(JSON.stringify({ blockdevices: [{ name: 'loop3', type: 'loop', size: 3 * GIB }, { name: 'vdb', type: 'disk', size: 5 * GIB }, { name: 'vdc', type: 'disk', size: 5 * GIB }] }));
    const m = matchDisks(
      [
        { id: 'vol-0000000000000000c', awsDevice: '/dev/sdg', sizeGiB: 3 },
        { id: 'vol-0000000000000000d', awsDevice: '/dev/sdh', sizeGiB: 5 },
        { id: 'vol-0000000000000000e', awsDevice: '/dev/sdi', sizeGiB: 9 },
      ],
      disks,
    );
    expect(m.get('vol-0000000000000000c')).toMatchObject({ disk: { name: 'loop3' }, matchedBy: 'size' });
    expect(m.has('vol-0000000000000000d')).toBe(false);
    expect(m.has('vol-0000000000000000e')).toBe(false);
  });
});

describe('filesystems of a disk', () => {
  it('partitions with their numbers and df figures; a whole-disk filesystem has no number', () => {
    const [root] = parseLsblk(NVME);
    const fs = filesystemsOf(root!, parseDf(DF));
    expect(fs.map((f) => [f.device, f.partition, f.fsType, f.mountPoint])).toEqual([
      ['/dev/nvme0n1p1', 1, 'ext4', '/'],
      ['/dev/nvme0n1p14', 14, undefined, undefined],
      ['/dev/nvme0n1p15', 15, 'vfat', '/boot/efi'],
    ]);
    expect(fs[0]?.usedBytes).toBe(7800000000);
    const xvdf = parseLsblk(XEN)[1]!;
    expect(filesystemsOf(xvdf, [])).toMatchObject([{ device: '/dev/xvdf', partition: undefined, fsType: 'xfs' }]);
    expect(filesystemsOf(parseLsblk(NVME)[1]!, [])).toEqual([]);
  });

  it('partition numbers: nvme0n1p1, xvda1, loop3p2', () => {
    expect(partitionNumber('nvme0n1', 'nvme0n1p1')).toBe(1);
    expect(partitionNumber('xvda', 'xvda1')).toBe(1);
    expect(partitionNumber('loop3', 'loop3p2')).toBe(2);
    expect(partitionNumber('sda', 'sdb1')).toBeUndefined();
  });
});

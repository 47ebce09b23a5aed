import { createHash } from 'node:crypto';

export type SimArchitecture = 'x86_64' | 'arm64';

/** One AMI as DescribeImages reports it. */
export interface SimImage {
  readonly id: string;
  readonly region: string;
  name: string;
  description: string;
  /** ISO-8601 with milliseconds, as EC2 writes it. */
  readonly creationDate: string;
  readonly architecture: SimArchitecture;
  readonly rootDeviceName: string;
  /** The root device's size and type (its mapping's). */
  readonly volumeSize: number;
  readonly volumeType: string;
  /** Root device first; every EBS mapping is backed by a snapshot. */
  readonly blockDeviceMappings: readonly SimBlockDeviceMapping[];
  readonly ownerId: string;
  /** 'amazon' for images AWS publishes (Amazon Linux, Deep Learning AMIs); Canonical's have none. */
  readonly ownerAlias: string | undefined;
  /** The `all` group in its launch permission. */
  isPublic: boolean;
  /** Accounts it is shared with (ModifyImageAttribute launchPermission). */
  readonly launchPermissions: Set<string>;
  readonly platformDetails: string;
  state: 'available' | 'pending' | 'failed' | 'deregistered' | 'disabled';
  /** Epoch ms when a pending image becomes available (once its snapshots complete); settled on read. */
  readonly availableAt: number;
  readonly bootMode: string;
  readonly imdsSupport: string | undefined;
  readonly deprecationTime: string | undefined;
  readonly tags: Map<string, string>;
}

export interface SimBlockDeviceMapping {
  readonly deviceName: string;
  readonly snapshotId: string;
  readonly volumeSize: number;
  readonly volumeType: string;
  readonly deleteOnTermination: boolean;
  readonly encrypted: boolean;
}

/** What a test gives `addImage`; by default an available x86_64 image owned by the simulated account ("My AMIs"). */
export interface SimImageInput {
  id?: string;
  name: string;
  description?: string;
  architecture?: SimArchitecture;
  /** 12 digits; default the simulator's account (an image the user made). */
  ownerId?: string;
  ownerAlias?: string;
  isPublic?: boolean;
  creationDate?: Date | string;
  rootDeviceName?: string;
  volumeSize?: number;
  volumeType?: string;
  /**
   * EBS mappings (default: just the root device, `volumeSize` GiB of `volumeType`). For images the account
   * owns, the simulator creates the snapshots behind them (or uses the ones named), as CreateImage does.
   */
  blockDeviceMappings?: { deviceName: string; snapshotId?: string; volumeSize?: number; volumeType?: string; deleteOnTermination?: boolean; encrypted?: boolean }[];
  platformDetails?: string;
  state?: SimImage['state'];
  /** With state `pending`: when it becomes available (epoch ms). */
  availableAt?: number;
  tags?: Record<string, string>;
}

const AMAZON = '137112412989';
const CANONICAL = '099720109477';
const DLAMI = '898082745236';
const DEBIAN = '136693071363';

interface Seed extends Omit<SimImageInput, 'id'> {
  key: string;
}

/** The public catalogue every region gets, with region-specific ids (as real AMI ids differ per region). */
const SEEDS: readonly Seed[] = [
  ...(['x86_64', 'arm64'] as const).flatMap((arch): Seed[] => [
    {
      key: `al2023-${arch}`,
      name: `al2023-ami-2023.6.20241121.0-kernel-6.1-${arch}`,
      description: `Amazon Linux 2023 AMI 2023.6.20241121.0 ${arch} HVM kernel-6.1`,
      architecture: arch,
      ownerId: AMAZON,
      ownerAlias: 'amazon',
      creationDate: '2024-11-20T22:27:07.000Z',
      rootDeviceName: '/dev/xvda',
      volumeSize: 8,
      volumeType: 'gp3',
    },
    {
      key: `al2023-old-${arch}`,
      name: `al2023-ami-2023.6.20241031.0-kernel-6.1-${arch}`,
      description: `Amazon Linux 2023 AMI 2023.6.20241031.0 ${arch} HVM kernel-6.1`,
      architecture: arch,
      ownerId: AMAZON,
      ownerAlias: 'amazon',
      creationDate: '2024-10-30T20:09:51.000Z',
      rootDeviceName: '/dev/xvda',
      volumeSize: 8,
      volumeType: 'gp3',
    },
  ]),
  ...(['amd64', 'arm64'] as const).flatMap((deb): Seed[] => {
    const architecture = deb === 'amd64' ? 'x86_64' : 'arm64';
    return [
      {
        key: `ubuntu-24.04-${deb}`,
        name: `ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${deb}-server-20241119`,
        description: `Canonical, Ubuntu, 24.04, ${deb} noble image`,
        architecture,
        ownerId: CANONICAL,
        creationDate: '2024-11-19T08:45:18.000Z',
        rootDeviceName: '/dev/sda1',
        volumeSize: 8,
        volumeType: 'gp3',
      },
      {
        key: `ubuntu-22.04-${deb}`,
        name: `ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-${deb}-server-20241109`,
        description: `Canonical, Ubuntu, 22.04 LTS, ${deb} jammy image build on 2024-11-09`,
        architecture,
        ownerId: CANONICAL,
        creationDate: '2024-11-09T04:12:30.000Z',
        rootDeviceName: '/dev/sda1',
        volumeSize: 8,
        volumeType: 'gp2',
      },
    ];
  }),
  {
    key: 'dlami-base-x86_64',
    name: 'Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) 20241115',
    description: 'Supported EC2 instances: G4dn, G5, G6, Gr6, G6e, P4, P4de, P5, P5e. Release notes: https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html',
    architecture: 'x86_64',
    ownerId: DLAMI,
    ownerAlias: 'amazon',
    creationDate: '2024-11-16T01:02:44.000Z',
    rootDeviceName: '/dev/sda1',
    volumeSize: 75,
    volumeType: 'gp3',
  },
  {
    key: 'dlami-base-arm64',
    name: 'Deep Learning ARM64 Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) 20241115',
    description: 'Supported EC2 instances: G5g. Release notes: https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html',
    architecture: 'arm64',
    ownerId: DLAMI,
    ownerAlias: 'amazon',
    creationDate: '2024-11-16T01:40:12.000Z',
    rootDeviceName: '/dev/sda1',
    volumeSize: 75,
    volumeType: 'gp3',
  },
  {
    key: 'dlami-pytorch-x86_64',
    name: 'Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.5.1 (Ubuntu 22.04) 20241116',
    description: 'Supported EC2 instances: G4dn, G5, G6, Gr6, G6e, P4d, P4de, P5, P5e. PyTorch-2.5.1, CUDA 12.4. Release notes: https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html',
    architecture: 'x86_64',
    ownerId: DLAMI,
    ownerAlias: 'amazon',
    creationDate: '2024-11-17T03:51:09.000Z',
    rootDeviceName: '/dev/sda1',
    volumeSize: 100,
    volumeType: 'gp3',
  },
  {
    key: 'dlami-pytorch-arm64',
    name: 'Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch 2.5.1 (Ubuntu 22.04) 20241116',
    description: 'Supported EC2 instances: G5g. PyTorch-2.5.1, CUDA 12.4. Release notes: https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html',
    architecture: 'arm64',
    ownerId: DLAMI,
    ownerAlias: 'amazon',
    creationDate: '2024-11-17T04:20:33.000Z',
    rootDeviceName: '/dev/sda1',
    volumeSize: 100,
    volumeType: 'gp3',
  },
  {
    key: 'debian-12-amd64',
    name: 'debian-12-amd64-20241111-1928',
    description: 'Debian 12 (20241111-1928)',
    architecture: 'x86_64',
    ownerId: DEBIAN,
    creationDate: '2024-11-11T20:33:02.000Z',
    rootDeviceName: '/dev/xvda',
    volumeSize: 8,
    volumeType: 'gp2',
  },
];

/** SSM public parameters (the launch presets) → the seed they resolve to in each region. */
export const PUBLIC_AMI_PARAMETERS: Readonly<Record<string, string>> = {
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64': 'al2023-x86_64',
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64': 'al2023-arm64',
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64': 'al2023-x86_64',
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64': 'al2023-arm64',
  '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id': 'ubuntu-24.04-amd64',
  '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id': 'ubuntu-24.04-arm64',
  '/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id': 'ubuntu-22.04-amd64',
  '/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id': 'ubuntu-22.04-arm64',
  '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id': 'dlami-base-x86_64',
  '/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id': 'dlami-base-arm64',
  '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.5-ubuntu-22.04/latest/ami-id': 'dlami-pytorch-x86_64',
  '/aws/service/deeplearning/ami/arm64/oss-nvidia-driver-gpu-pytorch-2.5-ubuntu-22.04/latest/ami-id': 'dlami-pytorch-arm64',
};

/** Deterministic per region, so a failing test prints the same ids on every run. */
export function seededImageId(region: string, key: string): string {
  return `ami-0${createHash('sha256').update(`${region}/${key}`).digest('hex').slice(0, 16)}`;
}

export function isWellFormedImageId(id: string): boolean {
  return /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
}

/** Every region's AMIs: the seeded public catalogue plus what tests add. */
export class ImageCatalogue {
  private readonly byRegion = new Map<string, Map<string, SimImage>>();
  /** Legacy `setImageName` registrations, visible in every region. */
  readonly namesOnly = new Map<string, string>();
  /** Every CreateImage the simulator accepted, in order (tests check what was asked, e.g. NoReboot). */
  readonly created: { instanceId: string; imageId: string; noReboot: boolean }[] = [];

  /**
   * The seeds are written with late-2024 dates; they are moved forward by whole days so that the newest is a
   * few days old whenever the tests run (names and descriptions carry their dates, so those move too).
   */
  private readonly shiftDays: number;

  constructor(private readonly accountId: string, now: number = Date.now()) {
    this.shiftDays = Math.max(0, Math.floor((now - Date.UTC(2024, 10, 21)) / 86_400_000) - 3);
  }

  private shift(seed: Omit<Seed, 'key'>): Omit<Seed, 'key'> {
    const move = (ymd: string): Date => new Date(Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8))) + this.shiftDays * 86_400_000);
    const compact = (value: string): string => value.replace(/\b20\d{6}\b/g, (m) => move(m).toISOString().slice(0, 10).replace(/-/g, ''));
    const dashed = (value: string): string => value.replace(/\b(20\d\d)-(\d\d)-(\d\d)\b/g, (_m, y: string, mo: string, d: string) => move(`${y}${mo}${d}`).toISOString().slice(0, 10));
    const created = seed.creationDate === undefined ? undefined : new Date(new Date(seed.creationDate).getTime() + this.shiftDays * 86_400_000);
    return {
      ...seed,
      name: dashed(compact(seed.name)),
      ...(seed.description === undefined ? {} : { description: dashed(compact(seed.description)) }),
      ...(created === undefined ? {} : { creationDate: created }),
    };
  }

  in(region: string): Map<string, SimImage> {
    let map = this.byRegion.get(region);
    if (!map) {
      map = new Map();
      for (const seed of SEEDS) {
        const { key, ...input } = seed;
        const image = this.build(region, { ...this.shift(input), id: seededImageId(region, key), isPublic: true });
        map.set(image.id, image);
      }
      this.byRegion.set(region, map);
    }
    // CreateImage / CopyImage images become available once their snapshots are done.
    const now = Date.now();
    for (const image of map.values()) if (image.state === 'pending' && image.availableAt <= now) image.state = 'available';
    return map;
  }

  /** The image with this id visible in the region (including `setImageName` ones), if any. */
  get(region: string, id: string): SimImage | undefined {
    const image = this.in(region).get(id);
    if (image) return image;
    const name = this.namesOnly.get(id);
    return name === undefined ? undefined : this.build(region, { id, name, ownerId: AMAZON, ownerAlias: 'amazon', isPublic: true });
  }

  all(region: string): SimImage[] {
    const own = [...this.in(region).values()];
    const legacy = [...this.namesOnly.keys()].filter((id) => !this.in(region).has(id)).flatMap((id) => this.get(region, id) ?? []);
    return [...own, ...legacy];
  }

  add(region: string, input: SimImageInput): string {
    const image = this.build(region, { ...input, id: input.id ?? newImageId(region, input.name) });
    if (this.in(region).has(image.id)) throw new Error(`image ${image.id} already exists in ${region}`);
    this.in(region).set(image.id, image);
    return image.id;
  }

  /** DeregisterImage: the image is gone from listings at once (its snapshots stay). */
  remove(region: string, id: string): void {
    this.in(region).delete(id);
  }

  /** Renames an image wherever it exists; unknown ids become minimal public images (the old behaviour). */
  setName(id: string, name: string): void {
    let found = false;
    for (const map of this.byRegion.values()) {
      const image = map.get(id);
      if (image) {
        image.name = name;
        found = true;
      }
    }
    if (!found) this.namesOnly.set(id, name);
  }

  private build(region: string, input: SimImageInput & { id: string }): SimImage {
    const architecture = input.architecture ?? 'x86_64';
    const created = input.creationDate === undefined ? new Date() : new Date(input.creationDate);
    const ownerId = input.ownerId ?? this.accountId;
    const rootDeviceName = input.rootDeviceName ?? '/dev/xvda';
    const mappings: SimBlockDeviceMapping[] = (
      input.blockDeviceMappings ?? [{ deviceName: rootDeviceName, volumeSize: input.volumeSize ?? 8, volumeType: input.volumeType ?? 'gp3' }]
    ).map((m) => ({
      deviceName: m.deviceName,
      snapshotId: m.snapshotId ?? snapshotIdOf(input.id, m.deviceName),
      volumeSize: m.volumeSize ?? input.volumeSize ?? 8,
      volumeType: m.volumeType ?? input.volumeType ?? 'gp3',
      deleteOnTermination: m.deleteOnTermination ?? true,
      encrypted: m.encrypted ?? false,
    }));
    const root = mappings.find((m) => m.deviceName === rootDeviceName);
    return {
      id: input.id,
      region,
      name: input.name,
      description: input.description ?? '',
      creationDate: new Date(Math.floor(created.getTime() / 1000) * 1000).toISOString(),
      architecture,
      rootDeviceName,
      volumeSize: root?.volumeSize ?? input.volumeSize ?? 8,
      volumeType: root?.volumeType ?? input.volumeType ?? 'gp3',
      blockDeviceMappings: mappings,
      ownerId,
      ownerAlias: input.ownerAlias,
      isPublic: input.isPublic ?? false,
      launchPermissions: new Set(),
      platformDetails: input.platformDetails ?? 'Linux/UNIX',
      state: input.state ?? 'available',
      availableAt: input.availableAt ?? 0,
      bootMode: architecture === 'arm64' ? 'uefi' : 'uefi-preferred',
      imdsSupport: input.name.startsWith('al2023') ? 'v2.0' : undefined,
      // Public AMIs get a deprecation date two years out, as AWS sets by default.
      deprecationTime: input.isPublic ? new Date(created.getTime() + 2 * 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, '.000Z') : undefined,
      tags: new Map(Object.entries(input.tags ?? {})),
    };
  }
}

/** A fresh AMI id in EC2's 17-digit form. */
export function newImageId(region: string, name: string): string {
  return `ami-0${createHash('sha256').update(`${region}/${name}/${Math.random()}`).digest('hex').slice(0, 16)}`;
}

/** The (stable) snapshot behind a mapping of a public image, which the simulated account does not own. */
export function snapshotIdOf(imageId: string, deviceName: string): string {
  return `snap-0${createHash('sha256').update(`${imageId}${deviceName}`).digest('hex').slice(0, 16)}`;
}

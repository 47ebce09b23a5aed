import { resourceId } from './ids';
import { SimError } from './sim-error';

/** A VPC; every region starts with a default one (172.31.0.0/16), as every account created since 2013 does. */
export interface SimVpc {
  readonly id: string;
  readonly region: string;
  readonly cidrBlock: string;
  readonly isDefault: boolean;
  readonly dhcpOptionsId: string;
  readonly tags: Map<string, string>;
}

export interface SimSubnet {
  readonly id: string;
  readonly region: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly cidrBlock: string;
  readonly defaultForAz: boolean;
  readonly mapPublicIpOnLaunch: boolean;
  readonly tags: Map<string, string>;
}

/** One security group rule (one source), as EC2 keeps them since security group rule ids (sgr-) exist. */
export interface SimRule {
  readonly id: string;
  readonly egress: boolean;
  /** 'tcp' | 'udp' | 'icmp' | '-1' (all) or a protocol number. */
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidrIpv4: string | undefined;
  readonly cidrIpv6: string | undefined;
  /** A source security group (the default group refers to itself). */
  readonly groupId: string | undefined;
  readonly description: string | undefined;
}

export interface SimSecurityGroup {
  readonly id: string;
  readonly region: string;
  readonly vpcId: string;
  readonly name: string;
  readonly description: string;
  readonly tags: Map<string, string>;
  readonly rules: SimRule[];
}

export interface SimVpcInput {
  cidrBlock?: string;
  /** One subnet per entry; default: one per availability zone. */
  subnets?: { availabilityZone: string; cidrBlock?: string; mapPublicIpOnLaunch?: boolean }[];
  tags?: Record<string, string>;
}

export const AZ_SUFFIXES = ['a', 'b', 'c'] as const;

/** us-east-1 → use1, ap-southeast-2 → apse2: the prefix of zone ids (use1-az1). */
export function zoneIdPrefix(region: string): string {
  const [geo = '', direction = '', number = ''] = region.split('-');
  const initials = direction.replace(/(north|south|east|west|central)/g, (w) => w[0] ?? '');
  return `${geo}${initials}${number}`;
}

/**
 * VPCs, subnets and security groups per region. A region's default network is created the first time the
 * region is touched, so regions added to the simulator later get one too.
 */
export class NetworkStore {
  readonly vpcs = new Map<string, SimVpc>();
  readonly subnets = new Map<string, SimSubnet>();
  readonly groups = new Map<string, SimSecurityGroup>();
  private readonly seeded = new Set<string>();
  private readonly noDefaultVpc = new Set<string>();

  availabilityZones(region: string): string[] {
    return AZ_SUFFIXES.map((s) => `${region}${s}`);
  }

  private seed(region: string): void {
    if (this.seeded.has(region)) return;
    this.seeded.add(region);
    if (this.noDefaultVpc.has(region)) return;
    this.createVpc(region, {
      cidrBlock: '172.31.0.0/16',
      subnets: this.availabilityZones(region).map((az, k) => ({ availabilityZone: az, cidrBlock: `172.31.${k * 16}.0/20`, mapPublicIpOnLaunch: true })),
    }, true);
  }

  createVpc(region: string, input: SimVpcInput = {}, isDefault = false): { vpcId: string; subnetIds: string[]; defaultGroupId: string } {
    if (!isDefault) this.seed(region);
    const cidr = input.cidrBlock ?? '10.0.0.0/16';
    const vpc: SimVpc = {
      id: resourceId('vpc'),
      region,
      cidrBlock: cidr,
      isDefault,
      dhcpOptionsId: `dopt-${resourceId('vpc').slice(4, 12)}`,
      tags: new Map(Object.entries(input.tags ?? {})),
    };
    this.vpcs.set(vpc.id, vpc);
    const base = cidr.split('.').slice(0, 2).join('.');
    const subnetInputs: NonNullable<SimVpcInput['subnets']> = input.subnets ?? this.availabilityZones(region).map((az) => ({ availabilityZone: az }));
    const subnetIds = subnetInputs.map((s, k) => {
      const subnet: SimSubnet = {
        id: resourceId('subnet'),
        region,
        vpcId: vpc.id,
        availabilityZone: s.availabilityZone,
        cidrBlock: s.cidrBlock ?? `${base}.${k * 16}.0/20`,
        defaultForAz: isDefault,
        mapPublicIpOnLaunch: s.mapPublicIpOnLaunch ?? isDefault,
        tags: new Map(),
      };
      this.subnets.set(subnet.id, subnet);
      return subnet.id;
    });
    const defaultGroup: SimSecurityGroup = {
      id: resourceId('sg'),
      region,
      vpcId: vpc.id,
      name: 'default',
      description: 'default VPC security group',
      tags: new Map(),
      rules: [],
    };
    // The default group admits everything from its own members and lets everything out.
    defaultGroup.rules.push(
      rule({ egress: false, protocol: '-1', groupId: defaultGroup.id }),
      rule({ egress: true, protocol: '-1', cidrIpv4: '0.0.0.0/0' }),
    );
    this.groups.set(defaultGroup.id, defaultGroup);
    return { vpcId: vpc.id, subnetIds, defaultGroupId: defaultGroup.id };
  }

  /** Deletes the region's default VPC with its subnets and groups (what "no default VPC" accounts look like). */
  removeDefaultVpc(region: string): void {
    if (!this.seeded.has(region)) {
      this.noDefaultVpc.add(region);
      return;
    }
    const vpc = this.defaultVpc(region);
    if (!vpc) return;
    this.vpcs.delete(vpc.id);
    for (const [id, s] of this.subnets) if (s.vpcId === vpc.id) this.subnets.delete(id);
    for (const [id, g] of this.groups) if (g.vpcId === vpc.id) this.groups.delete(id);
  }

  vpcsIn(region: string): SimVpc[] {
    this.seed(region);
    return [...this.vpcs.values()].filter((v) => v.region === region);
  }

  subnetsIn(region: string): SimSubnet[] {
    this.seed(region);
    return [...this.subnets.values()].filter((s) => s.region === region);
  }

  groupsIn(region: string): SimSecurityGroup[] {
    this.seed(region);
    return [...this.groups.values()].filter((g) => g.region === region);
  }

  defaultVpc(region: string): SimVpc | undefined {
    return this.vpcsIn(region).find((v) => v.isDefault);
  }

  defaultSubnet(region: string, availabilityZone: string): SimSubnet | undefined {
    return this.subnetsIn(region).find((s) => s.defaultForAz && s.availabilityZone === availabilityZone);
  }

  defaultGroup(vpcId: string): SimSecurityGroup | undefined {
    return [...this.groups.values()].find((g) => g.vpcId === vpcId && g.name === 'default');
  }

  vpc(region: string, id: string): SimVpc {
    const vpc = this.vpcsIn(region).find((v) => v.id === id);
    if (!vpc) throw new SimError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
    return vpc;
  }

  subnet(region: string, id: string): SimSubnet {
    const subnet = this.subnetsIn(region).find((s) => s.id === id);
    if (!subnet) throw new SimError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    return subnet;
  }

  group(region: string, id: string): SimSecurityGroup {
    if (!/^sg-[0-9a-f]{8,17}$/.test(id)) throw new SimError('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
    const group = this.groupsIn(region).find((g) => g.id === id);
    if (!group) throw new SimError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    return group;
  }

  /** By name, which EC2 resolves in the default VPC only. */
  groupByName(region: string, name: string): SimSecurityGroup {
    const vpc = this.defaultVpc(region);
    if (!vpc) throw new SimError('VPCIdNotSpecified', 'No default VPC for this user');
    const group = this.groupsIn(region).find((g) => g.vpcId === vpc.id && g.name === name);
    if (!group) throw new SimError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc.id}'`);
    return group;
  }
}

export function rule(input: Partial<Omit<SimRule, 'id'>> & { egress: boolean; protocol: string }): SimRule {
  return {
    id: `sgr-${resourceId('sg').slice(3)}`,
    fromPort: undefined,
    toPort: undefined,
    cidrIpv4: undefined,
    cidrIpv6: undefined,
    groupId: undefined,
    description: undefined,
    ...input,
  };
}

import type { Ec2ActionContext } from './ec2-actions';
import { resourceId } from './ids';
import type { InstanceStore, SimInstance } from './instance-store';
import { checkDryRun } from './network-actions';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { parseTagSpecifications, tagSetXml } from './tags';
import { optText, items, text } from './xml';

/** One Elastic IP (domain vpc), associated with an instance or idle. */
export interface SimAddress {
  readonly allocationId: string;
  readonly publicIp: string;
  readonly region: string;
  association: { associationId: string; instanceId: string; networkInterfaceId: string; privateIp: string | undefined } | undefined;
  readonly tags: Map<string, string>;
}

/** What a test may pin when seeding an Elastic IP (`sim.seed.address`). */
export interface SimAddressInput {
  publicIp?: string;
  /** Associate it with this instance of the region (which then shows it as its public IP). */
  instanceId?: string;
  tags?: Record<string, string>;
}

/** EC2's default Elastic IP quota per region. */
const ADDRESS_LIMIT = 5;

export class AddressStore {
  private readonly byRegion = new Map<string, Map<string, SimAddress>>();
  private counter = 1;

  in(region: string): Map<string, SimAddress> {
    let map = this.byRegion.get(region);
    if (!map) {
      map = new Map();
      this.byRegion.set(region, map);
    }
    return map;
  }

  add(region: string, input: SimAddressInput = {}): SimAddress {
    const n = this.counter++;
    const address: SimAddress = {
      allocationId: resourceId('eipalloc'),
      // Elastic IPs come from another pool than the auto-assigned 54.x addresses, so tests can tell them apart.
      publicIp: input.publicIp ?? `3.${208 + ((n >> 16) & 31)}.${(n >> 8) & 255}.${n & 255}`,
      region,
      association: undefined,
      tags: new Map(Object.entries(input.tags ?? {})),
    };
    this.in(region).set(address.allocationId, address);
    return address;
  }

  associate(store: InstanceStore, address: SimAddress, instance: SimInstance): string {
    if (address.association) this.disassociate(store, address);
    // An instance has one primary public address: its previous Elastic IP becomes idle.
    for (const other of this.in(address.region).values()) {
      if (other.association?.instanceId === instance.id) this.disassociate(store, other);
    }
    const associationId = resourceId('eipassoc');
    address.association = { associationId, instanceId: instance.id, networkInterfaceId: instance.networkInterfaceId, privateIp: instance.privateIp };
    store.setElasticIp(instance, address.publicIp);
    return associationId;
  }

  disassociate(store: InstanceStore, address: SimAddress): void {
    const association = address.association;
    if (!association) return;
    address.association = undefined;
    const instance = store.get(association.instanceId);
    if (instance && instance.elasticIp === address.publicIp) store.setElasticIp(instance, undefined);
  }

  /** A terminated instance's Elastic IP stays allocated to the account, now idle (and still billed). */
  onTerminated(instance: SimInstance): void {
    for (const address of this.in(instance.region).values()) {
      if (address.association?.instanceId === instance.id) address.association = undefined;
    }
  }
}

export const ADDRESS_ACTIONS = {
  DescribeAddresses: describeAddresses,
  AllocateAddress: allocateAddress,
  AssociateAddress: associateAddress,
  DisassociateAddress: disassociateAddress,
  ReleaseAddress: releaseAddress,
} as const;

function addressXml(ctx: Ec2ActionContext, a: SimAddress): string {
  const x = a.association;
  return [
    text('publicIp', a.publicIp),
    text('allocationId', a.allocationId),
    text('domain', 'vpc'),
    optText('instanceId', x?.instanceId),
    optText('associationId', x?.associationId),
    optText('networkInterfaceId', x?.networkInterfaceId),
    optText('networkInterfaceOwnerId', x === undefined ? undefined : ctx.accountId),
    optText('privateIpAddress', x?.privateIp),
    tagSetXml(a.tags),
    text('publicIpv4Pool', 'amazon'),
    text('networkBorderGroup', a.region),
  ].join('');
}

function byAllocationId(ctx: Ec2ActionContext, id: string): SimAddress {
  const address = ctx.world.addresses.in(ctx.region).get(id);
  if (!address) throw new SimError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
  return address;
}

function byPublicIp(ctx: Ec2ActionContext, ip: string): SimAddress {
  const address = [...ctx.world.addresses.in(ctx.region).values()].find((a) => a.publicIp === ip);
  if (!address) throw new SimError('InvalidAddress.NotFound', `Address '${ip}' not found.`);
  return address;
}

/** The address a call names by AllocationId, or by PublicIp (the EC2-Classic style EC2 still accepts). */
function targetAddress(ctx: Ec2ActionContext): SimAddress {
  const allocationId = ctx.params.get('AllocationId');
  const publicIp = ctx.params.get('PublicIp');
  if (allocationId !== undefined) return byAllocationId(ctx, allocationId);
  if (publicIp !== undefined) return byPublicIp(ctx, publicIp);
  throw new SimError('MissingParameter', 'Either public IP or allocation id must be specified');
}

/** DescribeAddresses: PublicIp.N, AllocationId.N and Filter.N; unpaged, as on EC2. */
function describeAddresses(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  store.list(region);
  const allocationIds = params.list('AllocationId');
  const publicIps = params.list('PublicIp');
  const wanted = [...allocationIds.map((id) => byAllocationId(ctx, id)), ...publicIps.map((ip) => byPublicIp(ctx, ip))];
  const predicate = compileFilters<SimAddress>(
    params.filters(),
    {
      'allocation-id': (a) => [a.allocationId],
      'association-id': (a) => [a.association?.associationId],
      domain: () => ['vpc'],
      'instance-id': (a) => [a.association?.instanceId],
      'network-border-group': (a) => [a.region],
      'network-interface-id': (a) => [a.association?.networkInterfaceId],
      'network-interface-owner-id': (a) => [a.association === undefined ? undefined : ctx.accountId],
      'private-ip-address': (a) => [a.association?.privateIp],
      'public-ip': (a) => [a.publicIp],
    },
    (a) => a.tags,
  );
  checkDryRun(params);
  const pool = wanted.length > 0 ? [...new Set(wanted)] : [...world.addresses.in(region).values()];
  return items('addressesSet', pool.filter(predicate), (a) => addressXml(ctx, a));
}

function allocateAddress(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const domain = params.get('Domain') ?? 'vpc';
  if (domain !== 'vpc' && domain !== 'standard') throw new SimError('InvalidParameterValue', `Value (${domain}) for parameter domain is invalid.`);
  if (domain === 'standard') throw new SimError('InvalidParameterValue', 'EC2-Classic is not supported for this account. Use Domain=vpc.');
  const tagSpecs = parseTagSpecifications(params, ['elastic-ip']);
  if (tagSpecs.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  if (world.addresses.in(region).size >= ADDRESS_LIMIT) throw new SimError('AddressLimitExceeded', 'The maximum number of addresses has been reached.');
  checkDryRun(params);
  const address = world.addresses.add(region, { tags: Object.fromEntries(tagSpecs.get('elastic-ip') ?? []) });
  return (
    text('publicIp', address.publicIp) +
    text('domain', 'vpc') +
    text('allocationId', address.allocationId) +
    text('publicIpv4Pool', 'amazon') +
    text('networkBorderGroup', region)
  );
}

function associateAddress(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const address = targetAddress(ctx);
  const instanceId = params.get('InstanceId');
  const eniId = params.get('NetworkInterfaceId');
  if (instanceId === undefined && eniId === undefined) throw new SimError('MissingParameter', 'Either instance ID or network interface ID must be specified');
  const instance =
    instanceId !== undefined
      ? store.get(instanceId)
      : store.list(region).find((i) => i.networkInterfaceId === eniId && i.state !== 'terminated');
  if (!instance || instance.region !== region) {
    if (instanceId !== undefined) throw new SimError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
    throw new SimError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eniId ?? ''}' does not exist`);
  }
  if (instance.state === 'shutting-down' || instance.state === 'terminated') {
    throw new SimError('IncorrectInstanceState', `The instance '${instance.id}' is not in a valid state for this operation.`);
  }
  if (address.association && address.association.instanceId !== instance.id && !params.bool('AllowReassociation')) {
    throw new SimError('Resource.AlreadyAssociated', `resource ${address.allocationId} is already associated with associate-id ${address.association.associationId}`);
  }
  checkDryRun(params);
  return text('return', true) + text('associationId', world.addresses.associate(store, address, instance));
}

function disassociateAddress(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const associationId = params.get('AssociationId');
  const publicIp = params.get('PublicIp');
  let address: SimAddress | undefined;
  if (associationId !== undefined) {
    address = [...world.addresses.in(region).values()].find((a) => a.association?.associationId === associationId);
    if (!address) throw new SimError('InvalidAssociationID.NotFound', `The association ID '${associationId}' does not exist`);
  } else if (publicIp !== undefined) {
    address = byPublicIp(ctx, publicIp);
    if (!address.association) throw new SimError('InvalidAssociationID.NotFound', `The address '${publicIp}' is not associated`);
  } else {
    throw new SimError('MissingParameter', 'Either public IP or association id must be specified');
  }
  checkDryRun(params);
  world.addresses.disassociate(store, address);
  return text('return', true);
}

function releaseAddress(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  store.list(region);
  const address = targetAddress(ctx);
  if (address.association) throw new SimError('InvalidIPAddress.InUse', `Address ${address.publicIp} is in use.`);
  checkDryRun(params);
  world.addresses.in(region).delete(address.allocationId);
  return text('return', true);
}

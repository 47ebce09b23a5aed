import {
  type Address,
  AllocateAddressCommand,
  AssociateAddressCommand,
  DescribeAddressesCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import { HangarError, isCancelled } from '../../../shared/errors/hangar-error';
import type { AddressInput, AllocateAddressInput, AssociateAddressInput, ElasticIp, ElasticIpList } from '../../../shared/models/elastic-ips';
import { CREATED_BY_TAG, type RegionScope } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { PriceSource } from '../costs/price-source';
import { createEc2Call } from '../launch/ec2-call';

export interface ElasticIpService {
  /** The region's Elastic IPs, with what one costs per hour. */
  list(scope: RegionScope, signal?: AbortSignal): Promise<ElasticIpList>;
  allocate(input: AllocateAddressInput, signal?: AbortSignal): Promise<ElasticIp>;
  /** Attaches the address to the instance (an address it had before becomes idle, as EC2 does). */
  associate(input: AssociateAddressInput, signal?: AbortSignal): Promise<ElasticIp>;
  disassociate(input: AddressInput, signal?: AbortSignal): Promise<ElasticIp>;
  /** Gives the address back to AWS for good. */
  release(input: AddressInput, signal?: AbortSignal): Promise<void>;
}

export interface ElasticIpServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  prices: Pick<PriceSource, 'rates'>;
}

export function createElasticIpService(deps: ElasticIpServiceDeps): ElasticIpService {
  const call = createEc2Call(deps.clientsFor);

  async function describe(input: AddressInput, signal?: AbortSignal): Promise<ElasticIp> {
    const out = await call(input, 'ec2:DescribeAddresses', signal, (c) => c.send(new DescribeAddressesCommand({ AllocationIds: [input.allocationId] }), { abortSignal: signal }));
    const found = out.Addresses?.find((a) => a.AllocationId === input.allocationId);
    if (found === undefined) throw notFound(input);
    return toElasticIp(found);
  }

  async function hourly(scope: RegionScope, signal?: AbortSignal): Promise<Pick<ElasticIpList, 'hourlyUsd' | 'priceSource'>> {
    try {
      const priced = await deps.prices.rates(scope.accountId, scope.region, signal);
      const usd = priced?.rates.publicIpv4Hourly;
      return usd === undefined || priced === undefined ? {} : { hourlyUsd: usd, priceSource: priced.provenance };
    } catch (error) {
      // The price is said when known; not knowing it must not hide the addresses.
      if (isCancelled(error)) throw error;
      return {};
    }
  }

  return {
    async list(scope, signal) {
      const [out, price] = await Promise.all([
        call(scope, 'ec2:DescribeAddresses', signal, (c) => c.send(new DescribeAddressesCommand({ Filters: [{ Name: 'domain', Values: ['vpc'] }] }), { abortSignal: signal })),
        hourly(scope, signal),
      ]);
      const addresses = (out.Addresses ?? []).filter((a) => a.AllocationId !== undefined).map(toElasticIp);
      return { addresses: addresses.sort((a, b) => a.publicIp.localeCompare(b.publicIp, undefined, { numeric: true })), ...price };
    },

    async allocate(input, signal) {
      const name = input.name?.trim();
      const tags = [{ Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }, ...(name === undefined || name === '' ? [] : [{ Key: 'Name', Value: name }])];
      const out = await call(input, 'ec2:AllocateAddress', signal, (c) =>
        c.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: tags }] }), { abortSignal: signal }),
      );
      return describe({ accountId: input.accountId, region: input.region, allocationId: out.AllocationId ?? '' }, signal);
    },

    async associate(input, signal) {
      await call(input, 'ec2:AssociateAddress', signal, (c) =>
        c.send(new AssociateAddressCommand({ AllocationId: input.allocationId, InstanceId: input.instanceId }), { abortSignal: signal }),
      );
      return describe(input, signal);
    },

    async disassociate(input, signal) {
      const current = await describe(input, signal);
      if (current.associationId === undefined) return current;
      await call(input, 'ec2:DisassociateAddress', signal, (c) => c.send(new DisassociateAddressCommand({ AssociationId: current.associationId }), { abortSignal: signal }));
      return describe(input, signal);
    },

    async release(input, signal) {
      try {
        await call(input, 'ec2:ReleaseAddress', signal, (c) => c.send(new ReleaseAddressCommand({ AllocationId: input.allocationId }), { abortSignal: signal }));
      } catch (error) {
        const awsCode = error instanceof HangarError ? error.details?.awsCode : undefined;
        if (awsCode === 'InvalidIPAddress.InUse') {
          throw new HangarError({
            code: 'AWS_INCORRECT_STATE',
            message: 'This Elastic IP is attached, so AWS will not release it.',
            hint: 'Detach it from its instance first, then release it.',
            cause: error,
          });
        }
        if (awsCode === 'InvalidAllocationID.NotFound') throw notFound(input);
        throw error;
      }
    },
  };
}

function notFound(input: AddressInput): HangarError {
  return new HangarError({
    code: 'AWS_NOT_FOUND',
    message: `Elastic IP ${input.allocationId} is not in ${input.region} any more.`,
    hint: 'It may have been released already; refresh the list.',
  });
}

function toElasticIp(a: Address): ElasticIp {
  const name = a.Tags?.find((t) => t.Key === 'Name')?.Value;
  return {
    allocationId: a.AllocationId ?? '',
    publicIp: a.PublicIp ?? '',
    ...(name === undefined || name === '' ? {} : { name }),
    ...(a.InstanceId === undefined || a.InstanceId === '' ? {} : { instanceId: a.InstanceId }),
    ...(a.AssociationId === undefined ? {} : { associationId: a.AssociationId }),
    ...(a.NetworkInterfaceId === undefined ? {} : { networkInterfaceId: a.NetworkInterfaceId }),
  };
}

import { DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, DescribeSpotPriceHistoryCommand } from '@aws-sdk/client-ec2';
import { priceFor } from '../../../shared/models/instance-prices';
import type { LaunchTypeOption, RegionScope } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { PriceSource } from '../costs/price-source';
import { createEc2Call } from './ec2-call';

export interface LaunchInstanceTypes {
  instanceTypes(scope: RegionScope, architecture: string, signal?: AbortSignal): Promise<LaunchTypeOption[]>;
  spotPrice(scope: RegionScope, instanceType: string, signal?: AbortSignal): Promise<{ price: number; availabilityZone: string } | undefined>;
}

export interface LaunchInstanceTypesDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /** The app's one price source for on-demand prices; omitted: the bundled table. */
  prices?: Pick<PriceSource, 'onDemand'>;
}

/** The instance types offered in a region for an architecture, cheapest first, and their current spot price. */
export function createLaunchInstanceTypes(deps: LaunchInstanceTypesDeps): LaunchInstanceTypes {
  const call = createEc2Call(deps.clientsFor);
  return {
    async instanceTypes(scope, architecture, signal) {
      const offered = new Set<string>();
      await call(scope, 'ec2:DescribeInstanceTypeOfferings', signal, async (c) => {
        let token: string | undefined;
        do {
          const out = await c.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'region', NextToken: token }), { abortSignal: signal });
          for (const o of out.InstanceTypeOfferings ?? []) if (o.InstanceType !== undefined) offered.add(o.InstanceType);
          token = out.NextToken === '' ? undefined : out.NextToken;
        } while (token !== undefined);
      });
      const options: LaunchTypeOption[] = [];
      await call(scope, 'ec2:DescribeInstanceTypes', signal, async (c) => {
        let token: string | undefined;
        do {
          const out = await c.send(
            new DescribeInstanceTypesCommand({ Filters: [{ Name: 'processor-info.supported-architecture', Values: [architecture] }], NextToken: token }),
            { abortSignal: signal },
          );
          for (const t of out.InstanceTypes ?? []) {
            const type = t.InstanceType;
            if (type === undefined || !offered.has(type)) continue;
            const gpu = t.GpuInfo?.Gpus?.[0];
            const price = deps.prices === undefined ? priceFor(scope.region, type) : undefined;
            options.push({
              instanceType: type,
              vcpus: t.VCpuInfo?.DefaultVCpus ?? 0,
              memoryMiB: t.MemoryInfo?.SizeInMiB ?? 0,
              gpus: (t.GpuInfo?.Gpus ?? []).reduce((n, g) => n + (g.Count ?? 0), 0),
              ...(gpu?.Name === undefined ? {} : { gpuModel: `${gpu.Manufacturer ?? ''} ${gpu.Name}`.trim() }),
              ...(t.GpuInfo?.TotalGpuMemoryInMiB === undefined ? {} : { gpuMemoryMiB: t.GpuInfo.TotalGpuMemoryInMiB }),
              architectures: t.ProcessorInfo?.SupportedArchitectures ?? [],
              freeTier: t.FreeTierEligible === true,
              ...(price === undefined ? {} : { pricePerHour: price }),
              family: type.split('.')[0] ?? type,
            });
          }
          token = out.NextToken === '' ? undefined : out.NextToken;
        } while (token !== undefined);
      });
      const priced = deps.prices === undefined ? options : await withLivePrices(deps.prices, scope, options, signal);
      return priced.sort((a, b) => (a.pricePerHour ?? Infinity) - (b.pricePerHour ?? Infinity) || a.instanceType.localeCompare(b.instanceType));
    },

    async spotPrice(scope, instanceType, signal) {
      const out = await call(scope, 'ec2:DescribeSpotPriceHistory', signal, (c) =>
        c.send(
          new DescribeSpotPriceHistoryCommand({ InstanceTypes: [instanceType as never], ProductDescriptions: ['Linux/UNIX'], StartTime: new Date() }),
          { abortSignal: signal },
        ),
      );
      let best: { price: number; availabilityZone: string } | undefined;
      for (const row of out.SpotPriceHistory ?? []) {
        const price = Number(row.SpotPrice);
        if (!Number.isFinite(price)) continue;
        if (best === undefined || price < best.price) best = { price, availabilityZone: row.AvailabilityZone ?? '' };
      }
      return best;
    },
  };
}

/** The options with their prices from the app's price source (one Price List query for the region's types). */
async function withLivePrices(prices: Pick<PriceSource, 'onDemand'>, scope: RegionScope, options: LaunchTypeOption[], signal?: AbortSignal): Promise<LaunchTypeOption[]> {
  const live = await prices.onDemand(scope.accountId, scope.region, options.map((o) => o.instanceType), signal);
  return options.map((o) => {
    const price = live.get(o.instanceType);
    return price === undefined ? o : { ...o, pricePerHour: price.usd, priceSource: price.provenance };
  });
}

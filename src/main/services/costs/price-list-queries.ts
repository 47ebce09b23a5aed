import { GetProductsCommand, PricingClient, type Filter } from '@aws-sdk/client-pricing';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws, throwIfAborted } from '../aws/call-aws';
import { instancePricesOf, parsePriceDocument, regionRatesOf, type PricedProduct } from './price-list-documents';
import type { RegionRates } from './region-rates';

/** The Price List Query API answers in us-east-1 (also eu-central-1 and ap-south-1) for every region's prices. */
export const PRICING_REGION = 'us-east-1';
// GetProducts' largest page.
const PAGE_SIZE = 100;
// ANY_OF takes a comma-separated list; the types of one region's instances are few, but keep a query bounded.
const TYPES_PER_QUERY = 50;

const term = (Field: string, Value: string): Filter => ({ Type: 'TERM_MATCH', Field, Value });
const anyOf = (Field: string, values: readonly string[]): Filter => ({ Type: 'ANY_OF', Field, Value: values.join(',') });

/** Every page of one GetProducts query, parsed. */
async function products(clients: AwsClientFactory, ServiceCode: string, Filters: Filter[], signal: AbortSignal | undefined): Promise<PricedProduct[]> {
  return callAws(
    async () => {
      const client = clients.client(PricingClient, PRICING_REGION);
      const out: PricedProduct[] = [];
      const seen = new Set<string>();
      let NextToken: string | undefined;
      do {
        throwIfAborted(signal);
        const page = await client.send(new GetProductsCommand({ ServiceCode, Filters, FormatVersion: 'aws_v1', MaxResults: PAGE_SIZE, NextToken }), { abortSignal: signal });
        for (const item of (page.PriceList ?? []) as unknown[]) {
          const parsed = parsePriceDocument(item);
          if (parsed) out.push(parsed);
        }
        NextToken = page.NextToken === '' ? undefined : page.NextToken;
        if (NextToken !== undefined) {
          if (seen.has(NextToken)) break;
          seen.add(NextToken);
        }
      } while (NextToken !== undefined);
      return out;
    },
    { action: 'pricing:GetProducts', region: PRICING_REGION, signal },
  );
}

/**
 * Linux, shared tenancy, on-demand $/h of `types` in `region`. Every narrowing filter is needed: without
 * operatingSystem, tenancy, preInstalledSw and capacitystatus a type has nine products (Windows, dedicated,
 * SQL Server, unused reservations), not one.
 */
export async function fetchInstancePrices(clients: AwsClientFactory, region: string, types: readonly string[], signal?: AbortSignal): Promise<Map<string, number>> {
  const prices = new Map<string, number>();
  const chunks: string[][] = [];
  for (let k = 0; k < types.length; k += TYPES_PER_QUERY) chunks.push(types.slice(k, k + TYPES_PER_QUERY));
  const answers = await Promise.all(
    chunks.map((chunk) =>
      products(
        clients,
        'AmazonEC2',
        [
          term('regionCode', region),
          term('productFamily', 'Compute Instance'),
          term('operatingSystem', 'Linux'),
          term('tenancy', 'Shared'),
          term('preInstalledSw', 'NA'),
          term('capacitystatus', 'Used'),
          chunk.length === 1 ? term('instanceType', chunk[0] ?? '') : anyOf('instanceType', chunk),
        ],
        signal,
      ),
    ),
  );
  for (const answer of answers) for (const [type, usd] of instancePricesOf(answer)) prices.set(type, usd);
  return prices;
}

/** EBS volumes (every type), gp3's IOPS and throughput extras and snapshot storage (standard and archive) in `region`. */
export async function fetchStorageRates(clients: AwsClientFactory, region: string, signal?: AbortSignal): Promise<RegionRates> {
  const storage = await products(
    clients,
    'AmazonEC2',
    [term('regionCode', region), anyOf('productFamily', ['Storage', 'Storage Snapshot', 'System Operation', 'Provisioned Throughput'])],
    signal,
  );
  return regionRatesOf(storage);
}

/**
 * Public IPv4 $/h of every region in one query: two products a region (in use, idle) fit one page, so one
 * call serves a 17-region ledger instead of seventeen.
 */
export async function fetchPublicIpv4Rates(clients: AwsClientFactory, signal?: AbortSignal): Promise<Map<string, number>> {
  const found = await products(clients, 'AmazonVPC', [term('group', 'VPCPublicIPv4Address')], signal);
  const byRegion = new Map<string, PricedProduct[]>();
  for (const p of found) {
    const region = p.attributes.regionCode;
    if (region !== undefined) byRegion.set(region, [...(byRegion.get(region) ?? []), p]);
  }
  const rates = new Map<string, number>();
  for (const [region, list] of byRegion) {
    const hourly = regionRatesOf(list).publicIpv4Hourly;
    if (hourly !== undefined) rates.set(region, hourly);
  }
  return rates;
}

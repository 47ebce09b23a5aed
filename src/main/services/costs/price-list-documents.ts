import type { RegionRates } from './region-rates';

/** One product of the Price List with its on-demand price: what Hangar reads of a GetProducts document. */
export interface PricedProduct {
  readonly serviceCode: string;
  readonly productFamily: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly unit: string;
  readonly usd: number;
}

interface PriceDocument {
  serviceCode?: unknown;
  product?: { productFamily?: unknown; attributes?: unknown };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: unknown; pricePerUnit?: { USD?: unknown } }> }> };
}

/**
 * GetProducts answers each product as a whole JSON document in a string (the SDK hands it over as a String
 * object). Only documents with exactly one priced on-demand dimension are read: tiered or free products are
 * not what a ledger multiplies by. Anything malformed is skipped, never thrown.
 */
export function parsePriceDocument(item: unknown): PricedProduct | undefined {
  let doc: PriceDocument;
  try {
    doc = (typeof item === 'string' || item instanceof String ? JSON.parse(String(item)) : item) as PriceDocument;
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const attributes = doc.product?.attributes;
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const dimensions = Object.values(doc.terms?.OnDemand ?? {}).flatMap((offer) => Object.values(offer.priceDimensions ?? {}));
  const priced = dimensions.filter((d) => Number(d.pricePerUnit?.USD) > 0);
  const [dimension] = priced;
  if (priced.length !== 1 || dimension === undefined) return undefined;
  return {
    serviceCode: typeof doc.serviceCode === 'string' ? doc.serviceCode : '',
    productFamily: typeof doc.product?.productFamily === 'string' ? doc.product.productFamily : undefined,
    attributes: Object.fromEntries(Object.entries(attributes as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    unit: typeof dimension.unit === 'string' ? dimension.unit : '',
    usd: Number(dimension.pricePerUnit?.USD),
  };
}

/** Linux on-demand $/h by instance type, from Compute Instance products. */
export function instancePricesOf(products: readonly PricedProduct[]): Map<string, number> {
  const prices = new Map<string, number>();
  for (const p of products) {
    const type = p.attributes.instanceType;
    if (p.productFamily === 'Compute Instance' && type !== undefined && p.unit === 'Hrs') prices.set(type, p.usd);
  }
  return prices;
}

/**
 * A region's storage and address rates from its EC2 storage products and its VPC public IPv4 products.
 * Products are recognised by their usage type's suffix, which is stable across regions (the prefix is not).
 */
export function regionRatesOf(products: readonly PricedProduct[]): RegionRates {
  const volumeGbMonth: Record<string, number> = {};
  let gp3IopsMonth: number | undefined;
  let gp3ThroughputMonth: number | undefined;
  let snapshotGbMonth: number | undefined;
  let snapshotArchiveGbMonth: number | undefined;
  let publicIpv4Hourly: number | undefined;
  for (const p of products) {
    const usage = p.attributes.usagetype ?? '';
    const volumeType = p.attributes.volumeApiName;
    if (p.productFamily === 'Storage' && volumeType !== undefined && p.unit === 'GB-Mo' && /EBS:VolumeUsage/.test(usage)) {
      volumeGbMonth[volumeType] = p.usd;
    } else if (/EBS:VolumeP-IOPS\.gp3$/.test(usage)) {
      gp3IopsMonth = p.usd;
    } else if (/EBS:VolumeP-Throughput\.gp3$/.test(usage)) {
      gp3ThroughputMonth = p.usd;
    } else if (/EBS:SnapshotUsage$/.test(usage)) {
      snapshotGbMonth = p.usd;
    } else if (/EBS:SnapshotArchiveStorage$/.test(usage)) {
      snapshotArchiveGbMonth = p.usd;
    } else if (p.serviceCode === 'AmazonVPC' && /PublicIPv4:(InUse|Idle)Address$/.test(usage)) {
      // In-use and idle addresses cost the same today; the higher one is the safe figure if they ever differ.
      publicIpv4Hourly = Math.max(publicIpv4Hourly ?? 0, p.usd);
    }
  }
  return {
    volumeGbMonth,
    ...(gp3IopsMonth === undefined ? {} : { gp3IopsMonth }),
    ...(gp3ThroughputMonth === undefined ? {} : { gp3ThroughputMonth }),
    ...(snapshotGbMonth === undefined ? {} : { snapshotGbMonth }),
    ...(snapshotArchiveGbMonth === undefined ? {} : { snapshotArchiveGbMonth }),
    ...(publicIpv4Hourly === undefined ? {} : { publicIpv4Hourly }),
  };
}

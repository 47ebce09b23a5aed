import { describe, expect, it } from 'vitest';
import { instancePricesOf, parsePriceDocument, regionRatesOf } from '../../../src/main/services/costs/price-list-documents';

/** A price-list document as GetProducts sends it (one JSON string per product). */
function doc(attributes: Record<string, string>, usd: string, unit = 'Hrs', productFamily?: string, serviceCode = 'AmazonEC2', dimensions = 1): string {
  const priceDimensions = Object.fromEntries(
    Array.from({ length: dimensions }, (_, k) => [`SKU.JRTCKXETXF.6YS6EN2CT${k}`, { unit, pricePerUnit: { USD: usd }, description: '' }]),
  );
  return JSON.stringify({
    product: { ...(productFamily === undefined ? {} : { productFamily }), attributes, sku: 'SKU' },
    serviceCode,
    terms: { OnDemand: { 'SKU.JRTCKXETXF': { priceDimensions, sku: 'SKU', offerTermCode: 'JRTCKXETXF' } } },
  });
}

describe('price-list documents', () => {
  it('reads the single on-demand price of a document, given as a string or a String object', () => {
    const text = doc({ instanceType: 't3.micro', usagetype: 'BoxUsage:t3.micro' }, '0.0104000000', 'Hrs', 'Compute Instance');
    // The SDK hands PriceList items over as String objects.
    // eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
    const boxed: String = new String(text);
    expect(parsePriceDocument(boxed)).toMatchObject({ productFamily: 'Compute Instance', unit: 'Hrs', usd: 0.0104 });
    expect(instancePricesOf([parsePriceDocument(text)].flatMap((p) => p ?? []))).toEqual(new Map([['t3.micro', 0.0104]]));
  });

  it('skips what it cannot multiply by: malformed, free or tiered documents', () => {
    expect(parsePriceDocument('{not json')).toBeUndefined();
    expect(parsePriceDocument(doc({}, '0.0000000000'))).toBeUndefined();
    expect(parsePriceDocument(doc({}, '0.10', 'GB-Mo', 'Storage', 'AmazonEC2', 2))).toBeUndefined();
  });

  it('recognises storage, gp3 extras, snapshots and public IPv4 by usage type in any region', () => {
    const products = [
      doc({ volumeApiName: 'gp3', usagetype: 'EUW2-EBS:VolumeUsage.gp3' }, '0.0928', 'GB-Mo', 'Storage'),
      doc({ volumeApiName: 'standard', usagetype: 'EUW2-EBS:VolumeUsage' }, '0.058', 'GB-Mo', 'Storage'),
      doc({ volumeApiName: 'gp3', usagetype: 'EUW2-EBS:VolumeP-IOPS.gp3' }, '0.0058', 'IOPS-Mo', 'System Operation'),
      doc({ volumeApiName: 'gp3', usagetype: 'EUW2-EBS:VolumeP-Throughput.gp3' }, '0.046', 'MiBps-Mo', 'Provisioned Throughput'),
      doc({ usagetype: 'EUW2-EBS:SnapshotUsage' }, '0.053', 'GB-Mo', 'Storage Snapshot'),
      doc({ usagetype: 'EUW2-EBS:SnapshotArchiveStorage' }, '0.0133', 'GB-Mo', 'Storage Snapshot'),
      doc({ usagetype: 'EUW2-PublicIPv4:IdleAddress', regionCode: 'eu-west-2' }, '0.005', 'Hrs', undefined, 'AmazonVPC'),
    ].flatMap((d) => parsePriceDocument(d) ?? []);
    expect(regionRatesOf(products)).toEqual({
      volumeGbMonth: { gp3: 0.0928, standard: 0.058 },
      gp3IopsMonth: 0.0058,
      gp3ThroughputMonth: 0.046,
      snapshotGbMonth: 0.053,
      snapshotArchiveGbMonth: 0.0133,
      publicIpv4Hourly: 0.005,
    });
  });
});

import { createHash } from 'node:crypto';
import type { Ec2ActionContext } from './ec2-actions';
import { listPriceEstimate, SIM_INSTANCE_TYPES } from './instance-types';
import { checkDryRun } from './network-actions';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { items, optText, text } from './xml';

/** Where types are offered and what Spot capacity costs there (what the launch wizard asks before RunInstances). */
export const OFFERING_ACTIONS = {
  DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
  DescribeSpotPriceHistory: describeSpotPriceHistory,
} as const;

export function spotPrice(region: string, instanceType: string, az: string): number {
  const t = SIM_INSTANCE_TYPES.get(instanceType);
  if (!t) return 0;
  const wobble = createHash('sha256').update(`${region}/${instanceType}/${az}`).digest()[0] ?? 0;
  return Math.max(0.0016, listPriceEstimate(t) * (0.3 + (wobble / 255) * 0.15));
}

function priceText(value: number): string {
  return value.toFixed(6);
}

function describeInstanceTypeOfferings(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const locationType = params.get('LocationType') ?? 'region';
  if (!['region', 'availability-zone', 'availability-zone-id'].includes(locationType)) {
    throw new SimError('InvalidParameterValue', `Value (${locationType}) for parameter locationType is invalid.`);
  }
  const zones = world.network.availabilityZones(region);
  const zoneId = (az: string): string => `${az.slice(0, -1)}-az${'abc'.indexOf(az.slice(-1)) + 1}`;
  const rows: { instanceType: string; location: string }[] = [];
  for (const t of SIM_INSTANCE_TYPES.keys()) {
    const offered = world.launch.offeredIn(region, t, zones);
    if (offered.length === 0) continue;
    if (locationType === 'region') rows.push({ instanceType: t, location: region });
    else for (const az of offered) rows.push({ instanceType: t, location: locationType === 'availability-zone' ? az : zoneId(az) });
  }
  const predicate = compileFilters<{ instanceType: string; location: string }>(params.filters(), {
    'instance-type': (r) => [r.instanceType],
    location: (r) => [r.location],
  });
  const maxRaw = params.get('MaxResults');
  let pageSize = 1000;
  if (maxRaw !== undefined) {
    const max = Number(maxRaw);
    if (!Number.isInteger(max) || max < 5 || max > 1000) {
      throw new SimError('InvalidParameterValue', `Value ( ${maxRaw} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    }
    pageSize = max;
  }
  const token = params.get('NextToken');
  const offset = token === undefined || token === '' ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw new SimError('InvalidParameterValue', `Value ( ${token ?? ''} ) for parameter NextToken is invalid. The token is invalid.`);
  checkDryRun(params);
  const matching = rows.filter(predicate);
  const page = matching.slice(offset, offset + pageSize);
  const next = offset + page.length < matching.length ? Buffer.from(String(offset + page.length)).toString('base64url') : undefined;
  return (
    items('instanceTypeOfferingSet', page, (r) => text('instanceType', r.instanceType) + text('locationType', locationType) + text('location', r.location)) +
    optText('nextToken', next)
  );
}

const PRODUCTS = ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)', 'Red Hat Enterprise Linux', 'SUSE Linux', 'Windows', 'Windows (Amazon VPC)'];

/** The current price per (type, AZ, product), stamped a little before StartTime, as EC2's latest entries are. */
function describeSpotPriceHistory(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const types = params.list('InstanceType');
  const unknown = types.find((t) => !SIM_INSTANCE_TYPES.has(t));
  if (unknown !== undefined) throw new SimError('InvalidParameterValue', `The value '${unknown}' for parameter instanceType is invalid.`);
  const products = params.list('ProductDescription');
  const badProduct = products.find((p) => !PRODUCTS.includes(p));
  if (badProduct !== undefined) throw new SimError('InvalidParameterValue', `The value '${badProduct}' for parameter productDescription is invalid.`);
  const az = params.get('AvailabilityZone');
  const start = params.get('StartTime');
  const at = start === undefined ? Date.now() : Date.parse(start);
  if (Number.isNaN(at)) throw new SimError('InvalidParameterValue', `Value (${start ?? ''}) for parameter startTime is invalid.`);
  checkDryRun(params);
  const rows: { type: string; product: string; az: string; price: number; stamp: string }[] = [];
  for (const t of types.length > 0 ? types : [...SIM_INSTANCE_TYPES.keys()]) {
    for (const zone of world.launch.offeredIn(region, t, world.network.availabilityZones(region))) {
      if (az !== undefined && zone !== az) continue;
      for (const product of products.length > 0 ? products : ['Linux/UNIX']) {
        const windows = product.startsWith('Windows') ? 1.8 : 1;
        rows.push({ type: t, product, az: zone, price: spotPrice(region, t, zone) * windows, stamp: new Date(Math.min(at, Date.now()) - 47 * 60_000).toISOString() });
      }
    }
  }
  const filtered = rows.filter(
    compileFilters<(typeof rows)[number]>(params.filters(), {
      'instance-type': (r) => [r.type],
      'product-description': (r) => [r.product],
      'availability-zone': (r) => [r.az],
      'spot-price': (r) => [priceText(r.price)],
    }),
  );
  return (
    items('spotPriceHistorySet', filtered, (r) =>
      text('instanceType', r.type) + text('productDescription', r.product) + text('spotPrice', priceText(r.price)) + text('timestamp', r.stamp) + text('availabilityZone', r.az),
    ) + text('nextToken', '')
  );
}

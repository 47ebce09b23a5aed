import {
  checkAllowed,
  optionalArray,
  optionalNumber,
  optionalString,
  requiredString,
  validationError,
  type JsonAction,
  type JsonActionContext,
} from './json-protocol';
import { decodePageToken, pageOf, queryFingerprint } from './page-token';
import { regionFacts, type PriceProduct } from './price-table';
import { SimError } from './sim-error';

/**
 * The AWS Price List Query API (service `pricing`, JSON 1.1): GetProducts answers PriceList as an array of
 * JSON *strings*, each a whole price-list document (product, serviceCode, terms.OnDemand…), as the real API
 * does. Prices are global; the endpoint's region does not matter.
 */
const SERVICES = ['AmazonEC2', 'AmazonVPC'] as const;
type ServiceCode = (typeof SERVICES)[number];

const FILTER_TYPES = ['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF'];
// The on-demand offer term and rate codes every AWS on-demand price carries.
const ON_DEMAND_TERM = 'JRTCKXETXF';
const ON_DEMAND_RATE = '6YS6EN2CT7';
const PUBLICATION = '2025-06-01T00:00:00Z';

interface Filter {
  type: string;
  field: string;
  value: string;
}

function serviceCodeOf(ctx: JsonActionContext, required: boolean): ServiceCode | undefined {
  const code = required ? requiredString(ctx.input, 'ServiceCode') : optionalString(ctx.input, 'ServiceCode');
  if (code === undefined) return undefined;
  if (!(SERVICES as readonly string[]).includes(code)) throw new SimError('NotFoundException', `Service not found: ${code}`, 400);
  return code as ServiceCode;
}

function formatVersion(ctx: JsonActionContext): void {
  const v = optionalString(ctx.input, 'FormatVersion');
  if (v !== undefined && v !== 'aws_v1') throw new SimError('InvalidParameterException', `Invalid FormatVersion: ${v}. Valid value: aws_v1`, 400);
}

function parseFilters(ctx: JsonActionContext): Filter[] {
  return (optionalArray(ctx.input, 'Filters') ?? []).map((raw, k) => {
    const f = (raw ?? {}) as Record<string, unknown>;
    const type = f.Type;
    if (typeof type !== 'string' || !FILTER_TYPES.includes(type)) {
      throw validationError(`filters.${k + 1}.member.type`, `Member must satisfy enum value set: [${FILTER_TYPES.join(', ')}]`, type ?? null);
    }
    if (typeof f.Field !== 'string' || f.Field === '') throw validationError(`filters.${k + 1}.member.field`, 'Member must not be null');
    if (typeof f.Value !== 'string') throw validationError(`filters.${k + 1}.member.value`, 'Member must not be null');
    return { type, field: f.Field, value: f.Value };
  });
}

/** A product's value for a filter field: ServiceCode, productFamily, sku or any attribute (names case-insensitive). */
function fieldValue(p: PriceProduct, field: string): string | undefined {
  const key = field.toLowerCase();
  if (key === 'servicecode') return p.serviceCode;
  if (key === 'productfamily') return p.productFamily;
  if (key === 'sku') return p.sku;
  const name = Object.keys(p.attributes).find((a) => a.toLowerCase() === key);
  return name === undefined ? undefined : p.attributes[name];
}

function matches(p: PriceProduct, f: Filter): boolean {
  const v = fieldValue(p, f.field);
  switch (f.type) {
    case 'TERM_MATCH':
    case 'EQUALS':
      return v === f.value;
    case 'CONTAINS':
      return v !== undefined && v.includes(f.value);
    case 'ANY_OF':
      return v !== undefined && f.value.split(',').map((s) => s.trim()).includes(v);
    default:
      return v === undefined || !f.value.split(',').map((s) => s.trim()).includes(v);
  }
}

/** The real price-list document for one product, as the string GetProducts puts in PriceList. */
export function priceListDocument(p: PriceProduct): string {
  const term = `${p.sku}.${ON_DEMAND_TERM}`;
  const rate = `${term}.${ON_DEMAND_RATE}`;
  return JSON.stringify({
    product: { ...(p.productFamily === undefined ? {} : { productFamily: p.productFamily }), attributes: p.attributes, sku: p.sku },
    serviceCode: p.serviceCode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [rate]: { unit: p.unit, endRange: 'Inf', description: p.description, appliesTo: [], rateCode: rate, beginRange: '0', pricePerUnit: { USD: p.price.toFixed(10) } },
          },
          sku: p.sku,
          effectiveDate: '2025-06-01T00:00:00Z',
          offerTermCode: ON_DEMAND_TERM,
          termAttributes: {},
        },
      },
    },
    version: '20250601000000',
    publicationDate: PUBLICATION,
  });
}

/** Only the regions a location / regionCode filter can match are built, so a filtered query stays cheap. */
function candidateRegions(ctx: JsonActionContext, filters: Filter[]): string[] {
  const all = ctx.world.knownRegions();
  const exact = (field: string): string | undefined => filters.find((f) => f.field.toLowerCase() === field && (f.type === 'TERM_MATCH' || f.type === 'EQUALS'))?.value;
  const regionCode = exact('regioncode');
  const location = exact('location');
  return all.filter((r) => (regionCode === undefined || r === regionCode) && (location === undefined || regionFacts(r).location === location));
}

function getProducts(ctx: JsonActionContext): unknown {
  checkAllowed(ctx, 'pricing', ['GetProducts'], '*');
  const service = serviceCodeOf(ctx, true);
  formatVersion(ctx);
  const filters = parseFilters(ctx);
  const max = optionalNumber(ctx.input, 'MaxResults') ?? 100;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw validationError('MaxResults', 'Member must have value less than or equal to 100', max);
  const fingerprint = queryFingerprint([service, filters]);
  const token = optionalString(ctx.input, 'NextToken');
  const offset = token === undefined ? 0 : decodePageToken(token, fingerprint);
  if (offset === undefined) throw new SimError('InvalidNextTokenException', 'The nextToken provided is invalid.', 400);
  const exact = (field: string): string | undefined => filters.find((f) => f.field.toLowerCase() === field && (f.type === 'TERM_MATCH' || f.type === 'EQUALS'))?.value;
  const instanceType = exact('instancetype');
  const anyOfTypes = filters.find((f) => f.field.toLowerCase() === 'instancetype' && f.type === 'ANY_OF')?.value.split(',').map((v) => v.trim());
  const family = exact('productfamily');
  const anyOfFamilies = filters.find((f) => f.field.toLowerCase() === 'productfamily' && f.type === 'ANY_OF')?.value.split(',').map((v) => v.trim());
  // Compute products are most of the list: build them only when the query can match them.
  const compute =
    service === 'AmazonEC2' && (family === undefined || family === 'Compute Instance') && (anyOfFamilies === undefined || anyOfFamilies.includes('Compute Instance'));
  const scope = instanceType !== undefined ? { compute, instanceType } : anyOfTypes !== undefined ? { compute, instanceTypes: anyOfTypes } : { compute };
  const matching = candidateRegions(ctx, filters).flatMap((r) => ctx.world.prices.products(r, scope).filter((p) => p.serviceCode === service && filters.every((f) => matches(p, f))));
  const { page, next } = pageOf(matching, offset, max, fingerprint);
  return { FormatVersion: 'aws_v1', PriceList: page.map(priceListDocument), ...(next === undefined ? {} : { NextToken: next }) };
}

function attributeNames(ctx: JsonActionContext, service: ServiceCode): string[] {
  const names = new Set<string>(['productFamily']);
  for (const p of ctx.world.prices.products('us-east-1')) if (p.serviceCode === service) for (const k of Object.keys(p.attributes)) names.add(k);
  return [...names].sort();
}

function describeServices(ctx: JsonActionContext): unknown {
  checkAllowed(ctx, 'pricing', ['DescribeServices'], '*');
  const service = serviceCodeOf(ctx, false);
  formatVersion(ctx);
  const codes = service === undefined ? [...SERVICES] : [service];
  return { FormatVersion: 'aws_v1', Services: codes.map((c) => ({ ServiceCode: c, AttributeNames: attributeNames(ctx, c) })) };
}

function getAttributeValues(ctx: JsonActionContext): unknown {
  checkAllowed(ctx, 'pricing', ['GetAttributeValues'], '*');
  const service = serviceCodeOf(ctx, true) ?? 'AmazonEC2';
  const name = requiredString(ctx.input, 'AttributeName');
  const values = new Set<string>();
  // Only a few attributes differ between regions; the rest are the same everywhere (us-east-1 has them all).
  const regional = ['location', 'regioncode', 'usagetype'].includes(name.toLowerCase());
  for (const region of regional ? ctx.world.knownRegions() : ['us-east-1']) {
    for (const p of ctx.world.prices.products(region)) {
      const v = p.serviceCode === service ? fieldValue(p, name) : undefined;
      if (v !== undefined) values.add(v);
    }
  }
  return { AttributeValues: [...values].sort().map((Value) => ({ Value })) };
}

export const PRICING_ACTIONS: Readonly<Record<string, JsonAction>> = {
  GetProducts: getProducts,
  DescribeServices: describeServices,
  GetAttributeValues: getAttributeValues,
};

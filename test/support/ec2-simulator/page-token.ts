import { createHash } from 'node:crypto';
import type { QueryParams } from './query-params';
import { SimError } from './sim-error';

/**
 * Opaque pagination tokens for the offset-paged listings (volumes, snapshots, spot requests, price lists,
 * budgets, alarms). Each is bound to the query it came from, as AWS's are, so a token replayed with other
 * filters is refused instead of silently skipping or repeating results.
 */
export function queryFingerprint(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 16);
}

export function encodePageToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset, f: fingerprint })).toString('base64url');
}

/** The offset the token points at, or undefined when it is malformed or belongs to another query. */
export function decodePageToken(token: string, fingerprint: string): number | undefined {
  try {
    const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; o?: unknown; f?: unknown };
    if (data.v !== 1 || typeof data.o !== 'number' || !Number.isInteger(data.o) || data.o < 0 || data.f !== fingerprint) return undefined;
    return data.o;
  } catch {
    return undefined;
  }
}

/** One page of `all` starting at `offset`, and the token for the next page when there is one. */
export function pageOf<T>(all: readonly T[], offset: number, size: number, fingerprint: string): { page: T[]; next: string | undefined } {
  const page = all.slice(offset, offset + size);
  const end = offset + page.length;
  return { page, next: end < all.length ? encodePageToken(end, fingerprint) : undefined };
}

/**
 * EC2's MaxResults / NextToken for Describe* calls: MaxResults outside [min, max] is InvalidParameterValue, and
 * listing ids together with MaxResults is InvalidParameterCombination (EC2 pages only open-ended listings).
 */
export function ec2Paging(
  params: QueryParams,
  opts: { min: number; max: number; query: unknown; ids?: { given: boolean; name: string } },
): { offset: number; size: number; fingerprint: string } {
  const fingerprint = queryFingerprint(opts.query);
  const raw = params.get('MaxResults');
  let size = Number.POSITIVE_INFINITY;
  if (raw !== undefined) {
    const max = Number(raw);
    if (!Number.isInteger(max) || max < opts.min || max > opts.max) {
      throw new SimError('InvalidParameterValue', `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${opts.min} and ${opts.max}.`);
    }
    if (opts.ids?.given) throw new SimError('InvalidParameterCombination', `The parameter ${opts.ids.name} cannot be used with the parameter maxResults`);
    size = max;
  }
  const token = params.get('NextToken');
  let offset = 0;
  if (token !== undefined && token !== '') {
    const decoded = decodePageToken(token, fingerprint);
    if (decoded === undefined) throw new SimError('InvalidParameterValue', `Value ( ${token} ) for parameter NextToken is invalid. The token is invalid.`);
    offset = decoded;
  }
  return { offset, size, fingerprint };
}

import { DescribeInstanceTypesCommand, type _InstanceType, type EC2Client, type InstanceTypeInfo as SdkInstanceTypeInfo } from '@aws-sdk/client-ec2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceTypeInfo } from '../../../shared/models/instance-actions';
import { priceFor, typeFacts, type InstanceTypeFacts } from '../../../shared/models/instance-prices';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { PriceSource } from '../costs/price-source';
import { awsCodeOf, awsMessageOf } from '../aws/aws-error-fields';
import { throwIfAborted } from '../aws/call-aws';

// DescribeInstanceTypes takes at most 100 types per call.
const TYPES_PER_CALL = 100;
const INSTANCE_TYPE_RE = /^[a-z0-9-]+\.[a-z0-9-]+$/;

export type InstanceTypeLookup = (accountId: string, region: string, types: string[], signal?: AbortSignal) => Promise<InstanceTypeInfo[]>;

export interface InstanceTypeLookupDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /** The app's one price source (the Price List, cached; bundled as the labelled fallback). Omitted: the bundled table alone. */
  prices?: Pick<PriceSource, 'onDemand'>;
}

/**
 * vCPUs, memory, GPUs and list price of instance types, from DescribeInstanceTypes where allowed and the
 * bundled table otherwise. Cached for the life of the service; prices come from `deps.prices` when given.
 */
export function createInstanceTypeLookup(deps: InstanceTypeLookupDeps): InstanceTypeLookup {
  // Facts about a type do not depend on the account; a type missing from a region is remembered as null.
  const typeCache = new Map<string, InstanceTypeFacts | null>();

  async function fetchTypes(client: EC2Client, region: string, types: string[], signal?: AbortSignal): Promise<void> {
    let remaining = types;
    // An unknown type fails the whole call; drop the ones AWS names and ask again (a few times at most).
    for (let attempt = 0; attempt < 3 && remaining.length > 0; attempt++) {
      try {
        for (let k = 0; k < remaining.length; k += TYPES_PER_CALL) {
          const chunk = remaining.slice(k, k + TYPES_PER_CALL);
          let nextToken: string | undefined;
          do {
            throwIfAborted(signal);
            // The SDK's enum lags behind new types; EC2 itself accepts any type name.
            const command = new DescribeInstanceTypesCommand({ InstanceTypes: chunk as _InstanceType[], NextToken: nextToken });
            const out = await client.send(command, { abortSignal: signal });
            for (const info of out.InstanceTypes ?? []) {
              if (info.InstanceType !== undefined) typeCache.set(`${region}/${info.InstanceType}`, factsOf(info));
            }
            nextToken = out.NextToken === '' ? undefined : out.NextToken;
          } while (nextToken !== undefined);
        }
        return;
      } catch (error) {
        if (signal?.aborted) throw cancelledError();
        const unknown = awsCodeOf(error) === 'InvalidInstanceType' ? bracketList(awsMessageOf(error)) : [];
        const named = unknown.filter((t) => remaining.includes(t));
        if (named.length === 0) throw error;
        for (const t of named) typeCache.set(`${region}/${t}`, null);
        remaining = remaining.filter((t) => !named.includes(t) && !typeCache.has(`${region}/${t}`));
      }
    }
  }

  return async (accountId, region, types, signal) => {
    throwIfAborted(signal);
    const unique = [...new Set(types)];
    const missing = unique.filter((t) => INSTANCE_TYPE_RE.test(t) && !typeCache.has(`${region}/${t}`));
    // Asked while DescribeInstanceTypes runs; the price source falls back to the bundled table by itself.
    const livePrices = deps.prices?.onDemand(accountId, region, unique.filter((t) => INSTANCE_TYPE_RE.test(t)), signal);
    livePrices?.catch(() => undefined);
    if (missing.length > 0) {
      // An unknown account is an error; everything AWS may say is not (see below).
      const client = deps.clientsFor(accountId).ec2(region);
      try {
        await fetchTypes(client, region, missing, signal);
      } catch (error) {
        if (signal?.aborted || (error instanceof HangarError && error.code === 'CANCELLED')) throw cancelledError();
        // No permission for DescribeInstanceTypes, or AWS unavailable: the bundled facts stand in, and
        // nothing is cached so the next call asks again.
      }
    }
    let live: Awaited<NonNullable<typeof livePrices>> | undefined;
    try {
      live = await livePrices;
    } catch (error) {
      if (signal?.aborted || (error instanceof HangarError && error.code === 'CANCELLED')) throw cancelledError();
      live = undefined;
    }
    return unique.map((type): InstanceTypeInfo => {
      const cached = typeCache.get(`${region}/${type}`);
      const facts = cached ?? typeFacts(type);
      const price = live?.get(type);
      const bundled = live === undefined ? priceFor(region, type) : undefined;
      return {
        type,
        ...(facts === undefined ? {} : facts),
        ...(price === undefined ? {} : { pricePerHour: price.usd, priceSource: price.provenance }),
        ...(bundled === undefined ? {} : { pricePerHour: bundled }),
      };
    });
  };
}

function factsOf(info: SdkInstanceTypeInfo): InstanceTypeFacts | null {
  const vcpus = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  if (vcpus === undefined || memoryMiB === undefined) return typeFacts(info.InstanceType ?? '') ?? null;
  const gpus = (info.GpuInfo?.Gpus ?? []).reduce((sum, g) => sum + (g.Count ?? 0), 0);
  return { vcpus, memoryMiB, ...(gpus > 0 ? { gpus } : {}) };
}

/** "… do not exist: [a.b, c.d]" → ["a.b", "c.d"]. */
function bracketList(message: string): string[] {
  const m = /\[([^\]]*)\]/.exec(message);
  return m?.[1] ? m[1].split(',').map((s) => s.trim().replace(/^'|'$/g, '')).filter((s) => s !== '') : [];
}

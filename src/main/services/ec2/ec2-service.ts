import {
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  GetConsoleOutputCommand,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type _InstanceType,
  type EC2Client,
  type Instance,
  type InstanceStateChange as SdkInstanceStateChange,
  type InstanceTypeInfo as SdkInstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import {
  INSTANCE_STATE_NAMES,
  type InstanceStateName,
  type InstanceSummary,
  type RegionOptInStatus,
  type RegionSummary,
} from '../../../shared/models/ec2';
import type {
  InstanceAction,
  InstanceActionInput,
  InstanceStateChange,
  InstanceTypeInfo,
  RegionScanResult,
  TerminationProtection,
} from '../../../shared/models/instance-actions';
import { priceFor, typeFacts, type InstanceTypeFacts } from '../../../shared/models/instance-prices';
import { ALWAYS_ENABLED_REGIONS, regionDisplayName } from '../../../shared/models/region-names';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { mapAwsError } from '../aws/map-aws-error';

export interface ScanOptions {
  /** Copied into every result, so a late answer of an old scan can be told apart from the current one. */
  scanId: string;
  signal?: AbortSignal;
  /** How many regions are asked at once; default DEFAULT_SCAN_CONCURRENCY. */
  concurrency?: number;
  /** Once DescribeRegions has answered: how many results `onRegion` will deliver. */
  onRegionsKnown?(total: number): void;
  /** Each region's result the moment it arrives (after `onRegionsKnown`). */
  onRegion?(result: RegionScanResult, total: number): void;
}

export interface Ec2Service {
  listRegions(accountId: string, signal?: AbortSignal): Promise<RegionSummary[]>;
  listInstances(accountId: string, region: string, signal?: AbortSignal): Promise<InstanceSummary[]>;
  /** Every enabled region, concurrently (bounded). Resolves with every region's result in region-name order. */
  scanAllRegions(accountId: string, options: ScanOptions): Promise<RegionScanResult[]>;
  instanceTypes(accountId: string, region: string, types: string[], signal?: AbortSignal): Promise<InstanceTypeInfo[]>;
  terminationProtection(accountId: string, region: string, instanceIds: string[], signal?: AbortSignal): Promise<TerminationProtection[]>;
  act(input: InstanceActionInput, signal?: AbortSignal): Promise<InstanceStateChange[]>;
  /** One instance with what connecting to it needs: security groups and (best effort) its AMI's name. */
  describeInstance(accountId: string, region: string, instanceId: string, signal?: AbortSignal): Promise<InstanceDetails>;
  /** The instance's serial console text (GetConsoleOutput, decoded); undefined while there is none yet. */
  consoleOutput(accountId: string, region: string, instanceId: string, signal?: AbortSignal): Promise<string | undefined>;
}

export interface InstanceDetails {
  readonly instance: InstanceSummary;
  readonly securityGroups: readonly { readonly id: string; readonly name?: string }[];
  /** e.g. "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20240423"; undefined when the AMI is gone or not visible. */
  readonly imageName?: string;
}

export interface Ec2ServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /**
   * Where DescribeRegions is asked: one region for every account, or per account (e.g. its default region,
   * which is what makes a GovCloud or China account work). Default us-east-1, which can never be disabled.
   */
  homeRegion?: string | ((accountId: string) => string | undefined | Promise<string | undefined>);
}

/**
 * Regions scanned at once. EC2 throttles per account *per region*, so asking different regions in parallel
 * does not compete for one rate limit; the bound only caps open sockets and response parsing in flight.
 * 20 puts every region a commercial account has by default (17) in a single wave — with a lower bound a
 * scan costs ceil(17 / bound) round trips instead of one.
 */
export const DEFAULT_SCAN_CONCURRENCY = 20;

/** Re-exported for callers that reach the scan's region list through the service. */
export { ALWAYS_ENABLED_REGIONS };

// EC2's largest page: fewer round trips for big accounts.
const PAGE_SIZE = 1000;
// DescribeInstanceTypes takes at most 100 types per call; DescribeInstanceAttribute one instance per call.
const TYPES_PER_CALL = 100;
const ATTRIBUTE_CONCURRENCY = 8;
const INSTANCE_TYPE_RE = /^[a-z0-9-]+\.[a-z0-9-]+$/;

export const TERMINATION_PROTECTION_HINT =
  "Turn off termination protection in the instance's settings (Actions → Instance settings → Change termination protection), then try again.";

export function createEc2Service(deps: Ec2ServiceDeps): Ec2Service {
  // Facts about a type do not depend on the account; a type missing from a region is remembered as null.
  const typeCache = new Map<string, InstanceTypeFacts | null>();

  async function homeRegionFor(accountId: string): Promise<string> {
    const home = typeof deps.homeRegion === 'function' ? await deps.homeRegion(accountId) : deps.homeRegion;
    return home ?? 'us-east-1';
  }

  /** Runs one SDK call with the account's client for `region`; every failure leaves as a HangarError. */
  async function call<T>(
    accountId: string,
    region: string,
    action: string,
    signal: AbortSignal | undefined,
    run: (client: EC2Client) => Promise<T>,
  ): Promise<T> {
    throwIfAborted(signal);
    try {
      return await run(deps.clientsFor(accountId).ec2(region));
    } catch (error) {
      throw signal?.aborted ? cancelledError() : mapAwsError(error, { action, region });
    }
  }

  async function listRegions(accountId: string, signal?: AbortSignal): Promise<RegionSummary[]> {
    const home = await homeRegionFor(accountId);
    const out = await call(accountId, home, 'ec2:DescribeRegions', signal, (c) =>
      c.send(new DescribeRegionsCommand({}), { abortSignal: signal }),
    );
    return (out.Regions ?? [])
      .filter((r) => r.RegionName !== undefined)
      .map((r): RegionSummary => {
        const name = r.RegionName ?? '';
        return {
          name,
          endpoint: r.Endpoint ?? `ec2.${name}.amazonaws.com`,
          optInStatus: toOptInStatus(r.OptInStatus),
          displayName: regionDisplayName(name),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async function listInstances(accountId: string, region: string, signal?: AbortSignal): Promise<InstanceSummary[]> {
    return call(accountId, region, 'ec2:DescribeInstances', signal, async (client) => {
      const instances: InstanceSummary[] = [];
      const seenTokens = new Set<string>();
      let nextToken: string | undefined;
      do {
        throwIfAborted(signal);
        const out = await client.send(new DescribeInstancesCommand({ MaxResults: PAGE_SIZE, NextToken: nextToken }), {
          abortSignal: signal,
        });
        for (const reservation of out.Reservations ?? []) {
          for (const instance of reservation.Instances ?? []) {
            const summary = toInstanceSummary(instance, region);
            if (summary) instances.push(summary);
          }
        }
        nextToken = out.NextToken === '' ? undefined : out.NextToken;
        // A server that hands back a token it already gave would otherwise loop forever.
        if (nextToken !== undefined) {
          if (seenTokens.has(nextToken)) break;
          seenTokens.add(nextToken);
        }
      } while (nextToken !== undefined);
      return instances;
    });
  }

  async function describeStates(accountId: string, region: string, ids: string[], signal?: AbortSignal): Promise<Map<string, InstanceStateName>> {
    const out = await call(accountId, region, 'ec2:DescribeInstances', signal, (c) =>
      c.send(new DescribeInstancesCommand({ InstanceIds: ids }), { abortSignal: signal }),
    );
    const states = new Map<string, InstanceStateName>();
    for (const reservation of out.Reservations ?? []) {
      for (const i of reservation.Instances ?? []) {
        if (i.InstanceId !== undefined && isStateName(i.State?.Name)) states.set(i.InstanceId, i.State.Name);
      }
    }
    return states;
  }

  async function terminationProtection(
    accountId: string,
    region: string,
    instanceIds: string[],
    signal?: AbortSignal,
  ): Promise<TerminationProtection[]> {
    const ids = [...new Set(instanceIds)];
    return mapBounded(ids, ATTRIBUTE_CONCURRENCY, async (id) => {
      const out = await call(accountId, region, 'ec2:DescribeInstanceAttribute', signal, (c) =>
        c.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }), { abortSignal: signal }),
      );
      return { instanceId: id, protected: out.DisableApiTermination?.Value === true };
    });
  }

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

  async function act(input: InstanceActionInput, signal?: AbortSignal): Promise<InstanceStateChange[]> {
    const { accountId, region, action } = input;
    const ids = [...new Set(input.instanceIds)];
    if (ids.length === 0) {
      throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'No instances were selected.', hint: 'Select one or more instances and try again.' });
    }
    throwIfAborted(signal);
    const opts = { abortSignal: signal };
    try {
      const client = deps.clientsFor(accountId).ec2(region);
      switch (action) {
        case 'start': {
          const out = await client.send(new StartInstancesCommand({ InstanceIds: ids }), opts);
          return toStateChanges(out.StartingInstances);
        }
        case 'stop': {
          const out = await client.send(new StopInstancesCommand({ InstanceIds: ids }), opts);
          return toStateChanges(out.StoppingInstances);
        }
        case 'hibernate': {
          const out = await client.send(new StopInstancesCommand({ InstanceIds: ids, Hibernate: true }), opts);
          return toStateChanges(out.StoppingInstances);
        }
        case 'reboot': {
          await client.send(new RebootInstancesCommand({ InstanceIds: ids }), opts);
          // RebootInstances answers only `true`; the states come from a fresh look.
          const states = await describeStates(accountId, region, ids, signal);
          return ids.flatMap((id) => {
            const state = states.get(id);
            return state === undefined ? [] : [{ instanceId: id, previousState: state, currentState: state }];
          });
        }
        case 'terminate': {
          // Checked first and never lifted: protection is the user's own safety catch.
          const protection = await terminationProtection(accountId, region, ids, signal);
          const protectedIds = protection.filter((p) => p.protected).map((p) => p.instanceId);
          if (protectedIds.length > 0) throw protectedError(protectedIds, region);
          const out = await client.send(new TerminateInstancesCommand({ InstanceIds: ids }), opts);
          return toStateChanges(out.TerminatingInstances);
        }
        default:
          throw new HangarError({ code: 'INVALID_ARGUMENT', message: `Unknown instance action "${String(action)}".` });
      }
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      if (error instanceof HangarError) throw error;
      throw await explainRefusal(error, { accountId, region, action, ids, signal });
    }
  }

  async function explainRefusal(
    error: unknown,
    ctx: { accountId: string; region: string; action: InstanceAction; ids: string[]; signal: AbortSignal | undefined },
  ): Promise<HangarError> {
    const { region, action, ids } = ctx;
    const code = awsCodeOf(error);
    const mapped = mapAwsError(error, { action: IAM_ACTION[action], region });
    const named = namedIds(awsMessageOf(error), ids);

    if (code === 'OperationNotPermitted' && action === 'terminate') {
      // Protection switched on between our check and the call.
      return protectedError(named.length > 0 ? named : ids, region, error);
    }
    if (code === 'UnsupportedHibernationConfiguration' || (code === 'UnsupportedOperation' && action === 'hibernate')) {
      const who = named.length > 0 ? named : ids;
      return new HangarError({
        code: 'AWS_OPERATION_NOT_PERMITTED',
        message:
          who.length === 1
            ? `${who[0]} cannot hibernate: hibernation was not turned on when it was launched.`
            : `${who.length} instances cannot hibernate (${who.join(', ')}): hibernation was not turned on when they were launched.`,
        hint: 'Hibernation can only be turned on when an instance is launched. Use Stop instead (memory contents are lost; the disk is kept), or launch a new instance with hibernation enabled.',
        details: { ...mapped.details, instanceIds: who.join(', ') },
        cause: error,
      });
    }
    if (code === 'IncorrectInstanceState') {
      let states: Map<string, InstanceStateName> | undefined;
      try {
        states = await describeStates(ctx.accountId, region, ids, ctx.signal);
      } catch {
        states = undefined;
      }
      if (ctx.signal?.aborted) return cancelledError();
      const culprits = (named.length > 0 ? named : ids).flatMap((id) => {
        const state = states?.get(id);
        return state !== undefined && !ACCEPTS[action].includes(state) ? [{ id, state }] : [];
      });
      const first = culprits[0];
      if (first) {
        const more = culprits.length > 1 ? ` (${culprits.length - 1} more selected instance${culprits.length > 2 ? 's are' : ' is'} not ready either)` : '';
        const text = refusalText(action, first.id, first.state);
        return new HangarError({
          code: 'AWS_INCORRECT_STATE',
          message: `${text.message}${more}`,
          hint: text.hint,
          details: { ...mapped.details, instanceId: first.id, state: first.state },
          cause: error,
        });
      }
    }
    return mapped;
  }

  return {
    listRegions,
    listInstances,

    async scanAllRegions(accountId, options) {
      const { scanId, signal } = options;
      const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_SCAN_CONCURRENCY));
      throwIfAborted(signal);
      const home = await homeRegionFor(accountId);
      throwIfAborted(signal);

      // One controller for everything this scan started: user cancel, a failed DescribeRegions, or a
      // throwing callback all stop the outstanding work at once.
      const stop = new AbortController();
      const perRegion = new Map<string, AbortController>();
      const results = new Map<string, RegionScanResult>();
      const early: RegionScanResult[] = [];
      let enabled: string[] | undefined;
      let queue = isCommercial(home) ? [...ALWAYS_ENABLED_REGIONS] : [];
      const started = new Set<string>();
      let active = 0;
      let finished = false;

      let settle!: { resolve: () => void; reject: (error: unknown) => void };
      const done = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // Awaited below on every path that gets that far; this only keeps an early failure from being "unhandled".
      done.catch(() => undefined);
      const fail = (error: unknown): void => {
        if (finished) return;
        finished = true;
        stop.abort();
        settle.reject(error);
      };
      const onAbort = (): void => fail(cancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });

      const deliver = (result: RegionScanResult): void => {
        results.set(result.region, result);
        try {
          options.onRegion?.(result, enabled?.length ?? 0);
        } catch (error) {
          fail(error);
        }
      };
      const report = (result: RegionScanResult | undefined): void => {
        if (finished || result === undefined) return;
        // Until DescribeRegions answers, the total is unknown: hold early answers back.
        if (enabled === undefined) early.push(result);
        else if (enabled.includes(result.region)) deliver(result);
      };
      const maybeDone = (): void => {
        if (!finished && enabled !== undefined && queue.length === 0 && active === 0) {
          finished = true;
          settle.resolve();
        }
      };
      const scanRegion = async (region: string): Promise<RegionScanResult | undefined> => {
        const controller = new AbortController();
        perRegion.set(region, controller);
        const regionSignal = AbortSignal.any([stop.signal, controller.signal]);
        const startedAt = performance.now();
        const elapsedMs = (): number => Math.round(performance.now() - startedAt);
        try {
          const instances = await listInstances(accountId, region, regionSignal);
          return { scanId, accountId, region, instances, elapsedMs: elapsedMs() };
        } catch (error) {
          if (regionSignal.aborted) return undefined;
          const mapped = error instanceof HangarError ? error : mapAwsError(error, { action: 'ec2:DescribeInstances', region });
          return { scanId, accountId, region, error: mapped.toJSON(), elapsedMs: elapsedMs() };
        } finally {
          perRegion.delete(region);
        }
      };
      const pump = (): void => {
        while (!finished && active < concurrency && queue.length > 0) {
          const region = queue.shift() ?? '';
          started.add(region);
          active++;
          void scanRegion(region)
            .then(report)
            .finally(() => {
              active--;
              pump();
              maybeDone();
            });
        }
      };

      try {
        const regions = listRegions(accountId, stop.signal);
        regions.catch(() => undefined);
        pump();
        let listed: RegionSummary[];
        try {
          listed = await Promise.race([regions, done.then(() => [])]);
        } catch (error) {
          fail(error);
          throw error;
        }
        enabled = listed.map((r) => r.name);
        const enabledSet = new Set(enabled);
        // Started early but not enabled after all (never for a real commercial account): drop it.
        for (const [region, controller] of perRegion) if (!enabledSet.has(region)) controller.abort();
        const queued = new Set(queue);
        queue = [...queue.filter((r) => enabledSet.has(r)), ...enabled.filter((r) => !started.has(r) && !queued.has(r))];
        try {
          options.onRegionsKnown?.(enabled.length);
        } catch (error) {
          fail(error);
        }
        for (const result of early.splice(0)) if (!finished && enabledSet.has(result.region)) deliver(result);
        pump();
        maybeDone();
        await done;
        return enabled.flatMap((r) => results.get(r) ?? []);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        stop.abort();
      }
    },

    async instanceTypes(accountId, region, types, signal) {
      throwIfAborted(signal);
      const unique = [...new Set(types)];
      const missing = unique.filter((t) => INSTANCE_TYPE_RE.test(t) && !typeCache.has(`${region}/${t}`));
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
      return unique.map((type): InstanceTypeInfo => {
        const cached = typeCache.get(`${region}/${type}`);
        const facts = cached ?? typeFacts(type);
        const price = priceFor(region, type);
        return {
          type,
          ...(facts === undefined ? {} : facts),
          ...(price === undefined ? {} : { pricePerHour: price }),
        };
      });
    },

    terminationProtection,
    act,

    async describeInstance(accountId, region, instanceId, signal) {
      const out = await call(accountId, region, 'ec2:DescribeInstances', signal, (c) =>
        c.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal: signal }),
      );
      const raw = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
      const instance = raw === undefined ? undefined : toInstanceSummary(raw, region);
      if (raw === undefined || instance === undefined) {
        throw new HangarError({
          code: 'AWS_NOT_FOUND',
          message: `Instance ${instanceId} was not found in ${region}.`,
          hint: 'It may have been terminated; refresh the instance list.',
          details: { instanceId, region },
        });
      }
      const securityGroups = (raw.SecurityGroups ?? []).flatMap((g) =>
        g.GroupId === undefined ? [] : [{ id: g.GroupId, ...(present(g.GroupName) === undefined ? {} : { name: g.GroupName as string }) }],
      );
      let imageName: string | undefined;
      if (instance.imageId !== '') {
        try {
          const images = await call(accountId, region, 'ec2:DescribeImages', signal, (c) =>
            c.send(new DescribeImagesCommand({ ImageIds: [instance.imageId] }), { abortSignal: signal }),
          );
          imageName = present(images.Images?.find((i) => i.ImageId === instance.imageId)?.Name);
        } catch {
          // A deregistered or private AMI, or no ec2:DescribeImages permission: the name is only a hint.
          if (signal?.aborted) throw cancelledError();
          imageName = undefined;
        }
      }
      return { instance, securityGroups, ...(imageName === undefined ? {} : { imageName }) };
    },

    async consoleOutput(accountId, region, instanceId, signal) {
      const out = await call(accountId, region, 'ec2:GetConsoleOutput', signal, (c) =>
        c.send(new GetConsoleOutputCommand({ InstanceId: instanceId }), { abortSignal: signal }),
      );
      return out.Output === undefined || out.Output === '' ? undefined : Buffer.from(out.Output, 'base64').toString('utf8');
    },
  };
}

const IAM_ACTION: Readonly<Record<InstanceAction, string>> = {
  start: 'ec2:StartInstances',
  stop: 'ec2:StopInstances',
  hibernate: 'ec2:StopInstances',
  reboot: 'ec2:RebootInstances',
  terminate: 'ec2:TerminateInstances',
};

/** The states from which EC2 accepts each action (anything else earns IncorrectInstanceState). */
const ACCEPTS: Readonly<Record<InstanceAction, readonly InstanceStateName[]>> = {
  start: ['pending', 'running', 'stopped'],
  stop: ['pending', 'running', 'stopping', 'stopped'],
  hibernate: ['running', 'stopping', 'stopped'],
  reboot: ['running'],
  terminate: INSTANCE_STATE_NAMES,
};

const VERB: Readonly<Record<InstanceAction, string>> = {
  start: 'started',
  stop: 'stopped',
  hibernate: 'hibernated',
  reboot: 'rebooted',
  terminate: 'terminated',
};

const WAIT_HINT = 'Wait a moment: the table follows the instance until it settles, and the action can be tried again then.';
const GONE_HINT = 'Terminated instances cannot be started or stopped again; they disappear from the list after about an hour.';

/** A sentence for "this instance cannot do that now", naming the instance and what would make it work. */
function refusalText(action: InstanceAction, id: string, state: InstanceStateName): { message: string; hint: string } {
  const verb = VERB[action];
  if (state === 'terminated' || state === 'shutting-down') {
    const now = state === 'terminated' ? 'is terminated' : 'is shutting down (being terminated)';
    return { message: `${id} ${now}, so it cannot be ${verb}.`, hint: GONE_HINT };
  }
  if (state === 'stopping') {
    return { message: `${id} is stopping; it can be ${verb} once it has stopped.`, hint: WAIT_HINT };
  }
  if (state === 'pending') {
    return { message: `${id} is pending; it can be ${verb} once it is running.`, hint: WAIT_HINT };
  }
  if (state === 'stopped' && action === 'reboot') {
    return { message: `${id} is stopped; only a running instance can be rebooted.`, hint: 'Start it instead.' };
  }
  return { message: `${id} is ${state}, so it cannot be ${verb} right now.`, hint: WAIT_HINT };
}

function protectedError(ids: string[], region: string, cause?: unknown): HangarError {
  return new HangarError({
    code: 'AWS_OPERATION_NOT_PERMITTED',
    message:
      ids.length === 1
        ? `${ids[0]} has termination protection turned on, so it was not terminated.`
        : `${ids.length} instances have termination protection turned on (${ids.join(', ')}), so none of the selected instances was terminated.`,
    hint: TERMINATION_PROTECTION_HINT,
    details: { action: 'ec2:TerminateInstances', region, instanceIds: ids.join(', ') },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Runs `fn` over `items` with at most `limit` at a time; results keep the input order; the first failure wins. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function toStateChanges(changes: SdkInstanceStateChange[] | undefined): InstanceStateChange[] {
  return (changes ?? []).flatMap((c) => {
    const previous = c.PreviousState?.Name;
    const current = c.CurrentState?.Name;
    if (c.InstanceId === undefined || !isStateName(previous) || !isStateName(current)) return [];
    return [{ instanceId: c.InstanceId, previousState: previous, currentState: current }];
  });
}

function factsOf(info: SdkInstanceTypeInfo): InstanceTypeFacts | null {
  const vcpus = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  if (vcpus === undefined || memoryMiB === undefined) return typeFacts(info.InstanceType ?? '') ?? null;
  const gpus = (info.GpuInfo?.Gpus ?? []).reduce((sum, g) => sum + (g.Count ?? 0), 0);
  return { vcpus, memoryMiB, ...(gpus > 0 ? { gpus } : {}) };
}

function awsCodeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const e = error as { Code?: unknown; name?: unknown };
  return typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : '';
}

function awsMessageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : '';
}

/** "… do not exist: [a.b, c.d]" → ["a.b", "c.d"]. */
function bracketList(message: string): string[] {
  const m = /\[([^\]]*)\]/.exec(message);
  return m?.[1] ? m[1].split(',').map((s) => s.trim().replace(/^'|'$/g, '')).filter((s) => s !== '') : [];
}

/** The selected instance ids AWS's message mentions, in selection order. */
function namedIds(message: string, ids: readonly string[]): string[] {
  const mentioned = new Set(message.match(/i-[0-9a-f]{8,17}/g) ?? []);
  return ids.filter((id) => mentioned.has(id));
}

function isCommercial(region: string): boolean {
  return !/^(cn-|us-gov-|us-iso|eu-isoe-)/.test(region);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

function toOptInStatus(value: string | undefined): RegionOptInStatus {
  return value === 'opted-in' || value === 'not-opted-in' ? value : 'opt-in-not-required';
}

function isStateName(value: string | undefined): value is InstanceStateName {
  return (INSTANCE_STATE_NAMES as readonly (string | undefined)[]).includes(value);
}

/** EC2 sends empty elements (e.g. `<dnsName/>`) for absent values; the UI wants them absent. */
function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function toInstanceSummary(i: Instance, region: string): InstanceSummary | undefined {
  if (i.InstanceId === undefined) return undefined;
  const state = i.State?.Name;
  const summary: InstanceSummary = {
    id: i.InstanceId,
    name: present(i.Tags?.find((t) => t.Key === 'Name')?.Value),
    state: isStateName(state) ? state : 'pending',
    stateReason: present(i.StateReason?.Message),
    type: i.InstanceType ?? 'unknown',
    availabilityZone: i.Placement?.AvailabilityZone ?? region,
    publicIp: present(i.PublicIpAddress),
    publicDns: present(i.PublicDnsName),
    privateIp: present(i.PrivateIpAddress),
    keyName: present(i.KeyName),
    imageId: i.ImageId ?? '',
    platform: present(i.PlatformDetails) ?? // The SDK types Platform as "Windows" but the wire says "windows".
      (String(i.Platform ?? '').toLowerCase() === 'windows' ? 'Windows' : undefined),
    architecture: present(i.Architecture),
    launchTime: (i.LaunchTime ?? new Date(0)).toISOString(),
    region,
  };
  // Drop undefined keys so the object crosses IPC (and compares in tests) exactly as it reads.
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as unknown as InstanceSummary;
}

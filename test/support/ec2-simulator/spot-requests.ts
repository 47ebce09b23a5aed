import type { Ec2ActionContext } from './ec2-actions';
import type { SimInstance } from './instance-store';
import { checkDryRun } from './network-actions';
import { ec2Paging, pageOf } from './page-token';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { tagSetXml } from './tags';
import type { QueryParams } from './query-params';
import type { SimSpotOptions } from './types';
import { items, node, optText, text } from './xml';

export type SpotRequestState = 'open' | 'active' | 'closed' | 'cancelled' | 'failed' | 'disabled';

/** One Spot Instance request as DescribeSpotInstanceRequests shows it. */
export interface SimSpotRequest {
  readonly id: string;
  readonly region: string;
  readonly state: SpotRequestState;
  readonly statusCode: string;
  readonly statusMessage: string;
  readonly statusUpdateTime: Date;
  readonly type: 'one-time' | 'persistent';
  readonly instanceId: string | undefined;
  readonly instanceType: string;
  readonly imageId: string;
  readonly availabilityZone: string | undefined;
  readonly keyName: string | undefined;
  /** The maximum price, USD per hour. */
  readonly spotPrice: string;
  readonly createTime: Date;
  readonly interruptionBehavior: 'terminate' | 'stop' | 'hibernate';
  readonly tags: ReadonlyMap<string, string>;
}

/** What a test may pin when seeding a Spot request (`sim.seed.spotRequest`). */
export interface SimSpotRequestInput {
  /** Default `sir-` + 8 hex digits; an instance's own request id when `instanceId` names a spot instance. */
  id?: string;
  /** Default `active` with an instance, else `open`. */
  state?: SpotRequestState;
  /** Default follows the state (fulfilled, pending-fulfillment, instance-terminated-by-user, …). */
  statusCode?: string;
  statusMessage?: string;
  type?: 'one-time' | 'persistent';
  instanceId?: string;
  instanceType?: string;
  imageId?: string;
  availabilityZone?: string;
  spotPrice?: string;
  createTime?: Date | string;
  interruptionBehavior?: 'terminate' | 'stop' | 'hibernate';
  tags?: Record<string, string>;
}

/** The status EC2 reports for each state when a test does not say, with EC2's wording. */
const STATUS_BY_STATE: Readonly<Record<SpotRequestState, [string, string]>> = {
  open: ['pending-fulfillment', 'Your Spot request is pending fulfillment.'],
  active: ['fulfilled', 'Your spot request is fulfilled.'],
  closed: ['instance-terminated-by-user', 'Spot Instance terminated due to user-initiated termination.'],
  cancelled: ['canceled-before-fulfillment', 'Your Spot request was canceled before it was fulfilled.'],
  failed: ['bad-parameters', 'The Spot request contained parameters that are not valid.'],
  disabled: ['instance-stopped-by-user', 'This Spot Instance was stopped because you stopped the instance.'],
};

export function spotRequestFrom(region: string, input: SimSpotRequestInput, instance: SimInstance | undefined): SimSpotRequest {
  const state = input.state ?? (instance ? 'active' : 'open');
  const [code, message] = STATUS_BY_STATE[state];
  const created = input.createTime === undefined ? (instance?.launchTime ?? new Date()) : new Date(input.createTime);
  return {
    id: input.id ?? instance?.spotInstanceRequestId ?? `sir-${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}`,
    region,
    state,
    statusCode: input.statusCode ?? code,
    statusMessage: input.statusMessage ?? message,
    statusUpdateTime: created,
    type: input.type ?? 'one-time',
    instanceId: input.instanceId,
    instanceType: input.instanceType ?? instance?.instanceType ?? 't3.micro',
    imageId: input.imageId ?? instance?.imageId ?? 'ami-0c1a7f89451184c8b',
    availabilityZone: input.availabilityZone ?? instance?.availabilityZone,
    keyName: instance?.keyName,
    spotPrice: input.spotPrice ?? '0.050000',
    createTime: created,
    interruptionBehavior: input.interruptionBehavior ?? 'terminate',
    tags: new Map(Object.entries(input.tags ?? {})),
  };
}

/**
 * A request derived from a spot instance nobody seeded a request for (RunInstances with spot market options):
 * its type, interruption behaviour and maximum price are what RunInstances was asked. Active while the
 * instance runs; a persistent request is `disabled` while its instance is stopped and opens again when the
 * instance is terminated without cancelling it (EC2 would launch a replacement); a one-time one closes.
 */
function derivedRequest(instance: SimInstance): SimSpotRequest {
  const options = instance.spotOptions ?? { type: 'one-time', interruptionBehavior: 'terminate' };
  const down = instance.state === 'shutting-down' || instance.state === 'terminated';
  const stopped = instance.state === 'stopping' || instance.state === 'stopped';
  let state: SpotRequestState = down ? (options.type === 'persistent' ? 'open' : 'closed') : stopped ? 'disabled' : 'active';
  let statusCode: string | undefined = down ? 'instance-terminated-by-user' : undefined;
  let statusMessage: string | undefined = down ? STATUS_BY_STATE.closed[1] : undefined;
  if (instance.spotRequestCancelled) {
    state = 'cancelled';
    statusCode = down ? 'instance-terminated-by-user' : 'request-canceled-and-instance-running';
    statusMessage = down ? STATUS_BY_STATE.closed[1] : 'Spot Instance request canceled by user; the Spot Instance is still running.';
  }
  return spotRequestFrom(
    instance.region,
    {
      id: instance.spotInstanceRequestId ?? '',
      state,
      ...(statusCode === undefined ? {} : { statusCode }),
      ...(statusMessage === undefined ? {} : { statusMessage }),
      type: options.type,
      interruptionBehavior: options.interruptionBehavior,
      ...(options.maxPrice === undefined ? {} : { spotPrice: Number(options.maxPrice).toFixed(6) }),
      instanceId: instance.id,
    },
    instance,
  );
}

const SPOT_TYPES = ['one-time', 'persistent'] as const;
const BEHAVIOURS = ['terminate', 'stop', 'hibernate'] as const;

/**
 * RunInstances' InstanceMarketOptions.SpotOptions, checked as EC2 checks them: a persistent request must stop
 * or hibernate its instance on interruption, a one-time one can only terminate it, and a maximum price must be
 * more than USD 0.001.
 */
export function parseSpotOptions(params: QueryParams): SimSpotOptions {
  const p = 'InstanceMarketOptions.SpotOptions';
  const type = params.get(`${p}.SpotInstanceType`) ?? 'one-time';
  if (!(SPOT_TYPES as readonly string[]).includes(type)) {
    throw new SimError('InvalidParameterValue', `Value (${type}) for parameter spotInstanceType is invalid. Valid values: ${SPOT_TYPES.join(', ')}`);
  }
  const behaviour = params.get(`${p}.InstanceInterruptionBehavior`) ?? 'terminate';
  if (!(BEHAVIOURS as readonly string[]).includes(behaviour)) {
    throw new SimError('InvalidParameterValue', `Value (${behaviour}) for parameter instanceInterruptionBehavior is invalid. Valid values: ${BEHAVIOURS.join(', ')}`);
  }
  if (type === 'persistent' && behaviour === 'terminate') {
    throw new SimError('InvalidParameterCombination', 'The terminate InstanceInterruptionBehavior is not supported when requestType is set to persistent.');
  }
  if (type === 'one-time' && behaviour !== 'terminate') {
    throw new SimError('InvalidParameterCombination', `The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to '${behaviour}'.`);
  }
  const maxPrice = params.get(`${p}.MaxPrice`);
  if (maxPrice !== undefined && !(Number(maxPrice) > 0.001)) {
    throw new SimError('InvalidParameterValue', `Value (${maxPrice}) for parameter maxPrice is invalid. The maximum price must be more than USD $0.001.`);
  }
  return {
    type: type as SimSpotOptions['type'],
    interruptionBehavior: behaviour as SimSpotOptions['interruptionBehavior'],
    ...(maxPrice === undefined ? {} : { maxPrice }),
  };
}

export const SPOT_REQUEST_ACTIONS = {
  DescribeSpotInstanceRequests: describeSpotInstanceRequests,
  CancelSpotInstanceRequests: cancelSpotInstanceRequests,
} as const;

function spotRequestXml(r: SimSpotRequest): string {
  return [
    text('spotInstanceRequestId', r.id),
    text('spotPrice', r.spotPrice),
    text('type', r.type),
    text('state', r.state),
    node('status', text('code', r.statusCode), text('updateTime', r.statusUpdateTime.toISOString()), text('message', r.statusMessage)),
    node(
      'launchSpecification',
      text('imageId', r.imageId),
      optText('keyName', r.keyName),
      text('instanceType', r.instanceType),
      r.availabilityZone === undefined ? '' : node('placement', text('availabilityZone', r.availabilityZone)),
      node('monitoring', text('enabled', false)),
    ),
    optText('instanceId', r.instanceId),
    text('createTime', r.createTime.toISOString()),
    text('productDescription', 'Linux/UNIX'),
    tagSetXml(r.tags),
    optText('launchedAvailabilityZone', r.instanceId === undefined ? undefined : r.availabilityZone),
    text('instanceInterruptionBehavior', r.interruptionBehavior),
  ].join('');
}

/** DescribeSpotInstanceRequests: SpotInstanceRequestId.N, Filter.N, MaxResults (5–1000) and NextToken. */
function describeSpotInstanceRequests(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const seeded = world.spotRequests.get(region) ?? new Map<string, SimSpotRequest>();
  const derived = store.list(region).filter((i) => i.spotInstanceRequestId !== undefined && !seeded.has(i.spotInstanceRequestId)).map(derivedRequest);
  const all = [...seeded.values(), ...derived];
  const ids = [...new Set(params.list('SpotInstanceRequestId'))];
  const missing = ids.find((id) => !all.some((r) => r.id === id));
  if (missing !== undefined) throw new SimError('InvalidSpotInstanceRequestID.NotFound', `The spot instance request ID '${missing}' does not exist`);
  const filters = params.filters();
  const predicate = compileFilters<SimSpotRequest>(
    filters,
    {
      'spot-instance-request-id': (r) => [r.id],
      state: (r) => [r.state],
      'status-code': (r) => [r.statusCode],
      'status-message': (r) => [r.statusMessage],
      'instance-id': (r) => [r.instanceId],
      type: (r) => [r.type],
      'launch.instance-type': (r) => [r.instanceType],
      'launch.image-id': (r) => [r.imageId],
      'launched-availability-zone': (r) => [r.instanceId === undefined ? undefined : r.availabilityZone],
      'product-description': () => ['Linux/UNIX'],
      'spot-price': (r) => [r.spotPrice],
      'create-time': (r) => [r.createTime.toISOString()],
    },
    (r) => r.tags,
  );
  const paging = ec2Paging(params, { min: 5, max: 1000, query: [region, ids, filters], ids: { given: ids.length > 0, name: 'spotInstanceRequestIdSet' } });
  checkDryRun(params);
  const matching = all.filter((r) => (ids.length === 0 || ids.includes(r.id)) && predicate(r));
  const { page, next } = pageOf(matching, paging.offset, paging.size, paging.fingerprint);
  return items('spotInstanceRequestSet', page, spotRequestXml) + optText('nextToken', next);
}

/**
 * CancelSpotInstanceRequests: SpotInstanceRequestId.N. The requests close; their instances keep running (a
 * persistent request cancelled first is how its instance is then terminated for good).
 */
function cancelSpotInstanceRequests(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const ids = [...new Set(params.list('SpotInstanceRequestId'))];
  if (ids.length === 0) throw new SimError('MissingParameter', 'The request must contain the parameter SpotInstanceRequestId');
  const seeded = world.spotRequests.get(region) ?? new Map<string, SimSpotRequest>();
  const instances = store.list(region);
  const owner = (id: string): SimInstance | undefined => instances.find((i) => i.spotInstanceRequestId === id && !seeded.has(id));
  const missing = ids.find((id) => !seeded.has(id) && owner(id) === undefined);
  if (missing !== undefined) throw new SimError('InvalidSpotInstanceRequestID.NotFound', `The spot instance request ID '${missing}' does not exist`);
  checkDryRun(params);
  for (const id of ids) {
    const request = seeded.get(id);
    if (request !== undefined) {
      const running = request.instanceId !== undefined && store.get(request.instanceId)?.state === 'running';
      seeded.set(id, {
        ...request,
        state: 'cancelled',
        statusCode: running ? 'request-canceled-and-instance-running' : 'canceled-before-fulfillment',
        statusMessage: running ? 'Spot Instance request canceled by user; the Spot Instance is still running.' : STATUS_BY_STATE.cancelled[1],
        statusUpdateTime: new Date(),
      });
    } else {
      const instance = owner(id);
      if (instance) instance.spotRequestCancelled = true;
    }
  }
  return items('spotInstanceRequestSet', ids, (id) => text('spotInstanceRequestId', id) + text('state', 'cancelled'));
}

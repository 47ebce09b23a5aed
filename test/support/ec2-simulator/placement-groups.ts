import type { Ec2ActionContext, SimWorld } from './ec2-actions';
import { resourceId } from './ids';
import { checkDryRun } from './network-actions';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { parseTagSpecifications, tagSetXml } from './tags';
import { items, optText, text } from './xml';

/** A placement group (cluster / spread / partition), as CreatePlacementGroup makes it. */
export interface SimPlacementGroup {
  readonly groupId: string;
  readonly name: string;
  readonly region: string;
  readonly strategy: 'cluster' | 'spread' | 'partition';
  readonly partitionCount?: number;
  readonly tags: Map<string, string>;
}

// Kept beside the world rather than in it: only these actions and RunInstances look at placement groups.
const stores = new WeakMap<SimWorld, Map<string, SimPlacementGroup>>();

export function placementGroupsOf(world: SimWorld): Map<string, SimPlacementGroup> {
  let map = stores.get(world);
  if (!map) {
    map = new Map();
    stores.set(world, map);
  }
  return map;
}

const key = (region: string, name: string): string => `${region}/${name}`;

/** The group RunInstances' Placement.GroupName names, or EC2's error. */
export function placementGroupFor(ctx: Ec2ActionContext, name: string): SimPlacementGroup {
  const group = placementGroupsOf(ctx.world).get(key(ctx.region, name));
  if (!group) throw new SimError('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`);
  return group;
}

function groupXml(g: SimPlacementGroup): string {
  return (
    text('groupName', g.name) +
    text('state', 'available') +
    text('strategy', g.strategy) +
    optText('partitionCount', g.partitionCount) +
    text('groupId', g.groupId) +
    tagSetXml(g.tags) +
    text('groupArn', `arn:aws:ec2:${g.region}:123456789012:placement-group/${g.name}`)
  );
}

function createPlacementGroup(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const name = params.get('GroupName');
  if (name === undefined || name === '') throw new SimError('MissingParameter', 'The request must contain the parameter groupName');
  const strategy = params.get('Strategy') ?? 'cluster';
  if (strategy !== 'cluster' && strategy !== 'spread' && strategy !== 'partition') {
    throw new SimError('InvalidParameterValue', `Value (${strategy}) for parameter strategy is invalid. Valid values: cluster, spread, partition.`);
  }
  const groups = placementGroupsOf(world);
  if (groups.has(key(region, name))) throw new SimError('InvalidPlacementGroup.Duplicate', `The Placement Group '${name}' already exists.`);
  world.permissions.checkEc2('CreatePlacementGroup', ctx);
  checkDryRun(params);
  const partitions = params.get('PartitionCount');
  const group: SimPlacementGroup = {
    groupId: resourceId('pg'),
    name,
    region,
    strategy,
    ...(strategy === 'partition' ? { partitionCount: partitions === undefined ? 2 : Number(partitions) } : {}),
    tags: parseTagSpecifications(params, ['placement-group']).get('placement-group') ?? new Map<string, string>(),
  };
  groups.set(key(region, name), group);
  return `<placementGroup>${groupXml(group)}</placementGroup>`;
}

function describePlacementGroups(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const all = [...placementGroupsOf(world).values()].filter((g) => g.region === region);
  const names = params.list('GroupName');
  const ids = params.list('GroupId');
  for (const name of names) if (!all.some((g) => g.name === name)) throw new SimError('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`);
  const match = compileFilters<SimPlacementGroup>(
    params.filters(),
    { 'group-name': (g) => [g.name], strategy: (g) => [g.strategy], state: () => ['available'], 'group-id': (g) => [g.groupId] },
    (g) => g.tags,
  );
  const shown = all.filter((g) => (names.length === 0 || names.includes(g.name)) && (ids.length === 0 || ids.includes(g.groupId)) && match(g));
  return items('placementGroupSet', shown, groupXml);
}

function deletePlacementGroup(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const name = params.get('GroupName') ?? '';
  const group = placementGroupFor(ctx, name);
  if (ctx.store.list(region).some((i) => i.state !== 'terminated' && i.placementGroup === group.name)) {
    throw new SimError('InvalidPlacementGroup.InUse', `The placement group '${name}' is in use and may not be deleted.`);
  }
  world.permissions.checkEc2('DeletePlacementGroup', ctx);
  checkDryRun(params);
  placementGroupsOf(world).delete(key(region, name));
  return text('return', true);
}

export const PLACEMENT_GROUP_ACTIONS = {
  CreatePlacementGroup: createPlacementGroup,
  DescribePlacementGroups: describePlacementGroups,
  DeletePlacementGroup: deletePlacementGroup,
} as const;

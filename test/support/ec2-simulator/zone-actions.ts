import type { Ec2ActionContext } from './ec2-actions';
import { checkDryRun } from './network-actions';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { items, text } from './xml';

export const ZONE_ACTIONS = {
  DescribeAvailabilityZones: describeAvailabilityZones,
} as const;

const DIRECTIONS: Readonly<Record<string, string>> = { northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw', north: 'n', south: 's', east: 'e', west: 'w', central: 'c' };

/** us-east-1 → use1, ap-southeast-2 → apse2: the prefix of the region's zone ids (use1-az1, …). */
function zoneIdPrefix(region: string): string {
  const [area = '', direction = '', number = ''] = region.split('-');
  return `${area}${DIRECTIONS[direction] ?? direction.slice(0, 1)}${number}`;
}

interface Zone {
  name: string;
  id: string;
  region: string;
}

/** DescribeAvailabilityZones: ZoneName.N, ZoneId.N and filters over the region's zones (all available). */
function describeAvailabilityZones(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const zones: Zone[] = world.network.availabilityZones(region).map((name, k) => ({ name, id: `${zoneIdPrefix(region)}-az${k + 1}`, region }));
  const names = params.list('ZoneName');
  const ids = params.list('ZoneId');
  const unknown = [...names.filter((n) => !zones.some((z) => z.name === n)), ...ids.filter((i) => !zones.some((z) => z.id === i))];
  if (unknown.length > 0) throw new SimError('InvalidParameterValue', `The zone '${unknown[0]}' does not exist.`);
  const predicate = compileFilters<Zone>(params.filters(), {
    'zone-name': (z) => [z.name],
    'zone-id': (z) => [z.id],
    'region-name': (z) => [z.region],
    state: () => ['available'],
    'zone-type': () => ['availability-zone'],
    'opt-in-status': () => ['opt-in-not-required'],
  });
  checkDryRun(params);
  const matching = zones.filter((z) => (names.length === 0 || names.includes(z.name)) && (ids.length === 0 || ids.includes(z.id)) && predicate(z));
  return items(
    'availabilityZoneInfo',
    matching,
    (z) =>
      text('zoneName', z.name) +
      text('zoneState', 'available') +
      text('regionName', z.region) +
      '<messageSet/>' +
      text('zoneId', z.id) +
      text('zoneType', 'availability-zone') +
      text('optInStatus', 'opt-in-not-required') +
      text('groupName', z.region) +
      text('networkBorderGroup', z.region),
  );
}

import { describe, expect, it } from 'vitest';
import type { InstanceStateName, InstanceSummary } from '../../../src/shared/models/ec2';
import type { InstanceTypeInfo } from '../../../src/shared/models/instance-actions';
import { applyQuery, matchesSearch, type InstanceQuery, type SortKey, type TypeLookup } from '../../../src/renderer/features/instances/instance-query';

function instance(id: string, patch: Partial<InstanceSummary> = {}): InstanceSummary {
  return {
    id,
    state: 'running',
    type: 't3.micro',
    availabilityZone: 'eu-west-1a',
    imageId: 'ami-0abc',
    launchTime: '2024-05-01T10:00:00Z',
    region: 'eu-west-1',
    ...patch,
  };
}

const TYPES: Record<string, InstanceTypeInfo> = {
  't3.micro': { type: 't3.micro', vcpus: 2, memoryMiB: 1024, pricePerHour: 0.0104 },
  'm5.large': { type: 'm5.large', vcpus: 2, memoryMiB: 8192, pricePerHour: 0.096 },
  'g5.xlarge': { type: 'g5.xlarge', vcpus: 4, memoryMiB: 16384, gpus: 1, pricePerHour: 1.006 },
};
const types: TypeLookup = (_region, type) => TYPES[type];
const noTypes: TypeLookup = () => undefined;

function query(patch: Partial<InstanceQuery> & { key?: SortKey; direction?: 'ascending' | 'descending' } = {}): InstanceQuery {
  const { key = 'name', direction = 'ascending', ...rest } = patch;
  return { search: '', states: new Set<InstanceStateName>(), sort: { key, direction }, ...rest };
}

const ids = (list: readonly InstanceSummary[]): string[] => list.map((item) => item.id);

describe('matchesSearch', () => {
  const web = instance('i-0aa11', {
    name: 'Web Server',
    publicIp: '54.1.2.3',
    publicDns: 'ec2-54-1-2-3.compute.amazonaws.com',
    privateIp: '10.0.0.9',
    keyName: 'lab-key',
    type: 'm5.large',
  });

  it.each([
    ['web', true],
    ['WEB server', true],
    ['  server   web ', true],
    ['54.1.2', true],
    ['compute.amazonaws', true],
    ['10.0.0.9', true],
    ['lab-key', true],
    ['m5.large', true],
    ['i-0aa', true],
    ['web gpu', false],
    ['ami-0abc', false],
  ])('“%s” → %s', (search, expected) => {
    expect(matchesSearch(web, search)).toBe(expected);
  });

  it('matches everything when the search is blank', () => {
    expect(matchesSearch(instance('i-1'), '')).toBe(true);
    expect(matchesSearch(instance('i-1'), '   ')).toBe(true);
  });
});

describe('applyQuery', () => {
  it('returns an empty list for no instances, whatever the query', () => {
    expect(applyQuery([], query({ search: 'x', states: new Set(['running']), key: 'price' }), types)).toEqual([]);
  });

  it('filters by every word of the search and by the chosen states together', () => {
    const rows = [
      instance('i-1', { name: 'web-1', state: 'running' }),
      instance('i-2', { name: 'web-2', state: 'stopped' }),
      instance('i-3', { name: 'db-1', state: 'running' }),
      instance('i-4', { name: 'web-3', state: 'pending' }),
    ];
    expect(ids(applyQuery(rows, query({ search: 'web' }), types))).toEqual(['i-1', 'i-2', 'i-4']);
    expect(ids(applyQuery(rows, query({ search: 'web', states: new Set(['running', 'pending']) }), types))).toEqual(['i-1', 'i-4']);
    expect(ids(applyQuery(rows, query({ states: new Set(['terminated']) }), types))).toEqual([]);
  });

  it('does not change the list it is given', () => {
    const rows = [instance('i-2', { name: 'b' }), instance('i-1', { name: 'a' })];
    const copy = [...rows];
    applyQuery(rows, query(), types);
    expect(rows).toEqual(copy);
  });

  it('sorts names naturally (web-2 before web-10) and case-insensitively, both ways', () => {
    const rows = [instance('i-1', { name: 'web-10' }), instance('i-2', { name: 'Web-2' }), instance('i-3', { name: 'api' })];
    expect(ids(applyQuery(rows, query(), types))).toEqual(['i-3', 'i-2', 'i-1']);
    expect(ids(applyQuery(rows, query({ direction: 'descending' }), types))).toEqual(['i-1', 'i-2', 'i-3']);
  });

  it('puts instances without the sorted value last in both directions', () => {
    const rows = [instance('i-3'), instance('i-1', { name: 'b' }), instance('i-2'), instance('i-4', { name: 'a' })];
    expect(ids(applyQuery(rows, query(), types))).toEqual(['i-4', 'i-1', 'i-2', 'i-3']);
    expect(ids(applyQuery(rows, query({ direction: 'descending' }), types))).toEqual(['i-1', 'i-4', 'i-2', 'i-3']);
  });

  it('breaks ties by instance id, so equal rows keep one order across refreshes whatever order they arrive in', () => {
    const a = [instance('i-c', { name: 'same' }), instance('i-a', { name: 'same' }), instance('i-b', { name: 'same' })];
    const b = [a[2], a[0], a[1]] as InstanceSummary[];
    expect(ids(applyQuery(a, query(), types))).toEqual(['i-a', 'i-b', 'i-c']);
    expect(ids(applyQuery(b, query(), types))).toEqual(['i-a', 'i-b', 'i-c']);
    // The tie-break does not flip with the direction.
    expect(ids(applyQuery(b, query({ direction: 'descending' }), types))).toEqual(['i-a', 'i-b', 'i-c']);
  });

  it('sorts states in the order people scan for: running, pending, stopping, stopped, shutting down, terminated', () => {
    const states: InstanceStateName[] = ['terminated', 'stopped', 'shutting-down', 'running', 'stopping', 'pending'];
    const rows = states.map((state, index) => instance(`i-${index}`, { state }));
    expect(applyQuery(rows, query({ key: 'state' }), types).map((row) => row.state)).toEqual([
      'running',
      'pending',
      'stopping',
      'stopped',
      'shutting-down',
      'terminated',
    ]);
  });

  it('sorts IP addresses by their numbers, not as text', () => {
    const rows = [instance('i-1', { privateIp: '10.0.0.10' }), instance('i-2', { privateIp: '10.0.0.9' }), instance('i-3', { privateIp: '9.255.0.1' })];
    expect(ids(applyQuery(rows, query({ key: 'privateIp' }), types))).toEqual(['i-3', 'i-2', 'i-1']);
  });

  it('sorts by price and by shape through the type lookup, unknown types last', () => {
    const rows = [
      instance('i-gpu', { type: 'g5.xlarge' }),
      instance('i-small', { type: 't3.micro' }),
      instance('i-odd', { type: 'x9.unknown' }),
      instance('i-mid', { type: 'm5.large' }),
    ];
    expect(ids(applyQuery(rows, query({ key: 'price' }), types))).toEqual(['i-small', 'i-mid', 'i-gpu', 'i-odd']);
    expect(ids(applyQuery(rows, query({ key: 'price', direction: 'descending' }), types))).toEqual(['i-gpu', 'i-mid', 'i-small', 'i-odd']);
    // Same vCPUs: more memory is the bigger shape.
    expect(ids(applyQuery(rows, query({ key: 'shape' }), types))).toEqual(['i-small', 'i-mid', 'i-gpu', 'i-odd']);
    // Before prices arrive every row is "unknown": the order falls back to the ids.
    expect(ids(applyQuery(rows, query({ key: 'price' }), noTypes))).toEqual(['i-gpu', 'i-mid', 'i-odd', 'i-small']);
  });

  it('sorts launch times as times and platforms by name, falling back to the image', () => {
    const rows = [
      instance('i-1', { launchTime: '2024-05-02T00:00:00Z', platform: 'Windows' }),
      instance('i-2', { launchTime: '2023-12-31T23:59:59Z', imageId: 'ami-linux' }),
      instance('i-3', { launchTime: '2024-05-01T23:00:00+02:00', platform: 'Linux/UNIX' }),
    ];
    expect(ids(applyQuery(rows, query({ key: 'launchTime' }), types))).toEqual(['i-2', 'i-3', 'i-1']);
    expect(ids(applyQuery(rows, query({ key: 'platform' }), types))).toEqual(['i-2', 'i-3', 'i-1']);
  });
});

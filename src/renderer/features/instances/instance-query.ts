import type { InstanceStateName, InstanceSummary } from '../../../shared/models/ec2';
import type { InstanceTypeInfo } from '../../../shared/models/instance-actions';

export type SortKey =
  | 'name'
  | 'id'
  | 'state'
  | 'type'
  | 'shape'
  | 'az'
  | 'publicIp'
  | 'privateIp'
  | 'keyName'
  | 'platform'
  | 'launchTime'
  | 'price';

export interface SortOrder {
  readonly key: SortKey;
  readonly direction: 'ascending' | 'descending';
}

export interface InstanceQuery {
  readonly search: string;
  /** Empty: every state. */
  readonly states: ReadonlySet<InstanceStateName>;
  readonly sort: SortOrder;
}

export type TypeLookup = (region: string, type: string) => InstanceTypeInfo | undefined;

const STATE_ORDER: Record<InstanceStateName, number> = {
  running: 0,
  pending: 1,
  stopping: 2,
  stopped: 3,
  'shutting-down': 4,
  terminated: 5,
};

// Searched text per instance object: instances are replaced (not mutated) on refresh, so a WeakMap
// computes each once and forgets it with the object.
const haystacks = new WeakMap<InstanceSummary, string>();

function haystack(instance: InstanceSummary): string {
  let text = haystacks.get(instance);
  if (text === undefined) {
    text = [instance.name, instance.id, instance.publicIp, instance.publicDns, instance.privateIp, instance.type, instance.keyName]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    haystacks.set(instance, text);
  }
  return text;
}

/** Every word of the search must appear in the name, id, IPs, DNS, type or key pair name. */
export function matchesSearch(instance: InstanceSummary, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(instance);
  return words.every((word) => text.includes(word));
}

type Value = string | number | undefined;

function sortValue(instance: InstanceSummary, key: SortKey, types: TypeLookup): Value {
  switch (key) {
    case 'name':
      return instance.name?.toLowerCase();
    case 'id':
      return instance.id;
    case 'state':
      return STATE_ORDER[instance.state];
    case 'type':
      return instance.type;
    case 'shape': {
      const info = types(instance.region, instance.type);
      return info?.vcpus === undefined ? undefined : info.vcpus * 1e7 + (info.memoryMiB ?? 0);
    }
    case 'az':
      return instance.availabilityZone;
    case 'publicIp':
      return instance.publicIp === undefined ? undefined : ipKey(instance.publicIp);
    case 'privateIp':
      return instance.privateIp === undefined ? undefined : ipKey(instance.privateIp);
    case 'keyName':
      return instance.keyName?.toLowerCase();
    case 'platform':
      return (instance.platform ?? instance.imageId).toLowerCase();
    case 'launchTime':
      return Date.parse(instance.launchTime);
    case 'price':
      return types(instance.region, instance.type)?.pricePerHour;
  }
}

/** 10.0.0.9 before 10.0.0.10. */
function ipKey(ip: string): string {
  return ip
    .split('.')
    .map((part) => part.padStart(3, '0'))
    .join('.');
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Filter then sort. Missing values sort last in both directions (an unnamed instance is not "smaller"
 * than a named one); ties fall back to the instance id, so the order is stable across refreshes.
 */
export function applyQuery(instances: readonly InstanceSummary[], query: InstanceQuery, types: TypeLookup): InstanceSummary[] {
  const filtered = instances.filter(
    (instance) => (query.states.size === 0 || query.states.has(instance.state)) && matchesSearch(instance, query.search),
  );
  const { key, direction } = query.sort;
  const sign = direction === 'ascending' ? 1 : -1;
  const keyed = filtered.map((instance) => ({ instance, value: sortValue(instance, key, types) }));
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) {
      if (a.value === b.value) return a.instance.id < b.instance.id ? -1 : 1;
      return a.value === undefined ? 1 : -1;
    }
    let order: number;
    if (typeof a.value === 'number' && typeof b.value === 'number') order = a.value - b.value;
    else order = collator.compare(String(a.value), String(b.value));
    if (order === 0) return a.instance.id < b.instance.id ? -1 : a.instance.id > b.instance.id ? 1 : 0;
    return order * sign;
  });
  return keyed.map((item) => item.instance);
}

/** master first, then node001, node002, … */
function nodeOrder(instance: InstanceSummary): string {
  return instance.name === 'master' ? '' : (instance.name ?? instance.id);
}

/**
 * Clusters as groups (issue 16): a cluster's nodes sit together where its first node falls in the sorted list,
 * master first; a folded cluster's nodes are left out (its line above the table stands for them).
 */
export function groupClusters(rows: readonly InstanceSummary[], collapsed: ReadonlySet<string>): InstanceSummary[] {
  const byCluster = new Map<string, InstanceSummary[]>();
  for (const row of rows) if (row.cluster !== undefined) byCluster.set(row.cluster, [...(byCluster.get(row.cluster) ?? []), row]);
  if (byCluster.size === 0) return [...rows];
  const out: InstanceSummary[] = [];
  const placed = new Set<string>();
  for (const row of rows) {
    if (row.cluster === undefined) out.push(row);
    else if (!placed.has(row.cluster)) {
      placed.add(row.cluster);
      if (!collapsed.has(row.cluster)) out.push(...[...(byCluster.get(row.cluster) ?? [])].sort((a, b) => collator.compare(nodeOrder(a), nodeOrder(b))));
    }
  }
  return out;
}

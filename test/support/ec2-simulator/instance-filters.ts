import { STATE_CODES, type SimInstance } from './instance-store';
import { privateDnsName, publicDnsName } from './instance-xml';
import { SimError } from './sim-error';

type Extract = (i: SimInstance) => readonly (string | undefined)[];

// The DescribeInstances filters Hangar (and most tooling) uses; EC2 rejects names it does not know.
const FIELDS: Readonly<Record<string, Extract>> = {
  'instance-id': (i) => [i.id],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(STATE_CODES[i.state])],
  'instance-type': (i) => [i.instanceType],
  'image-id': (i) => [i.imageId],
  'key-name': (i) => [i.keyName],
  'availability-zone': (i) => [i.availabilityZone],
  'ip-address': (i) => [i.publicIp],
  'private-ip-address': (i) => [i.privateIp],
  'dns-name': (i) => [publicDnsName(i)],
  'private-dns-name': (i) => [privateDnsName(i)],
  architecture: (i) => [i.architecture],
  'platform-details': (i) => [i.platformDetails],
  'reservation-id': (i) => [i.reservationId],
  'vpc-id': (i) => [i.vpcId],
  'subnet-id': (i) => [i.subnetId],
  'instance.group-id': (i) => i.securityGroups.map((g) => g.id),
  'instance.group-name': (i) => i.securityGroups.map((g) => g.name),
  'network-interface.subnet-id': (i) => [i.subnetId],
  'instance-lifecycle': (i) => [i.instanceLifecycle],
  'tag-key': (i) => [...i.tags.keys()],
  'tag-value': (i) => [...i.tags.values()],
};

/** EC2 filter values are case-sensitive globs: `*` any run, `?` one character, `\` escapes. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let k = 0; k < glob.length; k++) {
    const c = glob[k] ?? '';
    if (c === '\\' && k + 1 < glob.length) out += escapeRe(glob[++k] ?? '');
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`, 's');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export type InstancePredicate = (i: SimInstance) => boolean;

/** AND across filters, OR across one filter's values — EC2's documented semantics. */
export function compileInstanceFilters(filters: { name: string; values: string[] }[]): InstancePredicate {
  const tests = filters.map(({ name, values }) => {
    let extract: Extract | undefined;
    if (name.startsWith('tag:') && name.length > 4) {
      const key = name.slice(4);
      extract = (i) => [i.tags.get(key)];
    } else {
      extract = FIELDS[name];
    }
    if (!extract) throw new SimError('InvalidParameterValue', `The filter '${name}' is invalid`);
    if (values.length === 0) {
      throw new SimError('InvalidParameterValue', `The filter '${name}' requires at least one value`);
    }
    const patterns = values.map(globToRegExp);
    const get = extract;
    return (i: SimInstance) => get(i).some((v) => v !== undefined && patterns.some((p) => p.test(v)));
  });
  return (i) => tests.every((t) => t(i));
}

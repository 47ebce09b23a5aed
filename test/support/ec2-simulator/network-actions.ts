import type { Ec2ActionContext } from './ec2-actions';
import { resourceId } from './ids';
import { zoneIdPrefix, rule, type SimRule, type SimSecurityGroup, type SimSubnet, type SimVpc } from './network';
import type { QueryParams } from './query-params';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { parseTagSpecifications, tagSetXml } from './tags';
import { items, node, optText, text } from './xml';

export const NETWORK_ACTIONS = {
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  CreateSecurityGroup: createSecurityGroup,
  DeleteSecurityGroup: deleteSecurityGroup,
  AuthorizeSecurityGroupIngress: (ctx: Ec2ActionContext) => authorize(ctx, false),
  AuthorizeSecurityGroupEgress: (ctx: Ec2ActionContext) => authorize(ctx, true),
  RevokeSecurityGroupIngress: (ctx: Ec2ActionContext) => revoke(ctx, false),
  RevokeSecurityGroupEgress: (ctx: Ec2ActionContext) => revoke(ctx, true),
} as const;

export function checkDryRun(params: QueryParams): void {
  if (params.bool('DryRun')) throw new SimError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
}

function describeAvailabilityZones(ctx: Ec2ActionContext): string {
  const { region, params } = ctx;
  const zones = ctx.world.network.availabilityZones(region).map((name, k) => ({ name, id: `${zoneIdPrefix(region)}-az${k + 1}` }));
  const names = params.list('ZoneName');
  const ids = params.list('ZoneId');
  for (const n of names) {
    if (!zones.some((z) => z.name === n)) throw new SimError('InvalidParameterValue', `The zone '${n}' does not exist.`);
  }
  const predicate = compileFilters<{ name: string; id: string }>(params.filters(), {
    'zone-name': (z) => [z.name],
    'zone-id': (z) => [z.id],
    'region-name': () => [region],
    state: () => ['available'],
    'zone-type': () => ['availability-zone'],
    'opt-in-status': () => ['opt-in-not-required'],
    'group-name': () => [region],
  });
  checkDryRun(params);
  const shown = zones.filter((z) => (names.length === 0 || names.includes(z.name)) && (ids.length === 0 || ids.includes(z.id)) && predicate(z));
  return items('availabilityZoneInfo', shown, (z) =>
    [
      text('zoneName', z.name),
      text('zoneState', 'available'),
      text('regionName', region),
      node('messageSet'),
      text('optInStatus', 'opt-in-not-required'),
      text('zoneId', z.id),
      text('groupName', region),
      text('networkBorderGroup', region),
      text('zoneType', 'availability-zone'),
    ].join(''),
  );
}

function describeVpcs(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const ids = params.list('VpcId');
  for (const id of ids) world.network.vpc(region, id);
  const predicate = compileFilters<SimVpc>(
    params.filters(),
    {
      'vpc-id': (v) => [v.id],
      isDefault: (v) => [String(v.isDefault)],
      'is-default': (v) => [String(v.isDefault)],
      'cidr-block': (v) => [v.cidrBlock],
      cidr: (v) => [v.cidrBlock],
      state: () => ['available'],
      'owner-id': () => [ctx.accountId],
      'dhcp-options-id': (v) => [v.dhcpOptionsId],
    },
    (v) => v.tags,
  );
  checkDryRun(params);
  const vpcs = world.network.vpcsIn(region).filter((v) => (ids.length === 0 || ids.includes(v.id)) && predicate(v));
  return items('vpcSet', vpcs, (v) =>
    [
      text('vpcId', v.id),
      text('ownerId', ctx.accountId),
      text('state', 'available'),
      text('cidrBlock', v.cidrBlock),
      items('cidrBlockAssociationSet', [v], (x) =>
        text('cidrBlock', x.cidrBlock) + text('associationId', `vpc-cidr-assoc-${x.id.slice(4)}`) + node('cidrBlockState', text('state', 'associated')),
      ),
      text('dhcpOptionsId', v.dhcpOptionsId),
      tagSetXml(v.tags),
      text('instanceTenancy', 'default'),
      text('isDefault', v.isDefault),
    ].join(''),
  );
}

function describeSubnets(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const ids = params.list('SubnetId');
  for (const id of ids) world.network.subnet(region, id);
  const zoneId = (az: string): string => `${zoneIdPrefix(region)}-az${'abc'.indexOf(az.slice(-1)) + 1}`;
  const predicate = compileFilters<SimSubnet>(
    params.filters(),
    {
      'subnet-id': (s) => [s.id],
      'vpc-id': (s) => [s.vpcId],
      'availability-zone': (s) => [s.availabilityZone],
      availabilityZone: (s) => [s.availabilityZone],
      'availability-zone-id': (s) => [zoneId(s.availabilityZone)],
      'default-for-az': (s) => [String(s.defaultForAz)],
      defaultForAz: (s) => [String(s.defaultForAz)],
      'map-public-ip-on-launch': (s) => [String(s.mapPublicIpOnLaunch)],
      'cidr-block': (s) => [s.cidrBlock],
      state: () => ['available'],
      'owner-id': () => [ctx.accountId],
    },
    (s) => s.tags,
  );
  checkDryRun(params);
  const subnets = world.network.subnetsIn(region).filter((s) => (ids.length === 0 || ids.includes(s.id)) && predicate(s));
  return items('subnetSet', subnets, (s) =>
    [
      text('subnetId', s.id),
      text('subnetArn', `arn:aws:ec2:${region}:${ctx.accountId}:subnet/${s.id}`),
      text('state', 'available'),
      text('ownerId', ctx.accountId),
      text('vpcId', s.vpcId),
      text('cidrBlock', s.cidrBlock),
      text('availableIpAddressCount', 4091),
      text('availabilityZone', s.availabilityZone),
      text('availabilityZoneId', zoneId(s.availabilityZone)),
      text('defaultForAz', s.defaultForAz),
      text('mapPublicIpOnLaunch', s.mapPublicIpOnLaunch),
      text('assignIpv6AddressOnCreation', false),
      tagSetXml(s.tags),
    ].join(''),
  );
}

function resolveGroups(ctx: Ec2ActionContext): SimSecurityGroup[] {
  const { params, region, world } = ctx;
  return [...params.list('GroupId').map((id) => world.network.group(region, id)), ...params.list('GroupName').map((n) => world.network.groupByName(region, n))];
}

function describeSecurityGroups(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const wanted = resolveGroups(ctx);
  const predicate = compileFilters<SimSecurityGroup>(
    params.filters(),
    {
      'group-id': (g) => [g.id],
      'group-name': (g) => [g.name],
      description: (g) => [g.description],
      'vpc-id': (g) => [g.vpcId],
      'owner-id': () => [ctx.accountId],
      'ip-permission.cidr': (g) => g.rules.filter((r) => !r.egress).map((r) => r.cidrIpv4),
      'ip-permission.from-port': (g) => g.rules.filter((r) => !r.egress).map((r) => portText(r.fromPort)),
      'ip-permission.to-port': (g) => g.rules.filter((r) => !r.egress).map((r) => portText(r.toPort)),
      'ip-permission.protocol': (g) => g.rules.filter((r) => !r.egress).map((r) => r.protocol),
    },
    (g) => g.tags,
  );
  checkDryRun(params);
  const pool = wanted.length > 0 ? wanted : world.network.groupsIn(region);
  return items('securityGroupInfo', pool.filter(predicate), (g) => securityGroupXml(ctx, g));
}

function portText(port: number | undefined): string | undefined {
  return port === undefined ? undefined : String(port);
}

function securityGroupXml(ctx: Ec2ActionContext, g: SimSecurityGroup): string {
  return [
    text('ownerId', ctx.accountId),
    text('groupId', g.id),
    text('groupName', g.name),
    text('groupDescription', g.description),
    text('vpcId', g.vpcId),
    permissionsXml('ipPermissions', ctx, g.rules.filter((r) => !r.egress)),
    permissionsXml('ipPermissionsEgress', ctx, g.rules.filter((r) => r.egress)),
    tagSetXml(g.tags),
    text('securityGroupArn', `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${g.id}`),
  ].join('');
}

/** EC2 groups rules with the same protocol and port range into one IpPermission with lists of sources. */
function permissionsXml(name: string, ctx: Ec2ActionContext, rules: SimRule[]): string {
  const groups = new Map<string, SimRule[]>();
  for (const r of rules) {
    const key = `${r.protocol}|${r.fromPort ?? ''}|${r.toPort ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return items(name, [...groups.values()], (list) => {
    const first = list[0] as SimRule;
    return [
      text('ipProtocol', first.protocol),
      optText('fromPort', first.fromPort),
      optText('toPort', first.toPort),
      items('groups', list.filter((r) => r.groupId !== undefined), (r) =>
        text('userId', ctx.accountId) + text('groupId', r.groupId ?? '') + optText('description', r.description),
      ),
      items('ipRanges', list.filter((r) => r.cidrIpv4 !== undefined), (r) => text('cidrIp', r.cidrIpv4 ?? '') + optText('description', r.description)),
      items('ipv6Ranges', list.filter((r) => r.cidrIpv6 !== undefined), (r) => text('cidrIpv6', r.cidrIpv6 ?? '') + optText('description', r.description)),
      node('prefixListIds'),
    ].join('');
  });
}

function describeSecurityGroupRules(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const ids = params.list('SecurityGroupRuleId');
  const all = world.network.groupsIn(region).flatMap((g) => g.rules.map((r) => ({ g, r })));
  for (const id of ids) {
    if (!all.some((x) => x.r.id === id)) throw new SimError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
  }
  const predicate = compileFilters<{ g: SimSecurityGroup; r: SimRule }>(params.filters(), {
    'group-id': (x) => [x.g.id],
    'security-group-rule-id': (x) => [x.r.id],
  });
  checkDryRun(params);
  const shown = all.filter((x) => (ids.length === 0 || ids.includes(x.r.id)) && predicate(x));
  return items('securityGroupRuleSet', shown, (x) => ruleXml(ctx, x.g, x.r));
}

function ruleXml(ctx: Ec2ActionContext, g: SimSecurityGroup, r: SimRule): string {
  return [
    text('securityGroupRuleId', r.id),
    text('groupId', g.id),
    text('groupOwnerId', ctx.accountId),
    text('isEgress', r.egress),
    text('ipProtocol', r.protocol),
    text('fromPort', r.fromPort ?? -1),
    text('toPort', r.toPort ?? -1),
    optText('cidrIpv4', r.cidrIpv4),
    optText('cidrIpv6', r.cidrIpv6),
    r.groupId === undefined ? '' : node('referencedGroupInfo', text('groupId', r.groupId), text('userId', ctx.accountId)),
    optText('description', r.description),
    node('tagSet'),
    text('securityGroupRuleArn', `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group-rule/${r.id}`),
  ].join('');
}

function createSecurityGroup(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const name = params.get('GroupName');
  if (name === undefined || name === '') throw new SimError('MissingParameter', 'The request must contain the parameter GroupName');
  const description = params.get('GroupDescription');
  if (description === undefined || description === '') {
    throw new SimError('MissingParameter', 'The request must contain the parameter GroupDescription');
  }
  if (name.length > 255 || name.startsWith('sg-')) {
    throw new SimError('InvalidParameterValue', `Invalid value '${name}' for groupName. It may not begin with 'sg-' and must be at most 255 characters.`);
  }
  if (name === 'default') throw new SimError('InvalidGroup.Reserved', "The security group 'default' is reserved");
  const vpcIdParam = params.get('VpcId');
  let vpcId: string;
  if (vpcIdParam === undefined) {
    const vpc = world.network.defaultVpc(region);
    if (!vpc) throw new SimError('VPCIdNotSpecified', 'No default VPC for this user');
    vpcId = vpc.id;
  } else {
    vpcId = world.network.vpc(region, vpcIdParam).id;
  }
  const tags = parseTagSpecifications(params, ['security-group']).get('security-group') ?? new Map<string, string>();
  if (world.network.groupsIn(region).some((g) => g.vpcId === vpcId && g.name === name)) {
    throw new SimError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
  }
  world.permissions.checkEc2('CreateSecurityGroup', ctx);
  if (tags.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  checkDryRun(params);
  const group: SimSecurityGroup = { id: resourceId('sg'), region, vpcId, name, description, tags, rules: [] };
  group.rules.push(rule({ egress: true, protocol: '-1', cidrIpv4: '0.0.0.0/0' }));
  world.network.groups.set(group.id, group);
  return (
    text('return', true) +
    text('groupId', group.id) +
    (tags.size > 0 ? tagSetXml(tags) : '') +
    text('securityGroupArn', `arn:aws:ec2:${region}:${ctx.accountId}:security-group/${group.id}`)
  );
}

function targetGroup(ctx: Ec2ActionContext): SimSecurityGroup {
  const id = ctx.params.get('GroupId');
  const name = ctx.params.get('GroupName');
  if (id !== undefined) return ctx.world.network.group(ctx.region, id);
  if (name !== undefined) return ctx.world.network.groupByName(ctx.region, name);
  throw new SimError('MissingParameter', 'The request must contain the parameter groupName or groupId');
}

function deleteSecurityGroup(ctx: Ec2ActionContext): string {
  const group = targetGroup(ctx);
  if (group.name === 'default') {
    throw new SimError('CannotDelete', `the specified group: "${group.id}" name: "default" cannot be deleted by a user`);
  }
  const inUse = ctx.store.list(ctx.region).some((i) => i.state !== 'terminated' && i.securityGroups.some((g) => g.id === group.id));
  const referenced = ctx.world.network.groupsIn(ctx.region).some((g) => g.id !== group.id && g.rules.some((r) => r.groupId === group.id));
  if (inUse || referenced) throw new SimError('DependencyViolation', `resource ${group.id} has a dependent object`);
  ctx.world.permissions.checkEc2('DeleteSecurityGroup', ctx);
  checkDryRun(ctx.params);
  ctx.world.network.groups.delete(group.id);
  return text('return', true) + text('groupId', group.id);
}

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

/** The rules an Authorize/Revoke call names: IpPermissions.N.… or the legacy flat CidrIp/IpProtocol/FromPort/ToPort. */
function requestedRules(ctx: Ec2ActionContext, egress: boolean): Omit<SimRule, 'id'>[] {
  const { params } = ctx;
  const out: Omit<SimRule, 'id'>[] = [];
  const port = (raw: string | undefined, protocol: string): number | undefined => {
    if (protocol === '-1' || raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < -1 || n > 65535) throw new SimError('InvalidParameterValue', `Invalid value '${raw}' for portRange. Must be between -1 and 65535.`);
    return n;
  };
  const protocolOf = (raw: string | undefined): string => {
    if (raw === undefined || raw === '') throw new SimError('MissingParameter', 'The request must contain the parameter ipProtocol');
    const p = PROTOCOL_NUMBERS[raw.toLowerCase()] ?? raw.toLowerCase();
    if (!['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(p) && !/^\d+$/.test(p)) {
      throw new SimError('InvalidParameterValue', `Invalid value '${raw}' for IP protocol. Unknown protocol.`);
    }
    return p;
  };
  const push = (base: { protocol: string; fromPort: number | undefined; toPort: number | undefined }, source: Partial<SimRule>): void => {
    if ((base.protocol === 'tcp' || base.protocol === 'udp') && (base.fromPort === undefined || base.toPort === undefined)) {
      throw new SimError('InvalidParameterValue', 'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.');
    }
    if (base.fromPort !== undefined && base.toPort !== undefined && base.protocol !== 'icmp' && base.fromPort > base.toPort) {
      throw new SimError('InvalidParameterValue', `Invalid TCP/UDP port range: ${base.fromPort} > ${base.toPort}`);
    }
    out.push({ egress, cidrIpv4: undefined, cidrIpv6: undefined, groupId: undefined, description: undefined, ...base, ...source });
  };
  for (const n of params.indexes('IpPermissions', '.')) {
    const p = `IpPermissions.${n}`;
    const protocol = protocolOf(params.get(`${p}.IpProtocol`));
    const base = { protocol, fromPort: port(params.get(`${p}.FromPort`), protocol), toPort: port(params.get(`${p}.ToPort`), protocol) };
    const before = out.length;
    for (const m of params.indexes(`${p}.IpRanges`, '.CidrIp')) {
      push(base, { cidrIpv4: cidr4(params.get(`${p}.IpRanges.${m}.CidrIp`) ?? ''), ...desc(params.get(`${p}.IpRanges.${m}.Description`)) });
    }
    for (const m of params.indexes(`${p}.Ipv6Ranges`, '.CidrIpv6')) {
      push(base, { cidrIpv6: cidr6(params.get(`${p}.Ipv6Ranges.${m}.CidrIpv6`) ?? ''), ...desc(params.get(`${p}.Ipv6Ranges.${m}.Description`)) });
    }
    for (const m of params.indexes(`${p}.Groups`, '.GroupId')) {
      const gid = params.get(`${p}.Groups.${m}.GroupId`) ?? '';
      ctx.world.network.group(ctx.region, gid);
      push(base, { groupId: gid, ...desc(params.get(`${p}.Groups.${m}.Description`)) });
    }
    if (out.length === before) {
      throw new SimError('InvalidParameterValue', 'The request must contain at least one source: an IP range, an IPv6 range, a prefix list or a security group.');
    }
  }
  const flatCidr = params.get('CidrIp');
  if (flatCidr !== undefined) {
    const protocol = protocolOf(params.get('IpProtocol'));
    push({ protocol, fromPort: port(params.get('FromPort'), protocol), toPort: port(params.get('ToPort'), protocol) }, { cidrIpv4: cidr4(flatCidr) });
  }
  return out;
}

// EC2's rule description alphabet (IpRange / Ipv6Range / UserIdGroupPair Description).
const DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

function desc(value: string | undefined): Partial<SimRule> {
  if (value === undefined) return {};
  if (!DESCRIPTION.test(value)) {
    throw new SimError(
      'InvalidParameterValue',
      'Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*',
    );
  }
  return { description: value };
}

/** Canonical lower-case IPv6 CIDR, as EC2 keeps it; anything that does not parse is malformed. */
function cidr6(value: string): string {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  const groups = m?.[1]?.split('::') ?? [];
  const count = groups.flatMap((g) => (g === '' ? [] : g.split(':'))).length;
  const wellFormed =
    m !== null &&
    Number(m[2]) <= 128 &&
    groups.length <= 2 &&
    groups.every((g) => g === '' || g.split(':').every((h) => /^[0-9a-fA-F]{1,4}$/.test(h))) &&
    (groups.length === 2 ? count < 8 : count === 8);
  if (!wellFormed) throw new SimError('InvalidParameterValue', `CIDR block ${value} is malformed`);
  return value.toLowerCase();
}

function cidr4(value: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw new SimError('InvalidParameterValue', `CIDR block ${value} is malformed`);
  }
  return value;
}

function sameRule(a: Omit<SimRule, 'id'>, b: Omit<SimRule, 'id'>): boolean {
  return (
    a.egress === b.egress &&
    a.protocol === b.protocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    a.cidrIpv4 === b.cidrIpv4 &&
    a.cidrIpv6 === b.cidrIpv6 &&
    a.groupId === b.groupId
  );
}

function ruleText(r: Omit<SimRule, 'id'>): string {
  const peer = r.cidrIpv4 ?? r.cidrIpv6 ?? r.groupId ?? '';
  const proto = r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase();
  return `peer: ${peer}, ${proto}, from port: ${r.fromPort ?? -1}, to port: ${r.toPort ?? -1}, ALLOW`;
}

function authorize(ctx: Ec2ActionContext, egress: boolean): string {
  const group = targetGroup(ctx);
  const wanted = requestedRules(ctx, egress);
  if (wanted.length === 0) throw new SimError('MissingParameter', 'The request must contain the parameter ipPermissions');
  for (const w of wanted) {
    if (group.rules.some((r) => sameRule(r, w))) {
      throw new SimError('InvalidPermission.Duplicate', `the specified rule "${ruleText(w)}" already exists`);
    }
  }
  ctx.world.permissions.checkEc2(egress ? 'AuthorizeSecurityGroupEgress' : 'AuthorizeSecurityGroupIngress', ctx);
  checkDryRun(ctx.params);
  const added = wanted.map((w) => rule(w));
  group.rules.push(...added);
  return text('return', true) + items('securityGroupRuleSet', added, (r) => ruleXml(ctx, group, r));
}

/** Rules that do not exist are reported back (unknownIpPermissionSet); if none existed, EC2 answers NotFound. */
function revoke(ctx: Ec2ActionContext, egress: boolean): string {
  const group = targetGroup(ctx);
  const ruleIds = ctx.params.list('SecurityGroupRuleId');
  const byId = ruleIds.map((id) => {
    const r = group.rules.find((x) => x.id === id && x.egress === egress);
    if (!r) throw new SimError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
    return r;
  });
  const wanted = requestedRules(ctx, egress);
  if (wanted.length === 0 && byId.length === 0) throw new SimError('MissingParameter', 'The request must contain the parameter ipPermissions');
  const found = [...byId, ...wanted.flatMap((w) => group.rules.filter((r) => sameRule(r, w)))];
  const unknown = wanted.filter((w) => !group.rules.some((r) => sameRule(r, w)));
  if (found.length === 0) {
    throw new SimError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
  }
  ctx.world.permissions.checkEc2(egress ? 'RevokeSecurityGroupEgress' : 'RevokeSecurityGroupIngress', ctx);
  checkDryRun(ctx.params);
  for (const r of found) group.rules.splice(group.rules.indexOf(r), 1);
  return (
    text('return', true) +
    (unknown.length === 0
      ? ''
      : items('unknownIpPermissionSet', unknown, (u) =>
          text('ipProtocol', u.protocol) + optText('fromPort', u.fromPort) + optText('toPort', u.toPort) +
          items('ipRanges', u.cidrIpv4 === undefined ? [] : [u.cidrIpv4], (c) => text('cidrIp', c)),
        )) +
    items('revokedSecurityGroupRuleSet', found, (r) => ruleXml(ctx, group, r))
  );
}

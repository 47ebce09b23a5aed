import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { HangarError } from '../../../shared/errors/hangar-error';
import { parseCidr } from '../../../shared/models/cidr';
import { ruleConflict, type AddRuleInput, type FirewallGroup, type FirewallRule, type InstanceFirewall, type RemoveRuleInput } from '../../../shared/models/firewall';
import type { RegionScope } from '../../../shared/models/launch';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { throwIfAborted } from '../aws/call-aws';
import type { Ec2Service } from '../ec2/ec2-service';
import { createEc2Call } from '../launch/ec2-call';

export interface FirewallService {
  /** The inbound rules of each of the instance's security groups, one entry per source. */
  rules(ref: InstanceRef, signal?: AbortSignal): Promise<InstanceFirewall>;
  /** Lets one address range in (with a description); refused when it repeats or overlaps a rule of the group. */
  addRule(input: AddRuleInput, signal?: AbortSignal): Promise<FirewallGroup>;
  /** Removes one rule by its id (sgr-…). */
  removeRule(input: RemoveRuleInput, signal?: AbortSignal): Promise<FirewallGroup>;
}

export interface FirewallServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  ec2: Pick<Ec2Service, 'describeInstance'>;
}

// DescribeSecurityGroupRules' largest page.
const PAGE_SIZE = 1000;

/** Security group inbound rules, read and edited rule by rule (security group rule ids). */
export function createFirewallService(deps: FirewallServiceDeps): FirewallService {
  const call = createEc2Call(deps.clientsFor);

  async function inboundRules(scope: RegionScope, groupIds: readonly string[], signal?: AbortSignal): Promise<Map<string, FirewallRule[]>> {
    const byGroup = new Map<string, FirewallRule[]>(groupIds.map((id) => [id, []]));
    const seenTokens = new Set<string>();
    let nextToken: string | undefined;
    do {
      throwIfAborted(signal);
      const out = await call(scope, 'ec2:DescribeSecurityGroupRules', signal, (c) =>
        c.send(
          new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [...groupIds] }], MaxResults: PAGE_SIZE, NextToken: nextToken }),
          { abortSignal: signal },
        ),
      );
      for (const raw of out.SecurityGroupRules ?? []) {
        const rule = toRule(raw);
        if (rule !== undefined) byGroup.get(rule.groupId)?.push(rule);
      }
      nextToken = out.NextToken === '' ? undefined : out.NextToken;
      if (nextToken !== undefined) {
        if (seenTokens.has(nextToken)) break;
        seenTokens.add(nextToken);
      }
    } while (nextToken !== undefined);
    return byGroup;
  }

  async function groups(scope: RegionScope, groupIds: readonly string[], signal?: AbortSignal): Promise<FirewallGroup[]> {
    if (groupIds.length === 0) return [];
    const [described, rules] = await Promise.all([
      call(scope, 'ec2:DescribeSecurityGroups', signal, (c) => c.send(new DescribeSecurityGroupsCommand({ GroupIds: [...groupIds] }), { abortSignal: signal })),
      inboundRules(scope, groupIds, signal),
    ]);
    return groupIds.map((groupId) => {
      const g = described.SecurityGroups?.find((x) => x.GroupId === groupId);
      return {
        groupId,
        groupName: g?.GroupName ?? groupId,
        description: g?.Description ?? '',
        inbound: (rules.get(groupId) ?? []).sort(byPort),
      };
    });
  }

  async function oneGroup(scope: RegionScope, groupId: string, signal?: AbortSignal): Promise<FirewallGroup> {
    const [group] = await groups(scope, [groupId], signal);
    if (group === undefined) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `Security group ${groupId} was not found in ${scope.region}.`, hint: 'Refresh the rules.' });
    return group;
  }

  return {
    async rules(ref, signal) {
      const details = await deps.ec2.describeInstance(ref.accountId, ref.region, ref.instanceId, signal);
      return { instanceId: ref.instanceId, groups: await groups(ref, details.securityGroups.map((g) => g.id), signal) };
    },

    async addRule(input, signal) {
      const parsed = parseCidr(input.cidr);
      if (!parsed.ok) throw new HangarError({ code: 'INVALID_ARGUMENT', message: parsed.problem, hint: 'Type an address such as 203.0.113.7 or a range such as 203.0.113.0/24.' });
      const ports = portsOf(input);
      const before = await oneGroup(input, input.groupId, signal);
      // The renderer checked too, but against the rules it had loaded: a teammate may have changed the group since.
      const conflict = ruleConflict({ protocol: input.protocol, ...ports, cidr: parsed.cidr.text }, before.inbound);
      if (conflict !== undefined) throw new HangarError({ code: 'AWS_ALREADY_EXISTS', message: conflict, hint: 'Refresh the rules to see the group as it is now.' });
      const description = input.description.trim() === '' ? {} : { Description: input.description.trim() };
      const permission: IpPermission = {
        IpProtocol: input.protocol,
        ...(ports.fromPort === undefined ? {} : { FromPort: ports.fromPort, ToPort: ports.toPort }),
        ...(parsed.cidr.family === 4 ? { IpRanges: [{ CidrIp: parsed.cidr.text, ...description }] } : { Ipv6Ranges: [{ CidrIpv6: parsed.cidr.text, ...description }] }),
      };
      await edit(input, 'ec2:AuthorizeSecurityGroupIngress', signal, () =>
        call(input, 'ec2:AuthorizeSecurityGroupIngress', signal, (c) =>
          c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: input.groupId, IpPermissions: [permission] }), { abortSignal: signal }),
        ),
      );
      return oneGroup(input, input.groupId, signal);
    },

    async removeRule(input, signal) {
      await edit(input, 'ec2:RevokeSecurityGroupIngress', signal, () =>
        call(input, 'ec2:RevokeSecurityGroupIngress', signal, (c) =>
          c.send(new RevokeSecurityGroupIngressCommand({ GroupId: input.groupId, SecurityGroupRuleIds: [input.ruleId] }), { abortSignal: signal }),
        ),
      );
      return oneGroup(input, input.groupId, signal);
    },
  };
}

/** Says the two refusals a rule edit meets in plain words; everything else keeps the general mapping. */
async function edit(scope: RegionScope & { groupId: string }, action: string, signal: AbortSignal | undefined, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const awsCode = error instanceof HangarError ? error.details?.awsCode : undefined;
    if (awsCode === 'InvalidPermission.Duplicate') {
      throw new HangarError({ code: 'AWS_ALREADY_EXISTS', message: `Security group ${scope.groupId} already has this rule.`, hint: 'Refresh the rules to see it.', cause: error, details: { action } });
    }
    if (awsCode === 'InvalidPermission.NotFound' || awsCode === 'InvalidSecurityGroupRuleId.NotFound') {
      throw new HangarError({ code: 'AWS_NOT_FOUND', message: `That rule is no longer in security group ${scope.groupId}.`, hint: 'Someone may have removed it already; refresh the rules.', cause: error, details: { action } });
    }
    throw error;
  }
  throwIfAborted(signal);
}

/** EC2 wants -1/-1 for every ICMP type and code, and no ports at all for "all traffic". */
function portsOf(input: Pick<AddRuleInput, 'protocol' | 'fromPort' | 'toPort'>): { fromPort?: number; toPort?: number } {
  if (input.protocol === '-1') return {};
  if (input.protocol === 'icmp') return { fromPort: input.fromPort ?? -1, toPort: input.toPort ?? -1 };
  const from = input.fromPort;
  const to = input.toPort ?? from;
  if (from === undefined || to === undefined || from < 0 || to < from) {
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'Give a port, or a range such as 8000–8100 (from ≤ to).', hint: 'SSH is 22, Jupyter 8888, TensorBoard 6006.' });
  }
  return { fromPort: from, toPort: to };
}

function toRule(raw: SecurityGroupRule): FirewallRule | undefined {
  if (raw.IsEgress === true || raw.SecurityGroupRuleId === undefined || raw.GroupId === undefined) return undefined;
  const source: FirewallRule['source'] | undefined =
    raw.CidrIpv4 !== undefined
      ? { kind: 'cidr', cidr: raw.CidrIpv4 }
      : raw.CidrIpv6 !== undefined
        ? { kind: 'cidr', cidr: raw.CidrIpv6 }
        : raw.ReferencedGroupInfo?.GroupId !== undefined
          ? { kind: 'group', groupId: raw.ReferencedGroupInfo.GroupId }
          : raw.PrefixListId !== undefined
            ? { kind: 'prefix-list', prefixListId: raw.PrefixListId }
            : undefined;
  if (source === undefined) return undefined;
  const protocol = raw.IpProtocol ?? '-1';
  const ports = protocol === '-1' ? {} : { fromPort: raw.FromPort, toPort: raw.ToPort };
  return {
    ruleId: raw.SecurityGroupRuleId,
    groupId: raw.GroupId,
    protocol,
    ...ports,
    source,
    ...(raw.Description === undefined || raw.Description === '' ? {} : { description: raw.Description }),
  };
}

function byPort(a: FirewallRule, b: FirewallRule): number {
  return (a.fromPort ?? -1) - (b.fromPort ?? -1) || a.ruleId.localeCompare(b.ruleId);
}

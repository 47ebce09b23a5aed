import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import { cidrsOverlap, isEveryone, parseCidr } from './cidr';

/** Where an inbound rule lets traffic come from. */
export type RuleSource =
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'group'; readonly groupId: string }
  | { readonly kind: 'prefix-list'; readonly prefixListId: string };

/** One inbound rule of a security group (one source), as DescribeSecurityGroupRules gives it. */
export interface FirewallRule {
  readonly ruleId: string;
  readonly groupId: string;
  /** 'tcp' | 'udp' | 'icmp' | 'icmpv6' | '-1' (everything) or a protocol number. */
  readonly protocol: string;
  /** Undefined for "all ports" (protocol -1); for ICMP the type. */
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly source: RuleSource;
  readonly description?: string | undefined;
}

export interface FirewallGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly description: string;
  readonly inbound: readonly FirewallRule[];
}

/** The inbound rules of every security group an instance has. */
export interface InstanceFirewall {
  readonly instanceId: string;
  readonly groups: readonly FirewallGroup[];
}

/** The protocols the add-rule form offers. */
export const RULE_PROTOCOLS = ['tcp', 'udp', 'icmp', '-1'] as const;
export type RuleProtocol = (typeof RULE_PROTOCOLS)[number];

// AWS's own limit on rule descriptions (IpRange / Ipv6Range Description).
const DESCRIPTION_CHARS = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;
export const DESCRIPTION_MAX = 255;

/** Why AWS would refuse this description, or undefined when it is fine. */
export function descriptionProblem(description: string): string | undefined {
  if (description.length > DESCRIPTION_MAX) return `At most ${DESCRIPTION_MAX} characters.`;
  if (!DESCRIPTION_CHARS.test(description)) {
    const bad = [...description].find((c) => !DESCRIPTION_CHARS.test(c)) ?? '';
    return `AWS does not allow “${bad}” in a rule description: only letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *`;
  }
  return undefined;
}

const portSchema = z.number().int().min(-1).max(65535);

export const addRuleInputSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    groupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/),
    protocol: z.enum(RULE_PROTOCOLS),
    fromPort: portSchema.optional(),
    toPort: portSchema.optional(),
    cidr: z.string().max(64).refine((c) => parseCidr(c).ok, 'a well-formed IPv4 or IPv6 range'),
    description: z.string().max(DESCRIPTION_MAX).refine((d) => descriptionProblem(d) === undefined, 'characters AWS allows in a rule description'),
  })
  .strict();
export type AddRuleInput = z.infer<typeof addRuleInputSchema>;

export const removeRuleInputSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    groupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/),
    ruleId: z.string().regex(/^sgr-[0-9a-f]{8,17}$/),
  })
  .strict();
export type RemoveRuleInput = z.infer<typeof removeRuleInputSchema>;

const WELL_KNOWN: Readonly<Record<number, string>> = {
  22: 'SSH',
  80: 'HTTP',
  443: 'HTTPS',
  3389: 'RDP',
  5432: 'PostgreSQL',
  3306: 'MySQL',
  6006: 'TensorBoard',
  8888: 'Jupyter',
};

/** "SSH (22)", "TCP 8000–8100", "All traffic", "ICMP (ping and other messages)". */
export function trafficWords(protocol: string, fromPort: number | undefined, toPort: number | undefined): string {
  if (protocol === '-1') return 'All traffic';
  if (protocol === 'icmp') return fromPort === 8 ? 'Ping (ICMP echo)' : 'ICMP (ping and other messages)';
  if (protocol === 'icmpv6') return 'ICMPv6';
  const name = protocol === 'tcp' || protocol === 'udp' ? protocol.toUpperCase() : `Protocol ${protocol}`;
  if (fromPort === undefined || toPort === undefined || fromPort === -1 || (fromPort === 0 && toPort === 65535)) return `All ${name} ports`;
  if (fromPort === toPort) {
    const known = protocol === 'tcp' ? WELL_KNOWN[fromPort] : undefined;
    return known === undefined ? `${name} ${fromPort}` : `${known} (${fromPort})`;
  }
  return `${name} ${fromPort}–${toPort}`;
}

/** "anywhere (IPv4)", "203.0.113.7/32", "instances in sg-0abc…". */
export function sourceWords(source: RuleSource): string {
  if (source.kind === 'group') return `instances in ${source.groupId}`;
  if (source.kind === 'prefix-list') return `prefix list ${source.prefixListId}`;
  if (source.cidr === '0.0.0.0/0') return 'anywhere (IPv4)';
  if (source.cidr === '::/0') return 'anywhere (IPv6)';
  return source.cidr;
}

/** "SSH (22) from 203.0.113.7/32 — Ana's laptop". */
export function ruleWords(rule: Pick<FirewallRule, 'protocol' | 'fromPort' | 'toPort' | 'source' | 'description'>): string {
  const words = `${trafficWords(rule.protocol, rule.fromPort, rule.toPort)} from ${sourceWords(rule.source)}`;
  return rule.description === undefined || rule.description === '' ? words : `${words} — ${rule.description}`;
}

/** Web traffic is meant for everyone; anything else open to the whole internet deserves a warning. */
export function openToWorldWarning(rule: Pick<FirewallRule, 'protocol' | 'fromPort' | 'toPort' | 'source'>): string | undefined {
  if (rule.source.kind !== 'cidr') return undefined;
  const parsed = parseCidr(rule.source.cidr);
  if (!parsed.ok || !isEveryone(parsed.cidr)) return undefined;
  const web = rule.protocol === 'tcp' && rule.fromPort === rule.toPort && (rule.fromPort === 80 || rule.fromPort === 443);
  if (web) return undefined;
  return `${trafficWords(rule.protocol, rule.fromPort, rule.toPort)} is open to the whole internet: anyone can try to connect. Allow only the addresses that need it.`;
}

/** The port range a rule covers, all ports for "everything" and for ICMP. */
function portRange(protocol: string, from: number | undefined, to: number | undefined): [number, number] {
  if (protocol === '-1' || from === undefined || to === undefined || from === -1) return [-1, 65535];
  return [from, to];
}

function trafficOverlaps(a: Pick<FirewallRule, 'protocol' | 'fromPort' | 'toPort'>, b: Pick<FirewallRule, 'protocol' | 'fromPort' | 'toPort'>): boolean {
  if (a.protocol !== '-1' && b.protocol !== '-1' && a.protocol !== b.protocol) return false;
  const [af, at] = portRange(a.protocol, a.fromPort, a.toPort);
  const [bf, bt] = portRange(b.protocol, b.fromPort, b.toPort);
  return af <= bt && bf <= at;
}

export interface NewRule {
  readonly protocol: string;
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly cidr: string;
}

/**
 * Why a new rule should not be added next to `existing` (the same group's inbound rules): the same rule is
 * already there, or one of its addresses is already let in for some of the same traffic. Undefined: fine.
 */
export function ruleConflict(rule: NewRule, existing: readonly FirewallRule[]): string | undefined {
  const parsed = parseCidr(rule.cidr);
  if (!parsed.ok) return parsed.problem;
  for (const other of existing) {
    if (other.source.kind !== 'cidr') continue;
    const theirs = parseCidr(other.source.cidr);
    if (!theirs.ok || !trafficOverlaps(rule, other) || !cidrsOverlap(parsed.cidr, theirs.cidr)) continue;
    const same =
      theirs.cidr.text === parsed.cidr.text &&
      other.protocol === rule.protocol &&
      portRange(rule.protocol, rule.fromPort, rule.toPort).join() === portRange(other.protocol, other.fromPort, other.toPort).join();
    if (same) return `This rule already exists: ${ruleWords(other)}.`;
    return `Overlaps an existing rule: ${ruleWords(other)}. Change or remove that one instead.`;
  }
  return undefined;
}

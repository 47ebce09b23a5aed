import { describe, expect, it } from 'vitest';
import { cidrsOverlap, parseCidr, type Cidr } from '../../../src/shared/models/cidr';
import { consoleSegments } from '../../../src/shared/models/console-output';
import { descriptionProblem, openToWorldWarning, ruleConflict, ruleWords, type FirewallRule } from '../../../src/shared/models/firewall';

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.cidr;
}

const rule = (over: Partial<FirewallRule> & { cidr?: string }): FirewallRule => ({
  ruleId: 'sgr-0123456789abcdef0',
  groupId: 'sg-0123456789abcdef0',
  protocol: 'tcp',
  fromPort: 22,
  toPort: 22,
  source: { kind: 'cidr', cidr: over.cidr ?? '203.0.113.7/32' },
  ...over,
});

describe('CIDRs as typed in the add-rule field', () => {
  it('reads addresses and ranges, a bare address as one host, in canonical text', () => {
    expect(cidr('203.0.113.7').text).toBe('203.0.113.7/32');
    expect(cidr(' 10.0.0.0/8 ').text).toBe('10.0.0.0/8');
    expect(cidr('0.0.0.0/0').prefix).toBe(0);
    expect(cidr('2001:DB8:0:0::/64').text).toBe('2001:db8::/64');
    expect(cidr('::/0').text).toBe('::/0');
    expect(cidr('2001:db8::1').text).toBe('2001:db8::1/128');
    expect(cidr('::ffff:192.0.2.1').text).toBe('::ffff:c000:201/128');
    expect(cidr('fe80:0:0:1:0:0:0:1/128').text).toBe('fe80:0:0:1::1/128');
  });

  it('refuses malformed ones with the reason, and host bits beyond the prefix with the range meant', () => {
    const problem = (text: string): string | undefined => {
      const parsed = parseCidr(text);
      return parsed.ok ? undefined : parsed.problem;
    };
    expect(problem('')).toMatch(/Type an IP address/);
    expect(problem('203.0.113')).toBe('“203.0.113” is not an IPv4 address.');
    expect(problem('256.1.1.1/32')).toMatch(/not an IPv4/);
    expect(problem('010.1.1.1')).toMatch(/not an IPv4/);
    expect(problem('10.0.0.0/33')).toBe('The part after “/” must be a number from 0 to 32.');
    expect(problem('10.0.0.0/')).toMatch(/number from 0 to 32/);
    expect(problem('2001:db8::1::2')).toMatch(/not an IPv6/);
    expect(problem('2001:db8:1:2:3:4:5:6:7')).toMatch(/not an IPv6/);
    expect(problem('2001:db8::/129')).toMatch(/0 to 128/);
    expect(problem('10.0.0.5/24')).toBe('10.0.0.5/24 has bits set beyond /24: did you mean 10.0.0.0/24?');
    expect(problem('ana-laptop')).toMatch(/not an IPv4/);
  });

  it('knows when two ranges share addresses', () => {
    expect(cidrsOverlap(cidr('10.0.0.0/8'), cidr('10.2.3.4/32'))).toBe(true);
    expect(cidrsOverlap(cidr('10.2.3.4/32'), cidr('10.0.0.0/8'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.0.0/9'), cidr('10.128.0.0/9'))).toBe(false);
    expect(cidrsOverlap(cidr('0.0.0.0/0'), cidr('::/0'))).toBe(false);
    expect(cidrsOverlap(cidr('2001:db8::/32'), cidr('2001:db8:ffff::1'))).toBe(true);
  });
});

describe('rules in words', () => {
  it('names the service, the source and the description', () => {
    expect(ruleWords(rule({ description: "Ana's laptop" }))).toBe("SSH (22) from 203.0.113.7/32 — Ana's laptop");
    expect(ruleWords(rule({ protocol: '-1', fromPort: undefined, toPort: undefined, source: { kind: 'group', groupId: 'sg-1' } }))).toBe('All traffic from instances in sg-1');
    expect(ruleWords(rule({ fromPort: 8000, toPort: 8100, cidr: '0.0.0.0/0' }))).toBe('TCP 8000–8100 from anywhere (IPv4)');
    expect(ruleWords(rule({ protocol: 'udp', fromPort: 0, toPort: 65535, cidr: '::/0' }))).toBe('All UDP ports from anywhere (IPv6)');
    expect(ruleWords(rule({ protocol: 'icmp', fromPort: -1, toPort: -1 }))).toBe('ICMP (ping and other messages) from 203.0.113.7/32');
    expect(ruleWords(rule({ fromPort: 443, toPort: 443 }))).toBe('HTTPS (443) from 203.0.113.7/32');
  });

  it('warns about the whole internet for anything but web ports', () => {
    expect(openToWorldWarning(rule({ cidr: '0.0.0.0/0' }))).toBe('SSH (22) is open to the whole internet: anyone can try to connect. Allow only the addresses that need it.');
    expect(openToWorldWarning(rule({ cidr: '::/0', fromPort: 8888, toPort: 8888 }))).toMatch(/^Jupyter \(8888\) is open/);
    expect(openToWorldWarning(rule({ cidr: '0.0.0.0/0', protocol: '-1', fromPort: undefined, toPort: undefined }))).toMatch(/^All traffic is open/);
    expect(openToWorldWarning(rule({ cidr: '0.0.0.0/0', fromPort: 80, toPort: 80 }))).toBeUndefined();
    expect(openToWorldWarning(rule({ cidr: '::/0', fromPort: 443, toPort: 443 }))).toBeUndefined();
    // A range that merely includes 443 is more than web traffic.
    expect(openToWorldWarning(rule({ cidr: '0.0.0.0/0', fromPort: 80, toPort: 443 }))).toMatch(/TCP 80–443 is open/);
    expect(openToWorldWarning(rule({ cidr: '203.0.113.0/24' }))).toBeUndefined();
  });

  it('refuses exact duplicates and overlaps for the same traffic, not for other ports or protocols', () => {
    const existing = [rule({ description: 'Ana' }), rule({ ruleId: 'sgr-2', fromPort: 8888, toPort: 8888, cidr: '10.0.0.0/16' })];
    expect(ruleConflict({ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '203.0.113.7/32' }, existing)).toBe('This rule already exists: SSH (22) from 203.0.113.7/32 — Ana.');
    expect(ruleConflict({ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '203.0.113.0/24' }, existing)).toMatch(/^Overlaps an existing rule: SSH \(22\) from 203.0.113.7\/32/);
    expect(ruleConflict({ protocol: '-1', cidr: '203.0.113.7/32' }, existing)).toMatch(/^Overlaps/);
    expect(ruleConflict({ protocol: 'tcp', fromPort: 8000, toPort: 9000, cidr: '10.0.5.5/32' }, existing)).toMatch(/Jupyter \(8888\) from 10.0.0.0\/16/);
    expect(ruleConflict({ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '198.51.100.4/32' }, existing)).toBeUndefined();
    expect(ruleConflict({ protocol: 'udp', fromPort: 22, toPort: 22, cidr: '203.0.113.7/32' }, existing)).toBeUndefined();
    expect(ruleConflict({ protocol: 'tcp', fromPort: 23, toPort: 80, cidr: '203.0.113.7/32' }, existing)).toBeUndefined();
    expect(ruleConflict({ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '203.0.113.7/33' }, existing)).toMatch(/number from 0 to 32/);
  });

  it('checks descriptions against the characters EC2 allows', () => {
    expect(descriptionProblem('Ana laptop (home) #2')).toBeUndefined();
    expect(descriptionProblem("Ana's laptop")).toMatch(/does not allow “'”/);
    expect(descriptionProblem('Zoë')).toMatch(/“ë”/);
    expect(descriptionProblem('x'.repeat(256))).toBe('At most 255 characters.');
  });
});

describe('console text', () => {
  it('sets the host key fingerprint block apart, markers included', () => {
    const text = ['boot', 'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----', 'ec2: 256 SHA256:abc root@h (ED25519)', 'ec2: -----END SSH HOST KEY FINGERPRINTS-----', 'login:'].join('\n');
    expect(consoleSegments(text)).toEqual([
      { text: 'boot', fingerprints: false },
      { text: text.split('\n').slice(1, 4).join('\n'), fingerprints: true },
      { text: 'login:', fingerprints: false },
    ]);
    expect(consoleSegments('no keys here')).toEqual([{ text: 'no keys here', fingerprints: false }]);
    // Cut off before the END line: the rest is still the block.
    expect(consoleSegments('a\n-----BEGIN SSH HOST KEY FINGERPRINTS-----\n256 SHA256:x').map((s) => s.fingerprints)).toEqual([false, true]);
  });
});

/** An address range as EC2 security groups take it: IPv4 or IPv6, network address and prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  /** The network address as a number (128 bits for IPv6). */
  readonly network: bigint;
  readonly prefix: number;
  /** Canonical text, e.g. "203.0.113.7/32", "2001:db8::/32". */
  readonly text: string;
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; problem: string };

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // No leading zeros: "010" is octal to some tools and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] | undefined => {
    if (half === undefined || half === '') return [];
    const list = half.split(':');
    // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
    const last = list[list.length - 1] ?? '';
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      list.splice(list.length - 1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
    }
    return list.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? list : undefined;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
function ipv6Text(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, k) => Number((value >> BigInt(112 - 16 * k)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && groups[end] === 0) end++;
    if (end - k > best.length && end - k >= 2) best = { start: k, length: end - k };
    k = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);
const hostMask = (family: 4 | 6, prefix: number): bigint => (1n << BigInt(bitsOf(family) - prefix)) - 1n;

/**
 * Reads what a user typed as a rule's source. A bare address means that one address (/32 or /128). Host bits
 * set under the prefix ("10.0.0.5/24") are refused with the range it probably meant, rather than widened quietly.
 */
export function parseCidr(input: string): CidrParse {
  const raw = input.trim();
  if (raw === '') return { ok: false, problem: 'Type an IP address or a range such as 203.0.113.7/32.' };
  const slash = raw.indexOf('/');
  const address = slash === -1 ? raw : raw.slice(0, slash);
  const prefixText = slash === -1 ? undefined : raw.slice(slash + 1);
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (value === undefined) {
    return { ok: false, problem: `“${address}” is not an IP${family === 6 ? 'v6' : 'v4'} address.` };
  }
  const bits = bitsOf(family);
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return { ok: false, problem: `The part after “/” must be a number from 0 to ${bits}.` };
    }
    prefix = Number(prefixText);
  }
  const network = value & ~hostMask(family, prefix) & ((1n << BigInt(bits)) - 1n);
  const text = `${family === 4 ? ipv4Text(network) : ipv6Text(network)}/${prefix}`;
  if (network !== value) return { ok: false, problem: `${raw} has bits set beyond /${prefix}: did you mean ${text}?` };
  return { ok: true, cidr: { family, network, prefix, text } };
}

/** True when the two ranges share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const shorter = Math.min(a.prefix, b.prefix);
  const mask = ~hostMask(a.family, shorter);
  return (a.network & mask) === (b.network & mask);
}

/** Everyone: 0.0.0.0/0 or ::/0. */
export function isEveryone(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

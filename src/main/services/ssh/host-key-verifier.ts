import { createHash } from 'node:crypto';

export interface HostKeyFacts {
  /** The SSH algorithm name from the key blob, e.g. "ssh-ed25519". */
  readonly keyType: string;
  /** OpenSSH style: "SHA256:" + unpadded base64 of the blob's SHA-256. */
  readonly fingerprintSha256: string;
}

/** Facts of a host key as ssh2 hands it to `hostVerifier` (the raw public key blob). */
export function hostKeyFacts(blob: Buffer): HostKeyFacts {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const keyType = length > 0 && length + 4 <= blob.length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
  const fingerprintSha256 = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { keyType, fingerprintSha256 };
}

export interface ConsoleFingerprint {
  readonly fingerprintSha256: string;
  /** cloud-init's label: "ED25519", "ECDSA", "RSA", "DSA". */
  readonly label: string;
}

const BEGIN = '-----BEGIN SSH HOST KEY FINGERPRINTS-----';
const END = '-----END SSH HOST KEY FINGERPRINTS-----';

/**
 * The fingerprints cloud-init printed to the serial console (`256 SHA256:xxxx root@host (ED25519)`), or
 * undefined when the block is absent (not booted yet, not cloud-init, or the output was rotated away).
 * Console lines may carry a prefix such as "ec2: " or "[   12.3] cloud-init[712]: ".
 */
export function consoleFingerprints(consoleText: string): ConsoleFingerprint[] | undefined {
  const start = consoleText.lastIndexOf(BEGIN);
  if (start === -1) return undefined;
  const end = consoleText.indexOf(END, start);
  const block = consoleText.slice(start + BEGIN.length, end === -1 ? undefined : end);
  const found: ConsoleFingerprint[] = [];
  for (const line of block.split(/\r?\n/)) {
    const m = /\b\d+\s+(SHA256:[A-Za-z0-9+/]+)=*\s+.*\(([A-Z0-9-]+)\)\s*$/.exec(line);
    if (m?.[1] && m[2]) found.push({ fingerprintSha256: m[1], label: m[2] });
  }
  return found;
}

/** cloud-init's label for an SSH key algorithm. */
export function consoleLabelOf(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa' || keyType.startsWith('rsa-')) return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType.toUpperCase();
}

export type ConsoleVerdict = 'match' | 'mismatch' | 'absent';

/** Whether the console output vouches for the key: it must list this exact fingerprint. */
export function judgeByConsole(facts: HostKeyFacts, consoleText: string | undefined): ConsoleVerdict {
  const listed = consoleText === undefined ? undefined : consoleFingerprints(consoleText);
  if (listed === undefined || listed.length === 0) return 'absent';
  return listed.some((f) => f.fingerprintSha256 === facts.fingerprintSha256) ? 'match' : 'mismatch';
}

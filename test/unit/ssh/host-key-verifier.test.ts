import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleFingerprints, hostKeyFacts, judgeByConsole } from '../../../src/main/services/ssh/host-key-verifier';
import { requireBinary } from '../../support/system-deps';

/** A real ed25519 host key from ssh-keygen, its blob and OpenSSH's own fingerprint of it. */
function realKey(): { blob: Buffer; fingerprint: string } {
  const keygen = requireBinary('ssh-keygen', 'openssh-client');
  const dir = mkdtempSync(join(tmpdir(), 'hangar-hostkey-'));
  const path = join(dir, 'host');
  execFileSync(keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', path]);
  const pub = readFileSync(`${path}.pub`, 'utf8').split(' ');
  const fingerprint = execFileSync(keygen, ['-l', '-E', 'sha256', '-f', `${path}.pub`]).toString().split(' ')[1] ?? '';
  return { blob: Buffer.from(pub[1] ?? '', 'base64'), fingerprint };
}

describe('host key verification', () => {
  const key = realKey();

  it('fingerprints a key blob exactly as OpenSSH does', () => {
    expect(hostKeyFacts(key.blob)).toEqual({ keyType: 'ssh-ed25519', fingerprintSha256: key.fingerprint });
  });

  const consoleWith = (fingerprint: string): string =>
    [
      '[   10.123456] cloud-init[701]: Cloud-init v. 24.1 running',
      'ec2: #############################################################',
      'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
      'ec2: 256 SHA256:pQd9jVn0tW1s3x0Y2v3mM2uF0Xb4Xy6a0u1U1k9ZQ8E root@ip-172-31-5-9 (ECDSA)',
      `ec2: 256 ${fingerprint} root@ip-172-31-5-9 (ED25519)`,
      'ec2: 3072 SHA256:0Jr2m4kq7d1Vt6E2tq0W2mFq3y4T7yQ9W3b3pQb1uS0 root@ip-172-31-5-9 (RSA)',
      'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
      'ec2: #############################################################',
    ].join('\r\n');

  it('reads cloud-init fingerprints from console output with line prefixes', () => {
    const listed = consoleFingerprints(consoleWith(key.fingerprint));
    expect(listed?.map((f) => f.label)).toEqual(['ECDSA', 'ED25519', 'RSA']);
    expect(listed?.[1]?.fingerprintSha256).toBe(key.fingerprint);
  });

  it('matches, contradicts, or has nothing to say', () => {
    const facts = hostKeyFacts(key.blob);
    expect(judgeByConsole(facts, consoleWith(key.fingerprint))).toBe('match');
    expect(judgeByConsole(facts, consoleWith('SHA256:someoneElsesKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))).toBe('mismatch');
    expect(judgeByConsole(facts, 'Booting Linux…\nlogin:')).toBe('absent');
    expect(judgeByConsole(facts, undefined)).toBe('absent');
  });
});

import { createHash, type KeyObject } from 'node:crypto';

/** OpenSSH's form, as `ssh-keygen -l` prints it: "SHA256:" + unpadded base64 of SHA-256(public key blob). */
export function sha256Fingerprint(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The fingerprint the EC2 console / DescribeKeyPairs shows for a key pair, where it can be known from the
 * private key alone:
 * - ssh-rsa: SHA-1 of the private key as DER PKCS#8, hex with colons — what AWS shows for key pairs AWS
 *   CREATED (the .pem downloaded from the console, by far the common case). For RSA keys the user
 *   IMPORTED into AWS, AWS shows MD5 of the public key's DER SubjectPublicKeyInfo instead; that one is
 *   not stored (the record has one field), so such keys are matched by name.
 * - ssh-ed25519: base64 (padded) of SHA-256 of the public key blob, for created and imported pairs alike.
 * - ECDSA: EC2 has no ECDSA key pairs, so undefined.
 */
export function awsFingerprint(type: string, publicBlob: Buffer, privateKey: KeyObject | undefined): string | undefined {
  if (type === 'ssh-ed25519') return createHash('sha256').update(publicBlob).digest('base64');
  if (type === 'ssh-rsa' && privateKey) {
    return colonHex(createHash('sha1').update(privateKey.export({ type: 'pkcs8', format: 'der' })).digest());
  }
  return undefined;
}

/** Compares fingerprints written in different styles: "SHA256:" prefix, base64 padding, hex case. */
export function normalizeFingerprint(value: string): string {
  const trimmed = value.trim().replace(/^(SHA256|MD5):/i, '');
  if (/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(trimmed)) return trimmed.toLowerCase();
  return trimmed.replace(/=+$/, '');
}

function colonHex(bytes: Buffer): string {
  return (bytes.toString('hex').match(/../g) ?? []).join(':');
}

import { generateKeyPairSync } from 'node:crypto';
import { publicBlobOf, toOpenSshPrivateKey, type KeyParts } from '../ssh/keys/key-parts';

/** A key made for one connection: never stored, never logged, pushed with SendSSHPublicKey (valid 60 s). */
export interface OneMinuteKey {
  /** OpenSSH private key text, as ssh2 takes it. */
  readonly privateKey: string;
  /** `ssh-ed25519 AAAA…` — what SendSSHPublicKey installs. */
  readonly publicKey: string;
}

/** A fresh in-memory ED25519 key (EC2 Instance Connect accepts ED25519 and RSA ≥ 2048). */
export function makeOneMinuteKey(): OneMinuteKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const parts: KeyParts = { kind: 'ed25519', publicKey: Buffer.from(jwk.x ?? '', 'base64url'), seed: Buffer.from(jwk.d ?? '', 'base64url') };
  return {
    privateKey: toOpenSshPrivateKey(parts, 'hangar-instance-connect'),
    publicKey: `ssh-ed25519 ${publicBlobOf(parts).toString('base64')}`,
  };
}

import type { KeysService } from '../../src/main/services/ssh/keys-service';
import type { SshKeySummary } from '../../src/shared/models/ssh';

/** The part of the key store the connection manager uses. */
export type StubKeyStore = Pick<KeysService, 'material' | 'findForKeyPair' | 'list'>;

/**
 * A key store that holds one key, for suites and benchmarks where keys are not what is under test (the
 * real one needs a keychain): it hands out `privateKey` for the EC2 key pair `keyPair`, or for any key
 * pair when `keyPair` is left out.
 */
export function stubKeyStore(privateKey: string, keyPair?: string): StubKeyStore {
  const summary: SshKeySummary = {
    id: 'key-1',
    name: keyPair ?? 'stub',
    type: 'ssh-ed25519',
    fingerprintSha256: 'SHA256:test',
    format: 'openssh',
    encrypted: false,
    passphraseRemembered: false,
    addedAt: new Date().toISOString(),
  };
  return {
    list: async () => [summary],
    material: async () => ({ privateKey }),
    findForKeyPair: async (name) => (keyPair === undefined || name === keyPair ? summary : undefined),
  };
}

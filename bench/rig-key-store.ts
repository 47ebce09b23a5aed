import type { KeysService } from '../src/main/services/ssh/keys-service';
import type { SshKeySummary } from '../src/shared/models/ssh';

/**
 * The benchmarks' key store: it hands out the sshd rig's user key for any key pair. The key store is not
 * what a benchmark measures, and the real one needs a keychain.
 */
export function rigKeyStore(privateKey: string): Pick<KeysService, 'material' | 'findForKeyPair' | 'list'> {
  const summary: SshKeySummary = {
    id: 'bench-key',
    name: 'bench',
    type: 'ssh-ed25519',
    fingerprintSha256: 'SHA256:bench',
    format: 'openssh',
    encrypted: false,
    passphraseRemembered: false,
    addedAt: new Date().toISOString(),
  };
  return {
    list: async () => [summary],
    material: async () => ({ privateKey }),
    findForKeyPair: async () => summary,
  };
}

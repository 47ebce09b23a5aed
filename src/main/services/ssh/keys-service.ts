import type { ImportKeyInput, SshKeySummary } from '../../../shared/models/ssh';

/** keys.import as main runs it: the file's grant already resolved to its path. */
export type ImportKeyFileInput = Omit<ImportKeyInput, 'grant'> & { readonly path: string };

/** Key material as ssh2 takes it. Lives only in main-process memory, never crosses IPC or reaches a log. */
export interface KeyMaterial {
  readonly privateKey: string;
  readonly passphrase?: string;
}

/**
 * Private keys: facts in settings (`sshKeys`), material and remembered passphrases in the keychain.
 * Implemented in create-keys-service.ts.
 */
export interface KeysService {
  list(): Promise<SshKeySummary[]>;
  /** Reads a key file main was given (the handler resolved the renderer's grant to its path). */
  import(input: ImportKeyFileInput): Promise<SshKeySummary>;
  /** Stores a private key handed over in memory (never written to disk), e.g. from EC2 CreateKeyPair. */
  importMaterial(input: { name: string; privateKey: string }): Promise<SshKeySummary>;
  rename(keyId: string, name: string): Promise<SshKeySummary>;
  remove(keyId: string): Promise<void>;
  /** Supplies the passphrase of an encrypted key (checked), for this run or remembered in the keychain. */
  unlock(keyId: string, passphrase: string, remember: boolean): Promise<SshKeySummary>;
  /** Throws SSH_KEY_PASSPHRASE_NEEDED for an encrypted key whose passphrase is not remembered. */
  material(keyId: string): Promise<KeyMaterial>;
  /** The stored key for an EC2 key pair: by AWS fingerprint when known, else by name. */
  findForKeyPair(keyName: string, awsFingerprint?: string): Promise<SshKeySummary | undefined>;
}

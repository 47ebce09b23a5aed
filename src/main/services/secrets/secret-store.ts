import { HangarError } from '../../../shared/errors/hangar-error';

/**
 * Where Hangar keeps key material (AWS secret keys, session tokens, SSH private keys, passphrases).
 * Keys follow the scheme in secret-keys.ts. Listing returns keys only, so nothing that merely wants to
 * know what is stored ever holds the values.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  keys(): Promise<string[]>;
}

export const MAX_SECRET_KEY_LENGTH = 200;

/** Shared by every implementation, so a fake in a unit test refuses exactly what the keychain would. */
export function assertValidSecretKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'A secret needs a non-empty name.' });
  }
  if (key.length > MAX_SECRET_KEY_LENGTH) {
    throw new HangarError({
      code: 'INVALID_ARGUMENT',
      message: `A secret name may be at most ${MAX_SECRET_KEY_LENGTH} characters (got ${key.length}).`,
    });
  }
}

export function assertValidSecretValue(value: unknown): asserts value is string {
  // The value itself must never appear in the message.
  if (typeof value !== 'string') {
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'A secret value must be text.' });
  }
}

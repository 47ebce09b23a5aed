import { assertValidSecretKey, assertValidSecretValue, type SecretStore } from '../../src/main/services/secrets/secret-store';

/**
 * An in-process SecretStore for tests, benchmarks and the screenshot script (nothing is written to the
 * real keychain); validates keys and values like the real one.
 */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(initial)) {
    assertValidSecretKey(key);
    assertValidSecretValue(value);
    values.set(key, value);
  }
  return {
    get: async (key) => {
      assertValidSecretKey(key);
      return values.get(key);
    },
    set: async (key, value) => {
      assertValidSecretKey(key);
      assertValidSecretValue(value);
      values.set(key, value);
    },
    delete: async (key) => {
      assertValidSecretKey(key);
      return values.delete(key);
    },
    keys: async () => [...values.keys()].sort(),
  };
}

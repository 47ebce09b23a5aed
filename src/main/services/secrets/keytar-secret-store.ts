import { HangarError } from '../../../shared/errors/hangar-error';
import { keychainName } from './keychain-name';
import { assertValidSecretKey, assertValidSecretValue, type SecretStore } from './secret-store';

/** The part of keytar we use; tests and odd platforms can hand in their own. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeytarSecretStoreOptions {
  /** keytar's "service" (the Secret Service attribute / Keychain item service). */
  service?: string;
  loadKeytar?: () => Promise<KeytarLike>;
  /** Which OS to name in messages; the real one unless a test says otherwise. */
  platform?: NodeJS.Platform;
}

type Operation = 'read' | 'save' | 'delete' | 'list';

/**
 * SecretStore on the OS keychain through keytar (libsecret / Keychain / Credential Manager).
 * keytar is loaded on first use, not at import: a missing or broken native module, or no keychain at
 * all, must cost the user their secrets screen, not the whole app.
 */
export function createKeytarSecretStore(options: KeytarSecretStoreOptions = {}): SecretStore {
  const service = options.service ?? 'Hangar';
  const load = options.loadKeytar ?? loadNativeKeytar;
  const platform = options.platform ?? process.platform;
  let loading: Promise<KeytarLike> | undefined;

  const keytar = (): Promise<KeytarLike> => {
    // Forget a failed load so that installing/starting the keychain and retrying works without a restart.
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  const attempt = async <T>(operation: Operation, action: (api: KeytarLike) => Promise<T>, secret?: string): Promise<T> => {
    try {
      return await action(await keytar());
    } catch (error) {
      throw keychainUnavailable(operation, error, platform, secret);
    }
  };

  return {
    get: async (key) => {
      assertValidSecretKey(key);
      const value = await attempt('read', (api) => api.getPassword(service, key));
      return value ?? undefined;
    },
    set: async (key, value) => {
      assertValidSecretKey(key);
      assertValidSecretValue(value);
      await attempt('save', (api) => api.setPassword(service, key, value), value);
    },
    delete: async (key) => {
      assertValidSecretKey(key);
      return attempt('delete', (api) => api.deletePassword(service, key));
    },
    keys: async () => {
      // keytar can only list accounts together with their passwords; drop the values on the spot.
      const credentials = await attempt('list', (api) => api.findCredentials(service));
      return [...new Set(credentials.map((credential) => credential.account))].sort();
    },
  };
}

async function loadNativeKeytar(): Promise<KeytarLike> {
  // keytar is CommonJS: under Node's ESM loader its exports arrive as `default`.
  const loaded = (await import('keytar')) as unknown as { default?: unknown };
  const candidate = loaded.default ?? loaded;
  if (!isKeytarLike(candidate)) throw new Error('the keytar module does not export the expected functions');
  return candidate;
}

function isKeytarLike(value: unknown): value is KeytarLike {
  if (typeof value !== 'object' || value === null) return false;
  const api = value as Record<string, unknown>;
  return ['getPassword', 'setPassword', 'deletePassword', 'findCredentials'].every((name) => typeof api[name] === 'function');
}

const VERBS: Record<Operation, string> = { read: 'read', save: 'save', delete: 'delete', list: 'list' };

function keychainUnavailable(operation: Operation, error: unknown, platform: NodeJS.Platform, secret: string | undefined): HangarError {
  const reason = redact(error instanceof Error ? error.message : String(error), secret);
  const name = keychainName(platform);
  const cause = new Error(reason);
  // Keep the original type for logs, but not the original object: its message could carry the value.
  cause.name = error instanceof Error ? error.name : 'Error';
  return new HangarError({
    code: 'KEYCHAIN_UNAVAILABLE',
    message: `Hangar could not ${VERBS[operation]} a secret in the ${name}${reason ? `: ${reason}` : '.'}`,
    hint: hintFor(platform),
    retryable: true,
    details: { operation, keychain: name },
    cause,
  });
}

function hintFor(platform: NodeJS.Platform): string {
  if (platform === 'darwin') {
    return 'Unlock your login keychain (Keychain Access) and allow Hangar to use it when macOS asks, then try again.';
  }
  if (platform === 'win32') {
    return 'Check that Windows Credential Manager is available for your account (some managed machines disable it), then try again.';
  }
  return (
    'Start a Secret Service such as gnome-keyring (or KWallet / KeePassXC with Secret Service enabled) and unlock it, then try again. ' +
    'Without a desktop session, run Hangar inside `dbus-run-session` with `gnome-keyring-daemon --unlock` started.'
  );
}

function redact(text: string, secret: string | undefined): string {
  const trimmed = text.trim().replace(/\.$/, '');
  if (!secret) return trimmed;
  return trimmed.split(secret).join('[redacted]');
}

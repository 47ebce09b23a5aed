import { HangarError } from '../../shared/errors/hangar-error';
import type { Loadable } from './use-app-status';
import type { KeychainStatus } from '../../shared/models/app-info';

/** The keychain's problem as an error to show, or undefined while it is fine or still being asked. */
export function keychainProblem(keychain: Loadable<KeychainStatus>): HangarError | undefined {
  if (keychain.state === 'failed') return keychain.error;
  if (keychain.state === 'ready' && !keychain.value.available) {
    return keychain.value.error
      ? HangarError.fromJSON(keychain.value.error)
      : new HangarError({ code: 'KEYCHAIN_UNAVAILABLE', message: `${keychain.value.backend} is not available.`, retryable: true });
  }
  return undefined;
}

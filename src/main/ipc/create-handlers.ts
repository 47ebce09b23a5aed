import { HangarError, isHangarError } from '../../shared/errors/hangar-error';
import type { Api, Events } from '../../shared/ipc/contract';
import type { Handlers } from '../../shared/ipc/rpc-types';
import type { AppServices } from '../services/app-services';
import { checkExternalUrl } from '../services/app/external-url';

/** Maps the contract onto the services. Signatures are checked against `Api` by `Handlers<Api, Events>`. */
export function createHandlers(services: AppServices): Handlers<Api, Events> {
  return {
    app: {
      info: async () => services.info,
      openExternal: async (_ctx, url) => services.openExternal(checkExternalUrl(url)),
    },
    settings: {
      get: async () => services.settings.get(),
      update: async (_ctx, patch) => services.settings.update(patch),
    },
    secrets: {
      status: async () => {
        try {
          await services.secrets.keys();
          return { available: true, backend: keychainName(services.info.platform) };
        } catch (error) {
          const wrapped = isHangarError(error)
            ? error
            : new HangarError({ code: 'KEYCHAIN_UNAVAILABLE', message: 'The system keychain did not answer.', cause: error });
          return { available: false, backend: keychainName(services.info.platform), error: wrapped.toJSON() };
        }
      },
    },
    ec2: {
      listRegions: async (ctx) => services.ec2.listRegions(ctx.signal),
      listInstances: async (ctx, region) => services.ec2.listInstances(region, ctx.signal),
    },
  };
}

function keychainName(platform: string): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring / KWallet)';
}

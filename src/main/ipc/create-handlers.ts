import { HangarError, isHangarError } from '../../shared/errors/hangar-error';
import type { Api, Events } from '../../shared/ipc/contract';
import type { Handlers } from '../../shared/ipc/rpc-types';
import type { AppServices } from '../services/app-services';
import { checkExternalUrl } from '../services/app/external-url';
import { keychainName } from '../services/secrets/keychain-name';

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
    accounts: {
      list: async () => services.accounts.list(),
      add: async (ctx, input) => services.accounts.add(input, ctx.signal),
      listProfiles: async () => services.accounts.listProfiles(),
      importProfile: async (ctx, input) => services.accounts.importProfile(input, ctx.signal),
      remove: async (_ctx, accountId) => services.accounts.remove(accountId),
      setActive: async (_ctx, accountId) => services.accounts.setActive(accountId),
      setDefaultRegion: async (_ctx, accountId, region) => services.accounts.setDefaultRegion(accountId, region),
      verify: async (ctx, accountId) => services.accounts.verify(accountId, ctx.signal),
    },
    ec2: {
      listRegions: async (ctx, accountId) => services.ec2.listRegions(accountId, ctx.signal),
      listInstances: async (ctx, accountId, region) => services.ec2.listInstances(accountId, region, ctx.signal),
      scanAllRegions: async (ctx, accountId) => {
        let done = 0;
        return services.ec2.scanAllRegions(accountId, {
          scanId: ctx.requestId,
          signal: ctx.signal,
          onRegionsKnown: (total) => ctx.progress({ done: 0, total, unit: 'regions' }),
          onRegion: (result, total) => {
            done += 1;
            // To the asking window only: another window's scan is not this one's business.
            ctx.emit('ec2.regionScanned', result);
            ctx.progress({ done, total, unit: 'regions', label: result.region });
          },
        });
      },
      instanceTypes: async (ctx, accountId, region, types) => services.ec2.instanceTypes(accountId, region, types, ctx.signal),
      terminationProtection: async (ctx, accountId, region, ids) => services.ec2.terminationProtection(accountId, region, ids, ctx.signal),
      act: async (ctx, input) => services.ec2.act(input, ctx.signal),
    },
  };
}


import { HangarError } from '../../../shared/errors/hangar-error';
import type { ConnectionManagerDeps, ConnectionTarget } from './create-connection-manager';
import type { KeysService } from './keys-service';
import type { Route } from './route-socket';
import { systemProxyFor } from './system-proxy';

/**
 * What a route needs beyond the settings: the system's proxy for the first hop (looked up per connection),
 * the proxy's password from the keychain, and the jump host's key material.
 */
export function createRouteMaterial(deps: Pick<ConnectionManagerDeps, 'resolveProxy' | 'proxyPassword'> & { keys: Pick<KeysService, 'material'> }): (target: ConnectionTarget) => Promise<Route> {
  const { keys } = deps;
  return async function routeMaterial(target) {
    const { jump } = target.route;
    const firstHop = jump === undefined ? { host: target.host, port: target.port } : jump.spec;
    const proxy = target.route.systemProxy === true ? await systemProxyFor(firstHop.host, firstHop.port, deps.resolveProxy) : target.route.proxy;
    const password = proxy?.username === undefined ? undefined : await deps.proxyPassword?.(target.input.instanceId);
    const proxyRoute = proxy === undefined ? undefined : { ...proxy, ...(password === undefined ? {} : { password }) };
    if (jump === undefined) return proxyRoute === undefined ? {} : { proxy: proxyRoute };
    const keyId = jump.keyId ?? (target.keyId === '' ? undefined : target.keyId);
    if (keyId === undefined) {
      throw new HangarError({
        code: 'SSH_KEY_MISSING',
        message: `No key is chosen for the jump host ${jump.spec.user}@${jump.spec.host}.`,
        hint: 'Choose the key the bastion accepts as "Jump host key" in the connection settings.',
      });
    }
    const material = await keys.material(keyId);
    return {
      ...(proxyRoute === undefined ? {} : { proxy: proxyRoute }),
      jump: {
        spec: jump.spec,
        privateKey: material.privateKey,
        ...(material.passphrase === undefined ? {} : { passphrase: material.passphrase }),
        fingerprintSha256: jump.fingerprintSha256,
      },
    };
  };
}

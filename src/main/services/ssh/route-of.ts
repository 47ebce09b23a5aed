import type { InstanceConnection } from '../../../shared/models/settings';
import { parseJumpHost, parseProxyUrl, SYSTEM_PROXY } from '../../../shared/models/ssh-route';
import type { TargetRoute } from './create-connection-manager';

/** The route stored in an instance's connection settings; values that no longer parse are ignored (validated on the way in). */
export function routeOf(stored: InstanceConnection): TargetRoute {
  const systemProxy = stored.proxy === SYSTEM_PROXY;
  const proxy = stored.proxy === undefined || systemProxy ? undefined : parseProxyUrl(stored.proxy);
  const spec = stored.jumpHost === undefined ? undefined : parseJumpHost(stored.jumpHost);
  const jump =
    spec === undefined || stored.jumpHostKey === undefined
      ? undefined
      : { spec, fingerprintSha256: stored.jumpHostKey, ...(stored.jumpKeyId === undefined ? {} : { keyId: stored.jumpKeyId }) };
  return { ...(proxy === undefined ? {} : { proxy }), ...(systemProxy ? { systemProxy } : {}), ...(jump === undefined ? {} : { jump }) };
}

import { Client } from 'ssh2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { HostKeyProbe } from '../../../shared/models/ssh';
import { parseProxyUrl } from '../../../shared/models/ssh-route';
import type { SecretStore } from '../secrets/secret-store';
import { sshProxyPassword } from '../secrets/secret-keys';
import { hostKeyFacts } from './host-key-verifier';
import { openRoute } from './route-socket';

export interface RouteService {
  /**
   * Connects to host:port (through the proxy when given) only far enough to read its host key, then hangs
   * up without signing in: what the connection settings show for a jump host before it is trusted.
   */
  probeHostKey(host: string, port: number, proxyUrl: string | undefined, instanceId: string | undefined): Promise<HostKeyProbe>;
  /** Keeps (or with null, forgets) the password of the proxy an instance is reached through, in the keychain. */
  setProxyPassword(instanceId: string, password: string | null): Promise<void>;
  hasProxyPassword(instanceId: string): Promise<boolean>;
  proxyPassword(instanceId: string): Promise<string | undefined>;
}

const PROBE_TIMEOUT_MS = 10_000;

export function createRouteService(deps: { secrets: SecretStore }): RouteService {
  const { secrets } = deps;

  async function proxyPassword(instanceId: string): Promise<string | undefined> {
    return secrets.get(sshProxyPassword(instanceId));
  }

  return {
    proxyPassword,
    async hasProxyPassword(instanceId) {
      return (await proxyPassword(instanceId)) !== undefined;
    },
    async setProxyPassword(instanceId, password) {
      if (password === null || password === '') await secrets.delete(sshProxyPassword(instanceId));
      else await secrets.set(sshProxyPassword(instanceId), password);
    },
    async probeHostKey(host, port, proxyUrl, instanceId) {
      const proxy = proxyUrl === undefined ? undefined : parseProxyUrl(proxyUrl);
      if (proxyUrl !== undefined && proxy === undefined) {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'That proxy address is not valid.', hint: 'Write it as socks5://host:port or http://host:port.' });
      }
      const password = proxy?.username !== undefined && instanceId !== undefined ? await proxyPassword(instanceId) : undefined;
      const sock =
        proxy === undefined
          ? undefined
          : (await openRoute({ proxy: { ...proxy, ...(password === undefined ? {} : { password }) } }, host, port, { readyTimeoutMs: PROBE_TIMEOUT_MS, keepaliveIntervalMs: 0 })).sock;
      return new Promise<HostKeyProbe>((resolve, reject) => {
        const client = new Client();
        let probe: HostKeyProbe | undefined;
        client.on('error', (error: Error & { code?: string }) => {
          if (probe !== undefined) resolve(probe);
          else {
            reject(
              new HangarError({
                code: 'SSH_JUMP_UNREACHABLE',
                message: `${host}:${port} did not answer as an SSH server (${error.code ?? error.message}).`,
                hint: 'Check the address and port, and that your IP may reach it.',
                retryable: true,
              }),
            );
          }
        });
        client.on('close', () => {
          if (probe !== undefined) resolve(probe);
        });
        client.connect({
          host,
          port,
          ...(sock === undefined ? {} : { sock }),
          username: 'hangar-host-key-probe',
          readyTimeout: PROBE_TIMEOUT_MS,
          // Refusing the key ends the handshake before any authentication is attempted.
          hostVerifier: (key: Buffer) => {
            probe = hostKeyFacts(key);
            return false;
          },
        });
      });
    },
  };
}

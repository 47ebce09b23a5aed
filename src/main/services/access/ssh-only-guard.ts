import { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { WaysIn } from '../../../shared/models/ways-in';
import type { ConnectionManager } from '../ssh/create-connection-manager';

/**
 * For the features that need SSH itself (the file browser, transfers): when an instance's ways in say SSH
 * cannot reach it but Session Manager can, they fail at once with why and what to do, instead of waiting
 * for an SSH timeout. Session Manager carries shells and tunnels in Hangar, not SFTP.
 */
export function sshOnlyGuard(
  connections: ConnectionManager,
  ways: { one(instance: Omit<InstanceRef, 'acceptHostKey'>, signal?: AbortSignal): Promise<WaysIn> },
  what: string,
): ConnectionManager {
  return {
    ...connections,
    async acquire(ref, signal) {
      const known = await ways.one({ accountId: ref.accountId, region: ref.region, instanceId: ref.instanceId }, signal).catch(() => undefined);
      const ssm = known?.ways.find((w) => w.way === 'session-manager');
      if (known !== undefined && !known.sshReachable && ssm?.available === true) {
        const why = known.ways.find((w) => w.way === 'ssh-key')?.detail ?? 'SSH cannot reach it';
        throw new HangarError({
          code: 'SSH_ONLY_SESSION_MANAGER',
          message: `${what} need SSH, and this instance is reachable only through Session Manager (${why}).`,
          hint: 'Open port 22 to your IP in its security group (Console and network → Firewall) or import its key. Meanwhile a Session Manager terminal and Jupyter / port tunnels work.',
          details: { instanceId: ref.instanceId },
        });
      }
      return connections.acquire(ref, signal);
    },
  };
}

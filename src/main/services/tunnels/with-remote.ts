import type { InstanceRef } from '../../../shared/models/transfers';
import type { WaysIn } from '../../../shared/models/ways-in';
import type { SsmSessionApi } from '../keyless/ssm/ssm-session-api';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { sshRemoteHost, type RemoteHost } from './remote-host';
import { ssmRemoteHost } from './ssm-remote-host';
import { lostWhileLooking, withConnection } from './with-connection';

export interface RemoteChoiceDeps {
  connections: Pick<ConnectionManager, 'acquire'>;
  /** The instance's ways in (issue 15); without it (or Session Manager) everything goes over SSH. */
  ways?: { one(instance: Omit<InstanceRef, 'acceptHostKey'>, signal?: AbortSignal): Promise<WaysIn> } | undefined;
  ssm?: SsmSessionApi | undefined;
}

/**
 * SSH when it can reach the instance; Session Manager when it cannot (port 22 closed, no address, no key
 * and no Instance Connect) and the instance's agent is online. Anything else stays SSH, whose own error
 * then says what is wrong.
 */
export async function chooseVia(deps: RemoteChoiceDeps, ref: InstanceRef, signal?: AbortSignal): Promise<'ssh' | 'session-manager'> {
  if (deps.ways === undefined || deps.ssm === undefined) return 'ssh';
  const ways = await deps.ways.one({ accountId: ref.accountId, region: ref.region, instanceId: ref.instanceId }, signal).catch(() => undefined);
  if (ways === undefined || ways.sshReachable) return 'ssh';
  return ways.ways.some((w) => w.way === 'session-manager' && w.available) ? 'session-manager' : 'ssh';
}

/** Runs `fn` against the instance over the way chosen for it. */
export async function withRemote<T>(
  deps: RemoteChoiceDeps,
  ref: InstanceRef,
  title: string,
  signal: AbortSignal | undefined,
  fn: (host: RemoteHost) => Promise<T>,
): Promise<T> {
  const via = await chooseVia(deps, ref, signal);
  if (via === 'ssh' || deps.ssm === undefined) return withConnection(deps.connections, ref, signal, (connection) => fn(sshRemoteHost(connection)));
  try {
    return await fn(ssmRemoteHost(deps.ssm, { accountId: ref.accountId, region: ref.region, instanceId: ref.instanceId, title }));
  } catch (error) {
    throw lostWhileLooking(error, 'session-manager');
  }
}

import { sleep } from '../common/sleep';
import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { describeFailure } from './describe-failure';
import { JobStopError } from './job-context';
import { refOf, type Job } from './transfer-job';

/** Waits before each reconnect attempt after a dropped link: 1 s, 2 s, 4 s … about 2 minutes in all. */
export const DEFAULT_RECONNECT_DELAYS: readonly number[] = [1000, 2000, 4000, 8000, 15_000, 30_000, 30_000, 30_000];

export interface ReconnectDeps {
  connections: ConnectionManager;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  logger: Logger;
  delaysMs: readonly number[];
}

type Lease = Awaited<ReturnType<ConnectionManager['acquire']>>;

/**
 * After a dropped link: acquire again with backoff; then ask EC2 whether the instance stopped. Throws a
 * JobStopError when giving up, so the job fails instead of starting the backoff all over again.
 */
export async function reconnect(job: Job, signal: AbortSignal, deps: ReconnectDeps): Promise<Lease> {
  let lastError: unknown;
  for (const delay of deps.delaysMs) {
    await sleep(delay, signal);
    try {
      return await deps.connections.acquire(refOf(job), signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      lastError = error;
      deps.logger.debug(`transfer ${job.record.jobId}: reconnect failed`, error);
    }
  }
  const { accountId, region, instanceId } = job.record.instance;
  const details = await deps.ec2.describeInstance(accountId, region, instanceId, signal).catch(() => undefined);
  const state = details?.instance.state;
  if (state === 'stopping' || state === 'stopped' || state === 'shutting-down' || state === 'terminated') {
    throw new JobStopError('INSTANCE_STOPPED', `${job.record.instanceName} stopped during the transfer.`, 'Start it, then press Resume.');
  }
  const final = describeFailure(lastError ?? new Error('reconnecting failed'));
  throw new JobStopError(final.code, final.message, final.hint);
}

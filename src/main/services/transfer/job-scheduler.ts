import type { Ec2Service } from '../ec2/ec2-service';
import type { Logger } from '../logging/logger';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { SftpCalls } from '../ssh/sftp-calls';
import type { SshConnection } from '../ssh/ssh-connection';
import type { ConflictQuestions } from './conflict-questions';
import { createJobContext } from './create-job-context';
import { describeFailure } from './describe-failure';
import { runDownload } from './download-job';
import { JobStopError } from './job-context';
import type { JobProgress } from './job-progress';
import { isLinkFailure } from './link-errors';
import { cleanupParts, removeParts } from './part-files';
import { reconnect } from './reconnect';
import { refOf, resetCounters, StopReason, type Job, type QueueState, type StopKind } from './transfer-job';
import { runUpload } from './upload-job';

export interface JobSchedulerDeps {
  state: QueueState;
  connections: ConnectionManager;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  logger: Logger;
  progress: JobProgress;
  conflicts: ConflictQuestions;
  platform: NodeJS.Platform;
  reconnectDelaysMs: readonly number[];
  maxRunning: number;
  checksumTimeoutMs(bytes: number): number;
}

export interface JobScheduler {
  /** Starts queued jobs, oldest first, while fewer than `maxRunning` run. */
  pump(): void;
}

/**
 * Runs jobs on the instance's shared connection, one attempt per connection: a dropped link puts the job
 * in `waiting` and reconnects with backoff; pause, cancel and dispose abort the attempt with a StopReason.
 */
export function createJobScheduler(deps: JobSchedulerDeps): JobScheduler {
  const { state, connections, logger, progress } = deps;

  function pump(): void {
    if (state.disposed) return;
    let running = [...state.jobs.values()].filter((j) => j.runner !== undefined).length;
    for (const job of state.jobs.values()) {
      if (running >= deps.maxRunning) return;
      if (job.record.state !== 'queued' || job.runner !== undefined) continue;
      running++;
      job.runner = runJob(job)
        .catch((error: unknown) => logger.error(`transfer ${job.record.jobId} runner crashed`, error))
        .finally(() => {
          job.runner = undefined;
          pump();
        });
    }
  }

  async function runJob(job: Job): Promise<void> {
    let reconnecting = false;
    for (;;) {
      const attempt = new AbortController();
      job.attempt = attempt;
      let connection: SshConnection | undefined;
      let sftp: SftpCalls | undefined;
      let stopWatching: (() => void) | undefined;
      try {
        if (job.record.state !== 'waiting') progress.setState(job, 'running');
        const lease = reconnecting
          ? await reconnect(job, attempt.signal, { connections, ec2: deps.ec2, logger, delaysMs: deps.reconnectDelaysMs })
          : await connections.acquire(refOf(job), attempt.signal);
        connection = lease.connection;
        // Paused or cancelled while connecting: the state the user chose stands.
        if (attempt.signal.aborted) throw attempt.signal.reason;
        if (job.record.instanceName !== lease.target.title) job.record = { ...job.record, instanceName: lease.target.title };
        if (reconnecting || job.record.state !== 'running') progress.setState(job, 'running');
        reconnecting = false;
        const calls = new SftpCalls(await connection.sftp());
        sftp = calls;
        stopWatching = connection.onClose(() => {
          attempt.abort(new StopReason('lost'));
          calls.fail(new Error('Connection lost (channel closed)'));
        });
        resetCounters(job);
        const ctx = createJobContext(job, { connection, sftp, signal: attempt.signal }, deps);
        await (job.record.direction === 'upload' ? runUpload(ctx) : runDownload(ctx));
        if (attempt.signal.aborted) throw attempt.signal.reason;
        job.acked.clear();
        job.currentFile = undefined;
        progress.setState(job, 'completed');
        return;
      } catch (error) {
        const reason: unknown = attempt.signal.aborted ? attempt.signal.reason : undefined;
        if (reason instanceof StopReason && reason.kind !== 'lost') {
          await stopped(job, reason.kind, sftp, connection);
          return;
        }
        if (!(error instanceof JobStopError) && (reason instanceof StopReason || isLinkFailure(error, connection))) {
          logger.info(`transfer ${job.record.jobId}: connection lost; reconnecting`);
          reconnecting = true;
          job.resumed = true;
          progress.setState(job, 'waiting', {
            code: 'CONNECTION_LOST',
            message: `Connection to ${job.record.instanceName} lost — reconnecting…`,
            hint: 'The transfer continues where it stopped once the connection is back.',
          });
          continue;
        }
        job.resumed = true;
        progress.setState(job, 'failed', describeFailure(error));
        logger.info(`transfer ${job.record.jobId} failed: ${job.record.error?.code ?? ''}`);
        return;
      } finally {
        stopWatching?.();
        sftp?.detach();
        job.attempt = undefined;
        connection?.release();
      }
    }
  }

  /** After pause / cancel / dispose unwound: cancel removes the part files being written. */
  async function stopped(job: Job, kind: StopKind, sftp: SftpCalls | undefined, connection: SshConnection | undefined): Promise<void> {
    job.resumed = true;
    if (kind === 'cancel') {
      if (job.record.direction === 'upload' && (sftp === undefined || connection?.closed !== false)) await cleanupParts(job, connections, logger);
      else await removeParts(job, sftp, connection);
      job.acked.clear();
      job.currentFile = undefined;
      if (!state.disposed) progress.changed(job);
      return;
    }
    if (kind === 'pause' && !state.disposed) progress.changed(job);
  }

  return { pump };
}

import { unlink } from 'node:fs/promises';
import type { Logger } from '../logging/logger';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import { SftpCalls } from '../ssh/sftp-calls';
import type { SshConnection } from '../ssh/ssh-connection';
import { refOf, type Job } from './transfer-job';

/**
 * Removes the part files a cancelled job was writing: local ones for a download, remote ones (over the
 * attempt's SFTP session while its connection is up) for an upload.
 */
export async function removeParts(job: Job, sftp: SftpCalls | undefined, connection: SshConnection | undefined): Promise<void> {
  const parts = [...job.parts];
  job.parts.clear();
  if (job.record.direction === 'download') {
    await Promise.all(parts.map((p) => unlink(p).catch(() => undefined)));
    return;
  }
  if (sftp === undefined || connection?.closed !== false) return;
  await Promise.all(parts.map((p) => sftp.unlink(p).catch(() => undefined)));
}

/** The same when the attempt's connection is gone: an upload's parts are removed over a fresh one. */
export async function cleanupParts(job: Job, connections: ConnectionManager, logger: Logger): Promise<void> {
  if (job.record.direction === 'download') {
    await removeParts(job, undefined, undefined);
    return;
  }
  try {
    const { connection } = await connections.acquire(refOf(job));
    try {
      const calls = new SftpCalls(await connection.sftp());
      await removeParts(job, calls, connection);
      calls.detach();
    } finally {
      connection.release();
    }
  } catch (error) {
    logger.debug(`transfer ${job.record.jobId}: part files not removed`, error);
  }
}

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteHas } from '../../src/main/services/transfer/remote-tools';
import { describeTree, sha256File, useTransferRig } from './transfer-rig';

const rig = useTransferRig({ sftpLog: true });
/** An account that may only use SFTP: every exec runs an SFTP server instead of the command. */
const sftpOnly = useTransferRig({ extraConfig: ['ForceCommand internal-sftp'] });

const MiB = 1024 * 1024;

/** Bytes the SFTP server says it wrote into one path (its `close` log lines). */
function sftpWritten(logs: string, path: string): number {
  let total = 0;
  for (const line of logs.split('\n')) {
    const match = /close "(.*)" bytes read \d+ written (\d+)/.exec(line);
    if (match !== null && match[1] === path) total += Number(match[2]);
  }
  return total;
}

describe('big files streamed through an exec channel', () => {
  it('writes a big new file with cat (no SFTP write of it), with its mode and mtime; a small one still goes over SFTP', async () => {
    const local = await rig.localScratch('stream');
    const big = join(local, 'weights.bin');
    const small = join(local, 'config.json');
    await writeFile(big, randomBytes(12 * MiB + 5));
    await writeFile(small, randomBytes(3 * MiB));
    await chmod(big, 0o640);
    await utimes(big, new Date('2024-03-01T10:00:00Z'), new Date('2024-03-01T10:00:00Z'));
    const remote = await rig.remoteScratch('up-stream');
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [big, small], remoteDir: remote }).jobId);

    expect(job.state).toBe('completed');
    expect(job.failures).toEqual([]);
    expect(job.doneBytes).toBe(15 * MiB + 5);
    expect(probe.bytesOnWire(job.jobId)).toBe(15 * MiB + 5);
    expect((await readdir(remote)).sort()).toEqual(['config.json', 'weights.bin']);
    expect(await sha256File(join(remote, 'weights.bin'))).toBe(await sha256File(big));
    expect(await sha256File(join(remote, 'config.json'))).toBe(await sha256File(small));
    const there = await stat(join(remote, 'weights.bin'));
    expect(there.mode & 0o7777).toBe(0o640);
    expect(Math.floor(there.mtimeMs / 1000)).toBe(Date.parse('2024-03-01T10:00:00Z') / 1000);
    // The server's own account: SFTP wrote the small file and none of the big one.
    const logs = rig.sshd.logs();
    expect(sftpWritten(logs, join(remote, 'config.json.hangar-part'))).toBe(3 * MiB);
    expect(sftpWritten(logs, join(remote, 'weights.bin.hangar-part'))).toBe(0);
  });

  it('probes for a real shell: tar and cat are found on a normal account, nothing on an account limited to SFTP', async () => {
    const normal = rig.service();
    const limited = sftpOnly.service();
    const { connection } = await normal.connections.acquire(rig.ref);
    rig.later(() => connection.release());
    const { connection: limitedConnection } = await limited.connections.acquire(sftpOnly.ref);
    sftpOnly.later(() => limitedConnection.release());

    expect(await remoteHas(connection, 'cat')).toBe(true);
    expect(await remoteHas(connection, 'tar')).toBe(true);
    expect(await remoteHas(connection, 'no-such-tool-hangar')).toBe(false);
    expect(await remoteHas(limitedConnection, 'cat')).toBe(false);
    expect(await remoteHas(limitedConnection, 'tar')).toBe(false);
  });

  it('uploads big files and new folders over SFTP alone for an account limited to SFTP', async () => {
    const local = await sftpOnly.localScratch('sftp-only');
    const big = join(local, 'dataset.bin');
    await writeFile(big, randomBytes(10 * MiB));
    const set = join(local, 'set');
    await mkdir(set);
    for (let i = 0; i < 30; i++) await writeFile(join(set, `f-${i}.txt`), `file ${i}\n`);
    const remote = await sftpOnly.remoteScratch('up-sftp-only');
    const { svc, probe } = sftpOnly.service();

    const job = await probe.whenSettled(svc.upload({ instance: sftpOnly.ref, localPaths: [big, set], remoteDir: remote }).jobId);

    expect(job.state).toBe('completed');
    expect(job.failures).toEqual([]);
    expect(job.strategy).toBe('sftp');
    expect(await sha256File(join(remote, 'dataset.bin'))).toBe(await sha256File(big));
    expect(await describeTree(join(remote, 'set'))).toEqual(await describeTree(set));
  });
});

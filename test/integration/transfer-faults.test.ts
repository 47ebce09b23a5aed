import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../support/system-deps';
import { useTransferRig, waitFor } from './transfer-rig';

const run = promisify(execFile);
const rig = useTransferRig();

describe('transfer faults against a real sshd', () => {
  it('stops with REMOTE_DISK_FULL naming the file and the space left, and leaves no part file', async () => {
    const mount = requireBinary('mount', 'mount');
    const umount = requireBinary('umount', 'mount');
    const remote = await rig.remoteScratch('full');
    const small = join(remote, 'small-disk');
    await mkdir(small);
    try {
      await run(mount, ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', small]);
    } catch (error) {
      throw new Error(
        `mounting a 4 MiB tmpfs at ${small} failed; this test needs root and the mount syscall allowed in this container (CAP_SYS_ADMIN), not a package: ${String(error)}`,
      );
    }
    rig.later(() => run(umount, [small]).catch(() => run(umount, ['-l', small])));
    const local = await rig.localScratch('full');
    await writeFile(join(local, 'dataset.bin'), randomBytes(10 * 1024 * 1024));
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [join(local, 'dataset.bin')], remoteDir: small }).jobId);

    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('REMOTE_DISK_FULL');
    expect(job.error?.message).toContain('dataset.bin');
    expect(job.error?.message).toMatch(/\d+(\.\d+)? (bytes|KB|MB) left/);
    expect(job.error?.hint).toMatch(/free some space|grow/i);
    expect(await readdir(small)).toEqual([]);
  });

  it('fails with INSTANCE_STOPPED when the link drops and the instance has stopped', async () => {
    const local = await rig.localScratch('stopped');
    await writeFile(join(local, 'big.bin'), randomBytes(64 * 1024 * 1024));
    const remote = await rig.remoteScratch('stopped');
    const { svc, probe, changes, settings } = rig.service({ deps: { reconnectDelaysMs: [100, 200] } });

    const job = svc.upload({ instance: rig.ref, localPaths: [join(local, 'big.bin')], remoteDir: remote });
    await waitFor(() => changes.find((c) => c.jobId === job.jobId && c.doneBytes > 0), 'the upload under way');
    // The instance stops: nothing answers at its address any more.
    rig.sim.setInstanceState(rig.instanceId, 'stopped');
    settings.mutate((s) => ({ ...s, connections: { ...s.connections, [rig.instanceId]: { host: '127.0.0.1:1' } } }));
    rig.later(() => rig.sim.setInstanceState(rig.instanceId, 'running'));
    await rig.sshd.dropConnections();

    const done = await probe.whenSettled(job.jobId);
    expect(done.state).toBe('failed');
    expect(done.error).toEqual({ code: 'INSTANCE_STOPPED', message: 'gpu-box stopped during the transfer.', hint: 'Start it, then press Resume.' });
    expect(changes.some((c) => c.jobId === job.jobId && c.state === 'waiting' && c.error?.code === 'CONNECTION_LOST')).toBe(true);
  });
});

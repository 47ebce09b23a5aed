import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireBinary } from '../support/system-deps';
import { exists, sha256File, useTransferRig, waitFor } from './transfer-rig';

/**
 * Checksums against a real sshd whose sessions find `sha256sum` in a folder of ours first (PATH holds only
 * it). The stand-in damages the file it is asked about for real — one byte flipped on the instance's disk,
 * between the transfer's last write and the hash — and then runs the real sha256sum on it. So the engine
 * meets a genuine corruption on the remote side and the real tool's honest answer about it; nothing in
 * the product is bent for the test. Removing the stand-in leaves sessions with no sha256sum at all. (A
 * sha256sum that merely lied would test the comparison, not that a real difference on disk is caught.)
 */
const WRAP = join(tmpdir(), `hangar-sha256-${process.pid}`);
const MODE_FILE = join(WRAP, 'mode');
const HANG_PID = join(WRAP, 'hang.pid');

const rig = useTransferRig({ env: { PATH: WRAP } });

async function setMode(mode: '' | 'flip-once' | 'flip-always' | 'hang-slow'): Promise<void> {
  await writeFile(MODE_FILE, mode);
}

beforeAll(async () => {
  const tool = (name: string): string => requireBinary(name, 'coreutils');
  await mkdir(WRAP, { recursive: true });
  // Called by the engine as `sha256sum -- <path>`.
  const script = `#!/bin/sh
# Stand-in for sha256sum (test/integration/transfer-checksums.test.ts).
file=$2
mode=$(${tool('cat')} ${MODE_FILE} 2>/dev/null)
case "$mode" in
  hang-slow)
    case "$file" in */slow.bin*) echo $$ > ${HANG_PID}; exec ${tool('sleep')} 120 ;; esac ;;
  flip-once|flip-always)
    [ "$mode" = flip-once ] && : > ${MODE_FILE}
    b=$(${tool('od')} -An -tu1 -N1 "$file" | ${tool('tr')} -d ' ')
    printf "\\\\$(printf %o $(( (b + 1) % 256 )))" | ${tool('dd')} of="$file" bs=1 count=1 conv=notrunc 2>/dev/null ;;
esac
exec ${tool('sha256sum')} "$@"
`;
  await writeFile(join(WRAP, 'sha256sum'), script, { mode: 0o755 });
  // coreutils' timeout, as instances have it: the engine bounds the hash with it on the instance's side.
  await symlink(tool('timeout'), join(WRAP, 'timeout'));
});

beforeEach(async () => {
  await setMode('');
});

afterAll(async () => {
  await rm(WRAP, { recursive: true, force: true });
});

describe('checksums that mean what they say (real sshd)', () => {
  it('keeps a mismatched upload under its part name, fails that file only, and Retry sends it again', async () => {
    const local = await rig.localScratch('sum-up');
    const content = randomBytes(300_000);
    await writeFile(join(local, 'model.bin'), content);
    await writeFile(join(local, 'notes.txt'), 'fine\n');
    const remote = await rig.remoteScratch('sum-up');
    const { svc, probe } = rig.service();
    await setMode('flip-always');

    const job = await probe.whenSettled(
      svc.upload({ instance: rig.ref, localPaths: [join(local, 'model.bin')], remoteDir: remote, verifyChecksums: true }).jobId,
    );

    expect(job.state).toBe('completed');
    expect(job.failures.map((f) => [f.path, f.code])).toEqual([['model.bin', 'TRANSFER_CHECKSUM_MISMATCH']]);
    // Never the final name: nothing later may take the damaged copy for the file.
    expect(await exists(join(remote, 'model.bin'))).toBe(false);
    expect(await exists(join(remote, 'model.bin.hangar-part'))).toBe(true);

    await setMode('');
    svc.retryFailed(job.jobId);
    const retried = await probe.whenSettled(job.jobId);

    expect(retried.failures).toEqual([]);
    expect(retried.state).toBe('completed');
    expect(await readFile(join(remote, 'model.bin'))).toEqual(content);
    expect(await exists(join(remote, 'model.bin.hangar-part'))).toBe(false);
  });

  it('sends a file again from its first byte when one hash differs, and then keeps it', async () => {
    const local = await rig.localScratch('sum-once');
    const content = randomBytes(200_000);
    await writeFile(join(local, 'data.bin'), content);
    const remote = await rig.remoteScratch('sum-once');
    const { svc, probe } = rig.service();
    await setMode('flip-once');

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [join(local, 'data.bin')], remoteDir: remote, verifyChecksums: true }).jobId);

    expect(job.failures).toEqual([]);
    expect(job.state).toBe('completed');
    expect(job.doneBytes).toBe(content.length);
    expect(probe.bytesOnWire(job.jobId)).toBe(2 * content.length);
    expect(await readFile(join(remote, 'data.bin'))).toEqual(content);
    expect(await exists(join(remote, 'data.bin.hangar-part'))).toBe(false);
  });

  it('keeps a download that does not match the instance under its part name, and Retry fetches it again', async () => {
    const remote = await rig.remoteScratch('sum-down');
    await writeFile(join(remote, 'weights.pt'), randomBytes(250_000));
    const local = await rig.localScratch('sum-down');
    const { svc, probe } = rig.service();
    await setMode('flip-always');

    const job = await probe.whenSettled(
      svc.download({ instance: rig.ref, remotePaths: [join(remote, 'weights.pt')], localDir: local, verifyChecksums: true }).jobId,
    );

    expect(job.state).toBe('completed');
    expect(job.failures.map((f) => [f.path, f.code])).toEqual([['weights.pt', 'TRANSFER_CHECKSUM_MISMATCH']]);
    expect(await exists(join(local, 'weights.pt'))).toBe(false);
    expect(await exists(join(local, 'weights.pt.hangar-part'))).toBe(true);

    await setMode('');
    svc.retryFailed(job.jobId);
    const retried = await probe.whenSettled(job.jobId);

    expect(retried.failures).toEqual([]);
    expect(await sha256File(join(local, 'weights.pt'))).toBe(await sha256File(join(remote, 'weights.pt')));
    expect(await exists(join(local, 'weights.pt.hangar-part'))).toBe(false);
  });

  it('says "not verified" — not a mismatch — when the instance has no sha256sum', async () => {
    const local = await rig.localScratch('sum-none');
    await writeFile(join(local, 'a.txt'), 'a\n');
    await writeFile(join(local, 'b.txt'), 'b\n');
    const remote = await rig.remoteScratch('sum-none');
    const { svc, probe } = rig.service();
    await rename(join(WRAP, 'sha256sum'), join(WRAP, 'sha256sum.away'));
    rig.later(() => rename(join(WRAP, 'sha256sum.away'), join(WRAP, 'sha256sum')));

    const job = await probe.whenSettled(
      svc.upload({ instance: rig.ref, localPaths: [join(local, 'a.txt'), join(local, 'b.txt')], remoteDir: remote, verifyChecksums: true }).jobId,
    );

    expect(job.failures).toEqual([]);
    expect(job.state).toBe('completed');
    expect(job.doneFiles).toBe(2);
    expect(job.unverifiedFiles).toBe(2);
    expect(await readFile(join(remote, 'b.txt'), 'utf8')).toBe('b\n');
  });

  it('gives a stuck hash a time limit: that file fails, its hash is stopped, the rest of the job goes on', async () => {
    const local = await rig.localScratch('sum-stuck');
    await writeFile(join(local, 'slow.bin'), randomBytes(10_000));
    await writeFile(join(local, 'quick.bin'), randomBytes(10_000));
    const remote = await rig.remoteScratch('sum-stuck');
    const { svc, probe } = rig.service({ deps: { checksumTimeoutMs: () => 1500 } });
    await setMode('hang-slow');

    const job = await probe.whenSettled(
      svc.upload({ instance: rig.ref, localPaths: [join(local, 'slow.bin'), join(local, 'quick.bin')], remoteDir: remote, verifyChecksums: true }).jobId,
    );

    expect(job.state).toBe('completed');
    expect(job.failures.map((f) => [f.path, f.code])).toEqual([['slow.bin', 'TRANSFER_CHECKSUM_TIMEOUT']]);
    expect(await exists(join(remote, 'quick.bin'))).toBe(true);
    expect(await exists(join(remote, 'slow.bin'))).toBe(false);
    expect(await exists(join(remote, 'slow.bin.hangar-part'))).toBe(true);
    // The channel was closed and the command with it: nothing keeps hashing on the instance.
    const pid = (await readFile(HANG_PID, 'utf8')).trim();
    await waitFor(async () => !(await exists(`/proc/${pid}`)), 'the stuck sha256sum to end', 5000);
  });
});

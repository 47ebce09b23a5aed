import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../support/system-deps';
import { describeTree, exists, sha256File, useTransferRig, waitFor, type TreeEntry } from './transfer-rig';

const run = promisify(execFile);

const rig = useTransferRig();

const ODD_NAMES = ['with space.txt', `quote's "double".txt`, 'ünïcödé-文件.txt', 'new\nline.txt', '-dash-first', '$(touch pwned)'];
const OLD = new Date('2021-03-04T05:06:07Z');

/** A tree with nested folders, odd names, an empty file, an executable, a link to a file and a link loop. */
async function makeTree(root: string, name = 'proj'): Promise<string> {
  const top = join(root, name);
  await mkdir(join(top, 'nested', 'deep'), { recursive: true });
  await mkdir(join(top, 'private'), { mode: 0o700 });
  await writeFile(join(top, 'a.txt'), 'hello from hangar\n');
  await writeFile(join(top, 'nested', 'deep', 'random.bin'), randomBytes(300_000));
  await writeFile(join(top, 'nested', 'big.bin'), randomBytes(3 * 1024 * 1024 + 17));
  await writeFile(join(top, 'private', 'secret.txt'), 'only me\n', { mode: 0o600 });
  for (const odd of ODD_NAMES) await writeFile(join(top, 'nested', odd), `content of ${odd}\n`);
  await writeFile(join(top, 'empty.dat'), '');
  await writeFile(join(top, 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(top, 'run.sh'), 0o755);
  await chmod(join(top, 'private'), 0o700);
  for (const file of ['a.txt', 'nested/deep/random.bin', 'nested/big.bin', 'private/secret.txt', 'empty.dat', 'run.sh', ...ODD_NAMES.map((n) => `nested/${n}`)]) {
    await utimes(join(top, file), OLD, OLD);
  }
  await symlink('a.txt', join(top, 'link-to-a'));
  await symlink('..', join(top, 'nested', 'loop'));
  return top;
}

/** What the remote copy must hold: links resolved to what they point to, the loop left out. */
function expectedRemote(local: Map<string, TreeEntry>): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  for (const [rel, entry] of local) {
    if (rel === 'nested/loop') continue;
    if (rel === 'link-to-a') out.set(rel, local.get('a.txt') as TreeEntry);
    else out.set(rel, entry);
  }
  return out;
}

describe('uploads against a real sshd', () => {
  it('sends a new folder of small files as one tar stream: content, modes, mtimes, odd names, links, no loop', async () => {
    const local = await rig.localScratch('tree');
    const top = await makeTree(local);
    const remote = await rig.remoteScratch('up-tar');
    const { svc, probe, changes, settings, connections } = rig.service();
    // Connecting remembers the host key and the user in settings; the transfer itself must add nothing.
    (await connections.acquire(rig.ref)).connection.release();
    const settingsChanges: unknown[] = [];
    rig.later(settings.onChange((value) => settingsChanges.push(value)));

    const started = svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote });
    expect(['queued', 'running']).toContain(started.state);
    const job = await probe.whenSettled(started.jobId);

    expect(job.state).toBe('completed');
    expect(job.strategy).toBe('tar');
    expect(job.failures).toEqual([expect.objectContaining({ path: 'proj/nested/loop', code: 'SYMLINK_LOOP' })]);
    expect(await describeTree(join(remote, 'proj'))).toEqual(expectedRemote(await describeTree(top)));
    expect(await exists(join(remote, 'proj', 'nested', 'loop'))).toBe(false);
    expect(job.doneFiles).toBe(13);
    expect(job.totalFiles).toBe(13);
    expect(job.doneBytes).toBe(job.totalBytes);
    expect(job.counting).toBe(false);
    // The command line with "$(touch pwned)" in a file name ran nothing.
    expect(await exists(join(rig.sshd.home, 'pwned'))).toBe(false);
    expect(changes.some((c) => c.state === 'running')).toBe(true);
    expect(rig.sshd.logs()).not.toMatch(/pwned/);
    // The queue is runtime state in a file of its own: a transfer never touches the settings document.
    expect(settingsChanges).toEqual([]);
  });

  it('sends into an existing folder file by file over SFTP with the same result', async () => {
    const local = await rig.localScratch('tree');
    const top = await makeTree(local);
    const remote = await rig.remoteScratch('up-sftp');
    await mkdir(join(remote, 'proj'));
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote, verifyChecksums: true }).jobId);

    expect(job.state).toBe('completed');
    expect(job.strategy).toBe('sftp');
    expect(job.failures.map((f) => f.code)).toEqual(['SYMLINK_LOOP']);
    const got = await describeTree(join(remote, 'proj'));
    const want = expectedRemote(await describeTree(top));
    // The folder existed before, with the server's default mode.
    want.delete('');
    expect(got).toEqual(want);
    expect([...got.keys()].some((k) => k.endsWith('.hangar-part'))).toBe(false);

    // Sent again: everything is identical, so everything is skipped and nothing is asked.
    const again = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote }).jobId);
    expect(again.state).toBe('completed');
    expect(again.skippedFiles).toBe(13);
    expect(again.doneFiles).toBe(0);
    expect(probe.bytesOnWire(again.jobId)).toBe(0);
  });

  it('cancels mid-way leaving no part file, and a second upload completes the tree', async () => {
    const local = await rig.localScratch('many');
    const top = join(local, 'data');
    await mkdir(top);
    for (let i = 0; i < 6; i++) await writeFile(join(top, `chunk-${i}.bin`), randomBytes(16 * 1024 * 1024));
    const remote = await rig.remoteScratch('up-cancel');
    await mkdir(join(remote, 'data'));
    const { svc, probe, changes } = rig.service();

    const job = svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote });
    await waitFor(() => changes.find((c) => c.jobId === job.jobId && c.doneBytes > 20 * 1024 * 1024), 'some progress');
    svc.cancel(job.jobId);
    const cancelled = await probe.whenSettled(job.jobId);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.doneBytes).toBeLessThan(96 * 1024 * 1024);
    const left = await readdir(join(remote, 'data'));
    expect(left.filter((n) => n.endsWith('.hangar-part'))).toEqual([]);
    expect(left.length).toBeLessThan(6);

    const again = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote, conflict: 'overwrite' }).jobId);
    expect(again.state).toBe('completed');
    expect(again.failures).toEqual([]);
    expect(await describeTree(join(remote, 'data'))).toEqual(await describeTree(top));
  });

  it('fails only the files a remote folder refuses (permission denied) and sends the rest', async () => {
    const chattr = requireBinary('chattr', 'e2fsprogs');
    const local = await rig.localScratch('perm');
    const top = join(local, 'proj');
    await mkdir(join(top, 'locked'), { recursive: true });
    await mkdir(join(top, 'open'));
    await writeFile(join(top, 'ok.txt'), 'fine\n');
    await writeFile(join(top, 'open', 'also.txt'), 'also fine\n');
    await writeFile(join(top, 'locked', 'f.txt'), 'refused\n');
    await writeFile(join(top, 'locked', 'g.txt'), 'refused too\n');
    const remote = await rig.remoteScratch('up-perm');
    await mkdir(join(remote, 'proj', 'locked'), { recursive: true });
    // Tests run as root, which ignores mode bits; an immutable folder refuses even root (EPERM).
    await run(chattr, ['+i', join(remote, 'proj', 'locked')]);
    rig.later(() => run(chattr, ['-i', join(remote, 'proj', 'locked')]));
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote }).jobId);

    expect(job.state).toBe('completed');
    expect(job.strategy).toBe('sftp');
    expect([...job.failures].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'proj/locked/f.txt', code: 'REMOTE_PERMISSION_DENIED', message: expect.stringContaining('Permission denied') },
      { path: 'proj/locked/g.txt', code: 'REMOTE_PERMISSION_DENIED', message: expect.stringContaining('Permission denied') },
    ]);
    expect(await readFile(join(remote, 'proj', 'ok.txt'), 'utf8')).toBe('fine\n');
    expect(await readFile(join(remote, 'proj', 'open', 'also.txt'), 'utf8')).toBe('also fine\n');
    expect(await readdir(join(remote, 'proj', 'locked'))).toEqual([]);
    expect(job.doneFiles).toBe(2);

    // Fixed on the instance: "retry failed" sends only those two.
    await run(chattr, ['-i', join(remote, 'proj', 'locked')]);
    svc.retryFailed(job.jobId);
    const retried = await probe.whenSettled(job.jobId);
    expect(retried.state).toBe('completed');
    expect(retried.failures).toEqual([]);
    expect(retried.doneFiles).toBe(2);
    expect(retried.totalFiles).toBe(2);
    expect((await readdir(join(remote, 'proj', 'locked'))).sort()).toEqual(['f.txt', 'g.txt']);
    expect(await readFile(join(remote, 'proj', 'locked', 'g.txt'), 'utf8')).toBe('refused too\n');
    svc.clearFinished(job.jobId);
    expect(svc.list().find((j) => j.jobId === job.jobId)).toBeUndefined();
  });

  it('pauses without sending more, keeps the part file, and resumes without resending', async () => {
    const MiB = 1024 * 1024;
    const local = await rig.localScratch('pause');
    const source = join(local, 'model.safetensors');
    await writeFile(source, randomBytes(96 * MiB));
    const remote = await rig.remoteScratch('up-pause');
    const { svc, probe, changes, progress } = rig.service();

    const job = svc.upload({ instance: rig.ref, localPaths: [source], remoteDir: remote });
    await waitFor(() => changes.find((c) => c.jobId === job.jobId && c.doneBytes > 20 * MiB), 'some progress');
    // Moving counters travel as transfers.progress (a window that only shows the badge does not listen);
    // transfers.changed carries the job's state changes, a handful per job.
    expect(progress.some((p) => p.jobId === job.jobId && p.doneBytes > 20 * MiB)).toBe(true);
    expect(svc.pause(job.jobId).state).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const paused = svc.list().find((j) => j.jobId === job.jobId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(svc.list().find((j) => j.jobId === job.jobId)?.doneBytes).toBe(paused?.doneBytes);
    expect(paused?.state).toBe('paused');
    expect(paused?.doneBytes).toBeLessThan(96 * MiB);
    expect(await readdir(remote)).toEqual(['model.safetensors.hangar-part']);

    expect(['queued', 'running']).toContain(svc.resume(job.jobId).state);
    const done = await probe.whenSettled(job.jobId);
    expect(done.state).toBe('completed');
    expect(await sha256File(join(remote, 'model.safetensors'))).toBe(await sha256File(source));
    expect(probe.bytesOnWire(job.jobId)).toBe(96 * MiB);
    const stateEvents = changes.filter((c) => c.jobId === job.jobId && !progress.includes(c));
    expect(stateEvents.map((c) => c.state)).toEqual(expect.arrayContaining(['running', 'paused', 'completed']));
    // queued, running, totals known, strategy chosen, paused (and its last count), queued, running, completed.
    expect(stateEvents.length).toBeLessThanOrEqual(12);
    expect(progress.filter((p) => p.jobId === job.jobId).every((p) => p.state === 'running')).toBe(true);
  });

  it('reports unreadable local entries (a pipe, a broken link) and sends everything else', async () => {
    const mkfifo = requireBinary('mkfifo', 'coreutils');
    const local = await rig.localScratch('unreadable');
    const top = join(local, 'proj');
    await mkdir(join(top, 'sub'), { recursive: true });
    await writeFile(join(top, 'good.txt'), 'good\n');
    await writeFile(join(top, 'sub', 'fine.txt'), 'fine\n');
    await run(mkfifo, [join(top, 'sub', 'pipe')]);
    await symlink('does-not-exist', join(top, 'broken-link'));
    const remote = await rig.remoteScratch('up-unreadable');
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote }).jobId);

    expect(job.state).toBe('completed');
    expect([...job.failures].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'proj/broken-link', code: 'LOCAL_UNREADABLE', message: expect.stringContaining('broken link') },
      { path: 'proj/sub/pipe', code: 'LOCAL_UNREADABLE', message: expect.stringContaining('not a regular file') },
    ]);
    expect(await readFile(join(remote, 'proj', 'good.txt'), 'utf8')).toBe('good\n');
    expect(await readFile(join(remote, 'proj', 'sub', 'fine.txt'), 'utf8')).toBe('fine\n');
    expect(await exists(join(remote, 'proj', 'sub', 'pipe'))).toBe(false);
    expect(job.doneFiles).toBe(2);
  });

  it('asks about a conflict, renames on request, and remembers "skip" for all', async () => {
    const local = await rig.localScratch('conflict');
    await writeFile(join(local, 'report.txt'), 'new report\n');
    await mkdir(join(local, 'docs'));
    await writeFile(join(local, 'docs', 'one.txt'), 'one new\n');
    await writeFile(join(local, 'docs', 'two.txt'), 'two new\n');
    const remote = await rig.remoteScratch('up-conflict');
    await writeFile(join(remote, 'report.txt'), 'old report, longer\n');
    await mkdir(join(remote, 'docs'));
    await writeFile(join(remote, 'docs', 'one.txt'), 'one old version\n');
    await writeFile(join(remote, 'docs', 'two.txt'), 'two old version\n');
    const { svc, probe, changes } = rig.service();

    const first = svc.upload({ instance: rig.ref, localPaths: [join(local, 'report.txt')], remoteDir: remote });
    const asked = await waitFor(() => changes.find((c) => c.jobId === first.jobId && c.conflict !== undefined), 'a conflict question');
    expect(asked.state).toBe('waiting');
    expect(asked.conflict).toMatchObject({
      path: 'report.txt',
      destination: join(remote, 'report.txt'),
      sourceSize: 11,
      destinationSize: 19,
    });
    svc.resolveConflict(first.jobId, { decision: 'rename', applyToAll: false });
    const renamed = await probe.whenSettled(first.jobId);
    expect(renamed.state).toBe('completed');
    expect(await readFile(join(remote, 'report (1).txt'), 'utf8')).toBe('new report\n');
    expect(await readFile(join(remote, 'report.txt'), 'utf8')).toBe('old report, longer\n');

    const second = svc.upload({ instance: rig.ref, localPaths: [join(local, 'docs')], remoteDir: remote, conflict: 'ask' });
    await waitFor(() => svc.list().find((j) => j.jobId === second.jobId && j.conflict !== undefined), 'the first of two conflicts');
    svc.resolveConflict(second.jobId, { decision: 'skip', applyToAll: true });
    const skipped = await probe.whenSettled(second.jobId);
    expect(skipped.state).toBe('completed');
    expect(skipped.skippedFiles).toBe(2);
    expect(changes.filter((c) => c.jobId === second.jobId && c.conflict !== undefined).length).toBe(1);
    expect(await readFile(join(remote, 'docs', 'one.txt'), 'utf8')).toBe('one old version\n');
    expect(await readFile(join(remote, 'docs', 'two.txt'), 'utf8')).toBe('two old version\n');

    // Remembered for the session: a later job that would ask skips without asking.
    const third = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [join(local, 'docs')], remoteDir: remote }).jobId);
    expect(third.skippedFiles).toBe(2);
    expect(changes.some((c) => c.jobId === third.jobId && c.conflict !== undefined)).toBe(false);
  });

  it('runs at most two jobs at once and cancels them all, queued ones included', async () => {
    const local = await rig.localScratch('queue');
    const source = join(local, 'blob.bin');
    await writeFile(source, randomBytes(48 * 1024 * 1024));
    const remote = await rig.remoteScratch('up-queue');
    const { svc, probe, changes } = rig.service();

    const jobs = [0, 1, 2].map((i) => svc.upload({ instance: rig.ref, localPaths: [source], remoteDir: join(remote, `to-${i}`) }));
    await waitFor(() => changes.find((c) => c.jobId === jobs[0]?.jobId && c.doneBytes > 0), 'the first job sending');
    const states = svc.list().map((j) => j.state);
    expect(states.filter((s) => s === 'running' || s === 'waiting')).toHaveLength(2);
    expect(states.filter((s) => s === 'queued')).toHaveLength(1);

    svc.cancelAll();
    const settled = await Promise.all(jobs.map((j) => probe.whenSettled(j.jobId)));
    expect(settled.map((j) => j.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    for (const dir of await readdir(remote)) {
      expect((await readdir(join(remote, dir))).filter((n) => n.endsWith('.hangar-part'))).toEqual([]);
    }
  });
});

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeTree, exists, useTransferRig, type TreeEntry } from './transfer-rig';

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
    const { svc, changes } = rig.service();

    const started = svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote });
    expect(['queued', 'running']).toContain(started.state);
    const job = await svc.whenSettled(started.jobId);

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
  });

  it('sends into an existing folder file by file over SFTP with the same result', async () => {
    const local = await rig.localScratch('tree');
    const top = await makeTree(local);
    const remote = await rig.remoteScratch('up-sftp');
    await mkdir(join(remote, 'proj'));
    const { svc } = rig.service();

    const job = await svc.whenSettled(svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote, verifyChecksums: true }).jobId);

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
    const again = await svc.whenSettled(svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote }).jobId);
    expect(again.state).toBe('completed');
    expect(again.skippedFiles).toBe(13);
    expect(again.doneFiles).toBe(0);
    expect(svc.bytesOnWire(again.jobId)).toBe(0);
  });
});

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeTree, sha256File, useTransferRig, type TreeEntry } from './transfer-rig';

const rig = useTransferRig();
const OLD = new Date('2020-01-02T03:04:05Z');

describe('downloads against a real sshd', () => {
  it('fetches a folder with its content, modes and mtimes; links arrive as what they point to', async () => {
    const remote = await rig.remoteScratch('down');
    const top = join(remote, 'results');
    await mkdir(join(top, 'runs', 'r1'), { recursive: true });
    const files: Record<string, Buffer | string> = {
      'metrics.csv': 'epoch,loss\n1,0.5\n',
      'runs/r1/model.bin': randomBytes(5 * 1024 * 1024 + 3),
      'runs/r1/empty.log': '',
      'runs/with space & "quotes".txt': 'odd\n',
      'runs/new\nline.txt': 'newline\n',
      'train.sh': '#!/bin/sh\n',
    };
    for (const [rel, content] of Object.entries(files)) {
      await writeFile(join(top, rel), content);
      await utimes(join(top, rel), OLD, OLD);
    }
    await chmod(join(top, 'train.sh'), 0o750);
    await symlink('metrics.csv', join(top, 'latest.csv'));
    const local = await rig.localScratch('down');
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.download({ instance: rig.ref, remotePaths: [top], localDir: local, verifyChecksums: true }).jobId);

    expect(job.state).toBe('completed');
    expect(job.failures).toEqual([]);
    expect(job.doneFiles).toBe(7);
    const want = await describeTree(top);
    want.set('latest.csv', want.get('metrics.csv') as TreeEntry);
    expect(await describeTree(join(local, 'results'))).toEqual(want);
  });

  it('continues a download from its .hangar-part without fetching those bytes again', async () => {
    const remote = await rig.remoteScratch('down-resume');
    const content = randomBytes(20 * 1024 * 1024);
    await writeFile(join(remote, 'checkpoint.pt'), content);
    const local = await rig.localScratch('down-resume');
    const already = 12 * 1024 * 1024;
    await writeFile(join(local, 'checkpoint.pt.hangar-part'), content.subarray(0, already));
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.download({ instance: rig.ref, remotePaths: [join(remote, 'checkpoint.pt')], localDir: local }).jobId);

    expect(job.state).toBe('completed');
    expect(job.doneBytes).toBe(content.length);
    expect(probe.bytesOnWire(job.jobId)).toBe(content.length - already);
    expect(await sha256File(join(local, 'checkpoint.pt'))).toBe(await sha256File(join(remote, 'checkpoint.pt')));
    expect(await readdir(local)).toEqual(['checkpoint.pt']);
  });

  it('saves names Windows refuses under a changed name and says so', async () => {
    const remote = await rig.remoteScratch('down-win');
    const top = join(remote, 'odd');
    await mkdir(top);
    await writeFile(join(top, 'what?.txt'), 'q\n');
    await writeFile(join(top, 'CON'), 'device name\n');
    await writeFile(join(top, 'fine.txt'), 'fine\n');
    const local = await rig.localScratch('down-win');
    const { svc, probe } = rig.service({ deps: { platform: 'win32' } });

    const job = await probe.whenSettled(svc.download({ instance: rig.ref, remotePaths: [top], localDir: local }).jobId);

    expect(job.state).toBe('completed');
    expect([...job.failures].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'odd/CON', code: 'LOCAL_NAME_CHANGED', message: 'saved as "_CON"' },
      { path: 'odd/what?.txt', code: 'LOCAL_NAME_CHANGED', message: 'saved as "what_.txt"' },
    ]);
    expect((await readdir(join(local, 'odd'))).sort()).toEqual(['_CON', 'fine.txt', 'what_.txt']);
    expect(await readFile(join(local, 'odd', 'what_.txt'), 'utf8')).toBe('q\n');
  });

  it('applies the conflict policy to local files: "newer" replaces only older ones', async () => {
    const remote = await rig.remoteScratch('down-newer');
    await writeFile(join(remote, 'fresh.txt'), 'remote fresh\n');
    await writeFile(join(remote, 'stale.txt'), 'remote stale\n');
    await utimes(join(remote, 'stale.txt'), OLD, OLD);
    const local = await rig.localScratch('down-newer');
    await writeFile(join(local, 'fresh.txt'), 'local, older\n');
    await utimes(join(local, 'fresh.txt'), OLD, OLD);
    await writeFile(join(local, 'stale.txt'), 'local, newer\n');
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(
      svc.download({ instance: rig.ref, remotePaths: [join(remote, 'fresh.txt'), join(remote, 'stale.txt')], localDir: local, conflict: 'newer' }).jobId,
    );

    expect(job.state).toBe('completed');
    expect(job.doneFiles).toBe(1);
    expect(job.skippedFiles).toBe(1);
    expect(await readFile(join(local, 'fresh.txt'), 'utf8')).toBe('remote fresh\n');
    expect(await readFile(join(local, 'stale.txt'), 'utf8')).toBe('local, newer\n');
  });

  it('never copies setuid, setgid, sticky or world-writable bits from the instance', async () => {
    const remote = await rig.remoteScratch('down-modes');
    const top = join(remote, 'modes');
    await mkdir(join(top, 'shared'), { recursive: true });
    await writeFile(join(top, 'tool'), '#!/bin/sh\necho hi\n');
    await writeFile(join(top, 'group-tool'), '#!/bin/sh\n');
    await writeFile(join(top, 'open.txt'), 'anyone may write\n');
    // chmod after creation: the process umask must not soften what the instance holds.
    await chmod(join(top, 'tool'), 0o4755);
    await chmod(join(top, 'group-tool'), 0o2775);
    await chmod(join(top, 'open.txt'), 0o666);
    await chmod(join(top, 'shared'), 0o3777);
    expect((await stat(join(top, 'tool'))).mode & 0o7777).toBe(0o4755);
    const local = await rig.localScratch('down-modes');
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.download({ instance: rig.ref, remotePaths: [top], localDir: local }).jobId);

    expect(job.state).toBe('completed');
    expect(job.failures).toEqual([]);
    const modeOf = async (rel: string): Promise<string> => ((await stat(join(local, 'modes', rel))).mode & 0o7777).toString(8);
    expect(await modeOf('tool')).toBe('755');
    expect(await modeOf('group-tool')).toBe('775');
    expect(await modeOf('open.txt')).toBe('664');
    expect(await modeOf('shared')).toBe('775');
  });
});

import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createTerminalService } from '../../src/main/services/ssh/create-terminal-service';
import type { Events } from '../../src/shared/ipc/contract';
import type { TerminalDataEvent } from '../../src/shared/models/ssh';
import { stubKeyStore } from '../support/stub-key-store';
import { requireBinary } from '../support/system-deps';
import { useTransferRig, waitFor } from './transfer-rig';

/**
 * Every remote command runs under /bin/sh, whatever the login shell: here it is fish, whose quoting is not
 * sh's (inside '…' it reads \' and \\ as escapes, so a name with a backslash before a quote used to end
 * the quoted word early and run what followed). The names below carry `'`, `$(…)`, `;`, spaces, a newline
 * and that backslash; the injected `touch` would leave a PWNED file in the login user's home.
 */
const run = promisify(execFile);
const USER = `hangar-fish-${process.pid}`;
const NASTY = "it's $(touch PWNED-1) ; a\\';touch PWNED-2;echo \\'\nline.txt";
const NASTY_DIR = "dir 'of' $(touch PWNED-3); b\\';touch PWNED-4;echo \\'\nend";

let fish: string;
beforeAll(async () => {
  fish = requireBinary('fish', 'fish');
  if (process.getuid?.() !== 0) throw new Error('this suite makes a login user whose shell is fish: run it as root');
  await run(requireBinary('useradd', 'passwd'), ['--no-create-home', '--home-dir', '/nonexistent', '--shell', fish, '--password', '*', USER]);
});
afterAll(async () => {
  await run('userdel', [USER]).catch(() => undefined);
});

const rig = useTransferRig({ loginUser: USER });

beforeAll(async () => {
  // sshd starts sessions in the user's home: the rig's, where a PWNED file would land.
  await run('usermod', ['--home', rig.sshd.home, USER]);
});

async function pwned(): Promise<string[]> {
  return (await readdir(rig.sshd.home)).filter((name) => name.startsWith('PWNED'));
}

describe('remote commands with fish as the login shell', () => {
  it('really logs in with fish', async () => {
    const { stdout } = await run('getent', ['passwd', USER]);
    expect(stdout.trim().endsWith(`:${fish}`)).toBe(true);
  });

  it('uploads a file with quotes, $(…), ;, spaces and a newline in its name, checksum verified, and runs nothing', async () => {
    const local = await rig.localScratch('fish-up');
    await writeFile(join(local, NASTY), 'odd name, plain content\n');
    const remote = await rig.remoteScratch('fish-up');
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [join(local, NASTY)], remoteDir: remote, verifyChecksums: true }).jobId);

    expect(job.failures).toEqual([]);
    expect(job.state).toBe('completed');
    expect(await readFile(join(remote, NASTY), 'utf8')).toBe('odd name, plain content\n');
    expect(await pwned()).toEqual([]);
  });

  it('streams a new folder through tar into a folder with such a name, and runs nothing', async () => {
    const local = await rig.localScratch('fish-tar');
    await mkdir(join(local, 'data'));
    for (let i = 0; i < 20; i++) await writeFile(join(local, 'data', `f${i}.txt`), `file ${i}\n`);
    const parent = await rig.remoteScratch('fish-tar');
    const remote = join(parent, NASTY_DIR);
    const { svc, probe } = rig.service();

    const job = await probe.whenSettled(svc.upload({ instance: rig.ref, localPaths: [join(local, 'data')], remoteDir: remote }).jobId);

    expect(job.failures).toEqual([]);
    expect(job.state).toBe('completed');
    expect(job.strategy).toBe('tar');
    expect((await readdir(join(remote, 'data'))).length).toBe(20);
    expect(await pwned()).toEqual([]);
  });

  it('opens the user’s own login shell (fish) in a terminal, and finds its folder', async () => {
    const { settings, connections } = rig.service();
    const events = createEventHub<Events>();
    const data: TerminalDataEvent[] = [];
    events.subscribe((name, payload) => {
      if (name === 'terminal.data') data.push(payload as TerminalDataEvent);
    });
    const keys = stubKeyStore(rig.sshd.userPrivateKey, 'hangar-test');
    const terminals = createTerminalService({ settings, keys, ec2: rig.ec2, events, logger: silentLogger, connections });
    rig.later(() => terminals.dispose());
    const output = (): string => Buffer.concat(data.map((d) => d.data)).toString('utf8');

    const session = await terminals.open({ ...rig.ref, cols: 100, rows: 30 });
    await terminals.write(session.sessionId, 'echo "shell=$FISH_VERSION"\r');

    await waitFor(() => /shell=\d+\.\d+/.test(output()), 'fish answering');
    expect(await terminals.cwd(session.sessionId)).toBe(rig.sshd.home);
    expect(await terminals.busy(session.sessionId)).toBe(false);
  });
});

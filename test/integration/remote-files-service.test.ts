import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { createRemoteFilesService } from '../../src/main/services/files/create-remote-files-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import type { InstanceRef, RemoteListing } from '../../src/shared/models/transfers';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';
const KEY_PAIR = 'hangar-test';

let restoreEnv: () => void = () => undefined;

let sshd: Sshd;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let work: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-files-'));
  sshd = await startSshd();
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await sshd?.stop();
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

let counter = 0;

/** The service over a real connection manager, with one simulated instance routed to the sshd rig. */
async function rig(options: { idleMs?: number } = {}) {
  const settings = createSettingsStore(createSettingsFileBackend(join(work, `settings-${counter++}`)));
  // Not what is under test: hands out the rig's user key for the key pair "hangar-test".
  const keys = stubKeyStore(sshd.userPrivateKey, KEY_PAIR);
  const connections: ConnectionManager = createConnectionManager({
    settings,
    keys,
    ec2,
    logger: silentLogger,
    userCandidates: () => [sshd.username],
    refusedRetryMs: 0,
  });
  const files = createRemoteFilesService({ connections, ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }) });
  cleanups.push(() => {
    files.dispose();
    connections.dispose();
  });
  const instanceId = sim.addInstance(REGION, { publicIp: '203.0.113.10', keyName: KEY_PAIR, name: 'files-1' });
  settings.mutate((s) => ({ ...s, connections: { ...s.connections, [instanceId]: { host: `127.0.0.1:${sshd.port}` } } }));
  const ref: InstanceRef = { accountId: ACCOUNT, region: REGION, instanceId, acceptHostKey: sshd.hostKeyFingerprintSha256 };
  return { files, connections, ref, instanceId };
}

/** A fresh folder in the rig's home for one test, so tests never see each other's files. */
async function scratch(name: string): Promise<string> {
  const dir = join(sshd.home, `${name}-${counter++}`);
  await mkdir(dir);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function names(listing: RemoteListing): string[] {
  return listing.entries.map((entry) => entry.name);
}

const ODD_NAMES = ['with space.txt', `quote's "double".txt`, 'ünïcödé-文件.txt', 'new\nline.txt', '$(touch pwned)', '-dash-first'];

describe('remote files service against a real sshd', () => {
  it('opens in the login user’s home and lists odd names, hidden files, sizes, modes and links', async () => {
    const { files, ref } = await rig();
    expect(await files.home(ref)).toBe(sshd.home);

    const dir = await scratch('listing');
    for (const [i, name] of ODD_NAMES.entries()) await writeFile(join(dir, name), 'x'.repeat(i + 1));
    await writeFile(join(dir, '.hidden'), 'secret');
    await writeFile(join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(dir, 'empty'), '');
    await mkdir(join(dir, 'folder10'));
    await mkdir(join(dir, 'folder9'));
    await symlink(join(dir, 'folder9'), join(dir, 'link-to-dir'));
    await symlink(join(dir, 'empty'), join(dir, 'link-to-file'));
    await symlink(join(dir, 'nowhere'), join(dir, 'broken-link'));
    const when = new Date('2024-03-01T12:00:00Z');
    await utimes(join(dir, 'empty'), when, when);

    // Relative to home, as the browser's path bar allows.
    const listing = await files.list(ref, dir.slice(sshd.home.length + 1));
    expect(listing.path).toBe(dir);
    // Folders (and links to folders) first, in numeric order; then everything else by name.
    expect(names(listing).slice(0, 3)).toEqual(['folder9', 'folder10', 'link-to-dir']);
    for (const name of [...ODD_NAMES, '.hidden', 'run.sh', 'empty', 'link-to-file', 'broken-link']) expect(names(listing)).toContain(name);
    expect(listing.entries).toHaveLength(ODD_NAMES.length + 8);
    // Nothing ran on the remote side.
    expect(existsSync(join(sshd.home, 'pwned'))).toBe(false);

    const byName = new Map(listing.entries.map((entry) => [entry.name, entry]));
    expect(byName.get('new\nline.txt')).toMatchObject({ kind: 'file', size: 4 });
    expect(byName.get('ünïcödé-文件.txt')).toMatchObject({ kind: 'file', size: 3 });
    expect(byName.get('run.sh')).toMatchObject({ kind: 'file', mode: 0o755, permissions: '-rwxr-xr-x' });
    expect(byName.get('empty')).toMatchObject({ kind: 'file', size: 0, mtimeMs: when.getTime() });
    expect(byName.get('folder9')).toMatchObject({ kind: 'directory', permissions: expect.stringMatching(/^d[rwx-]{9}$/) });
    expect(byName.get('link-to-dir')).toMatchObject({ kind: 'symlink', targetKind: 'directory' });
    expect(byName.get('link-to-dir')?.permissions.startsWith('l')).toBe(true);
    expect(byName.get('link-to-file')).toMatchObject({ kind: 'symlink', targetKind: 'file' });
    expect(byName.get('broken-link')?.kind).toBe('symlink');
    expect(byName.get('broken-link')?.targetKind).toBeUndefined();

    // "~" and "~/…" mean home; "." segments and trailing slashes are normalised.
    expect((await files.list(ref, '~')).path).toBe(sshd.home);
    expect((await files.list(ref, `${dir}/./folder9/../folder10/`)).path).toBe(join(dir, 'folder10'));
    // A link to a folder opens like the folder.
    expect(names(await files.list(ref, join(dir, 'link-to-dir')))).toEqual([]);
  });

  it('creates, renames and deletes folders and files with odd names, recursively and never through links', async () => {
    const { files, ref } = await rig();
    const dir = await scratch('ops');

    const made = join(dir, 'new folder “ü”\nline');
    await files.mkdir(ref, made);
    expect((await stat(made)).isDirectory()).toBe(true);

    const renamed = join(dir, `it's renamed`);
    await files.rename(ref, made, renamed);
    expect(existsSync(made)).toBe(false);
    expect((await stat(renamed)).isDirectory()).toBe(true);

    // A tree: nested folders, files, and a link pointing outside the tree that must survive.
    const outside = await scratch('outside');
    await writeFile(join(outside, 'keep.txt'), 'keep me');
    await mkdir(join(renamed, 'a', 'b', 'c'), { recursive: true });
    for (let i = 0; i < 40; i++) await writeFile(join(renamed, 'a', i % 2 ? 'b' : '.', `f ${i}.txt`), String(i));
    await writeFile(join(renamed, 'a', 'b', 'c', 'deep'), 'deep');
    await symlink(outside, join(renamed, 'a', 'link-out'));
    await writeFile(join(dir, 'single file.txt'), 'one');
    await symlink(outside, join(dir, 'top-link'));

    await files.remove(ref, [renamed, join(dir, 'single file.txt'), join(dir, 'top-link')]);
    expect(await readdir(dir)).toEqual([]);
    // Links were removed as links: what they pointed at is untouched.
    expect(await readdir(outside)).toEqual(['keep.txt']);
    expect((await lstat(join(outside, 'keep.txt'))).size).toBe(7);
  });

  it('refuses to overwrite by mkdir or rename, and says what is missing', async () => {
    const { files, ref } = await rig();
    const dir = await scratch('errors');
    await mkdir(join(dir, 'taken'));
    await writeFile(join(dir, 'file.txt'), 'mine');
    await writeFile(join(dir, 'other.txt'), 'other');

    const exists = await caught(files.mkdir(ref, join(dir, 'taken')));
    expect(exists.code).toBe('REMOTE_EXISTS');
    expect(exists.message).toContain(join(dir, 'taken'));
    expect(exists.hint).toBeTruthy();
    expect((await caught(files.mkdir(ref, join(dir, 'file.txt')))).code).toBe('REMOTE_EXISTS');

    const clash = await caught(files.rename(ref, join(dir, 'file.txt'), join(dir, 'other.txt')));
    expect(clash.code).toBe('REMOTE_EXISTS');
    // Nothing was replaced.
    expect((await stat(join(dir, 'other.txt'))).size).toBe(5);
    expect((await stat(join(dir, 'file.txt'))).size).toBe(4);
    expect((await caught(files.rename(ref, join(dir, 'file.txt'), join(dir, 'taken')))).code).toBe('REMOTE_EXISTS');

    const missing = await caught(files.list(ref, join(dir, 'no such folder')));
    expect(missing.code).toBe('REMOTE_NOT_FOUND');
    expect(missing.message).toContain('no such folder');
    expect(missing.hint).toBeTruthy();
    expect((await caught(files.rename(ref, join(dir, 'ghost'), join(dir, 'ghost2')))).code).toBe('REMOTE_NOT_FOUND');
    expect((await caught(files.remove(ref, [join(dir, 'ghost')]))).code).toBe('REMOTE_NOT_FOUND');
    expect((await caught(files.mkdir(ref, join(dir, 'no', 'parent')))).code).toBe('REMOTE_NOT_FOUND');

    const notFolder = await caught(files.list(ref, join(dir, 'file.txt')));
    expect(notFolder.message).toContain('is a file, not a folder');
    expect((await caught(files.remove(ref, ['/']))).code).toBe('INVALID_ARGUMENT');
  });

  it('maps "permission denied" to a hint about sudo and ownership', async () => {
    const { files, ref } = await rig();
    // The rig logs in as the user running the tests, often root, whom chmod does not stop; sysfs refuses
    // everyone, root included, so the denial is real either way.
    const denied = await caught(files.mkdir(ref, '/sys/hangar-test-folder'));
    expect(denied.code).toBe('REMOTE_PERMISSION_DENIED');
    expect(denied.message).toContain('/sys/hangar-test-folder');
    expect(denied.hint).toMatch(/sudo/);
    expect(denied.hint).toMatch(/owns/);
  });

  it('keeps one connection across calls while idle for a little, then lets it go', async () => {
    const { files, connections, ref, instanceId } = await rig({ idleMs: 300 });
    await files.home(ref);
    const first = connections.peek(instanceId);
    expect(first).toBeDefined();
    await files.list(ref, '.');
    // Same connection: no new handshake per click.
    expect(connections.peek(instanceId)).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(connections.peek(instanceId)).toBeUndefined();
    // And the next call connects again.
    expect((await files.list(ref, '.')).path).toBe(sshd.home);
  });

  it('reconnects after the link dropped', async () => {
    const { files, ref } = await rig();
    await files.list(ref, '.');
    await sshd.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await files.list(ref, '.')).path).toBe(sshd.home);
  });

  it('stops a recursive delete when cancelled', async () => {
    const { files, ref } = await rig();
    const dir = await scratch('cancel');
    for (let i = 0; i < 20; i++) {
      await mkdir(join(dir, `d${i}`));
      for (let j = 0; j < 20; j++) await writeFile(join(dir, `d${i}`, `f${j}`), '');
    }
    const controller = new AbortController();
    controller.abort();
    expect((await caught(files.remove(ref, [dir], controller.signal))).code).toBe('CANCELLED');
    expect((await readdir(dir)).length).toBe(20);
  });

  it('stops a recursive delete that is under way, leaving the rest', async () => {
    const { files, ref } = await rig();
    const dir = await scratch('cancel-midway');
    for (let i = 0; i < 60; i++) {
      await mkdir(join(dir, `d${i}`));
      await Promise.all(Array.from({ length: 30 }, (_, j) => writeFile(join(dir, `d${i}`, `f${j}`), '')));
    }
    const controller = new AbortController();
    // Cancel as soon as the first folder is gone: the delete is then certainly under way.
    const watcher = setInterval(() => {
      void readdir(dir).then((names) => {
        if (names.length < 60) controller.abort();
      }, () => controller.abort());
    }, 2);
    try {
      expect((await caught(files.remove(ref, [dir], controller.signal))).code).toBe('CANCELLED');
    } finally {
      clearInterval(watcher);
    }
    const left = await readdir(dir);
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(60);
  });
});

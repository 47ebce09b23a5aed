import { argvCommand } from '../../src/main/services/ssh/remote-command';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIdleWatcherService, type IdleWatcherServiceDeps } from '../../src/main/services/idle/create-idle-watcher-service';
import type { IdleWatcherService } from '../../src/main/services/idle/idle-watcher-service';
import { settingsFromScript } from '../../src/main/services/idle/idle-settings';
import { createLogger } from '../../src/main/services/logging/logger';
import { caught } from '../support/caught';
import { createWatcherBox } from '../support/idle-watcher-box';
import { startTunnelRig, type TunnelRig } from '../support/tunnel-rig';

/**
 * Install / uninstall / status through the service, over the real sshd rig. The rig has no systemd (no
 * systemd in the container) and logs in as root, so: install against the real /run/systemd/system check
 * must refuse with IDLE_NO_SYSTEMD; the file part is tested with the unit, script and state dirs in a temp
 * dir, a directory standing for /run/systemd/system, and a `systemctl` stand-in that records its calls.
 */
let rig: TunnelRig;
let root: string;
let dirs: { unitDir: string; binDir: string; stateDir: string };
let systemctlCalls: string;
let fakeSystemctl: string;
let service: IdleWatcherService;
const rule = { idleMinutes: 45, cpuLoad: 0.5, gpuPercent: 10, jupyterMinutes: 15 };

function make(extra: Partial<IdleWatcherServiceDeps> = {}): IdleWatcherService {
  return createIdleWatcherService({
    connections: rig.connections,
    logger: createLogger({ level: 'warn', sink: () => undefined }),
    ...dirs,
    systemctl: fakeSystemctl,
    systemdMarker: join(root, 'run-systemd-system'),
    ...extra,
  });
}

const calls = async (): Promise<string[]> => (existsSync(systemctlCalls) ? (await readFile(systemctlCalls, 'utf8')).split('\n').filter(Boolean) : []);
const hangarFiles = async (): Promise<string[]> =>
  [...(await readdir(dirs.unitDir).catch(() => [])), ...(await readdir(dirs.binDir).catch(() => []))].filter((n) => n.startsWith('hangar-idle')).sort();

beforeAll(async () => {
  rig = await startTunnelRig();
  root = await mkdtemp(join(tmpdir(), 'hangar-idle-svc-'));
  await mkdir(join(root, 'run-systemd-system'));
  fakeSystemctl = join(root, 'bin', 'systemctl');
  systemctlCalls = join(root, 'systemctl.calls');
  await mkdir(join(root, 'bin'));
  await writeFile(fakeSystemctl, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${systemctlCalls}'\n[ "$1" = is-active ] && echo active\nexit 0\n`);
  await chmod(fakeSystemctl, 0o755);
});

afterAll(async () => {
  await rig?.stop();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  const run = await mkdtemp(join(root, 'run-'));
  dirs = { unitDir: join(run, 'etc/systemd/system'), binDir: join(run, 'usr/local/bin'), stateDir: join(run, 'var/lib/hangar-idle') };
  await rm(systemctlCalls, { force: true });
  service = make();
});

describe('idle watcher service over SSH (real sshd rig)', () => {
  it('refuses plainly where systemd is not running, and writes nothing', async () => {
    // No /run/systemd/system on the instance (what sd_booted checks): a marker that does not exist.
    const error = await caught(make({ systemdMarker: join(root, 'no-run-systemd-system') }).install(rig.ref, rule));
    expect(error.code).toBe('IDLE_NO_SYSTEMD');
    expect(error.message).toBe('gpu-1 does not run systemd, so the idle watcher (a systemd timer) cannot be installed there.');
    expect(error.hint).toContain('CloudWatch alarm');
    expect(await hangarFiles()).toEqual([]);
    expect(await calls()).toEqual([]);
  });

  it('also refuses when the machine has no systemctl', async () => {
    const error = await caught(make({ systemctl: join(root, 'bin', 'no-systemctl') }).install(rig.ref, rule));
    expect(error.code).toBe('IDLE_NO_SYSTEMD');
  });

  it('installs the script and both units, enables the timer, and reports the rule', async () => {
    const status = await service.install(rig.ref, rule);
    expect(status).toMatchObject({ installed: true, partial: false, settings: rule, timer: 'active' });
    expect(await hangarFiles()).toEqual(['hangar-idle-watcher', 'hangar-idle-watcher.service', 'hangar-idle-watcher.timer']);
    expect(await calls()).toEqual(['daemon-reload', 'enable --now hangar-idle-watcher.timer', 'is-active hangar-idle-watcher.timer']);

    const script = join(dirs.binDir, 'hangar-idle-watcher');
    expect((await stat(script)).mode & 0o777).toBe(0o755);
    expect((await stat(join(dirs.unitDir, 'hangar-idle-watcher.timer'))).mode & 0o777).toBe(0o644);
    const text = await readFile(script, 'utf8');
    expect(settingsFromScript(text)).toEqual(rule);
    expect(text).toContain(`\ndefault_state_dir=${dirs.stateDir}\n`);
    expect(await readFile(join(dirs.unitDir, 'hangar-idle-watcher.service'), 'utf8')).toContain(`\nExecStart=/bin/sh ${script}\n`);
  });

  it('status shows the last decision the installed script made; a new rule replaces the old and keeps the idle clock', async () => {
    await service.install(rig.ref, rule);
    expect((await service.status(rig.ref)).lastDecision).toBeUndefined();
    // One run of the installed script as the timer would start it, its outside world replaced by a box's
    // stand-ins, except the state dir: the one written into the script is used.
    const box = await createWatcherBox('');
    const { connection } = await rig.connections.acquire(rig.ref);
    try {
      const { HANGAR_IDLE_STATE_DIR: _ignored, ...env } = box.env();
      const argv = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), '/bin/sh', join(dirs.binDir, 'hangar-idle-watcher')];
      const { code, stdout } = await connection.run(argvCommand(argv), 30_000);
      expect(code, stdout).toBe(0);
    } finally {
      connection.release();
      await box.cleanup();
    }
    const status = await service.status(rig.ref);
    expect(status).toMatchObject({ installed: true, lastDecision: 'idle', lastReason: 'no GPU, no kernels, no sessions, load 0.00' });
    expect(Date.parse(status.lastCheckedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const state = await readFile(join(dirs.stateDir, 'state'), 'utf8');

    const again = await service.install(rig.ref, { ...rule, idleMinutes: 90 });
    expect(again.settings).toEqual({ ...rule, idleMinutes: 90 });
    expect(await readFile(join(dirs.stateDir, 'state'), 'utf8')).toBe(state);
  });

  it('uninstall disables the timer and removes every file it installed and the state dir', async () => {
    await service.install(rig.ref, rule);
    await mkdir(dirs.stateDir, { recursive: true });
    await writeFile(join(dirs.stateDir, 'state'), 'decision=idle\nreason=no GPU\n');
    await rm(systemctlCalls, { force: true });

    const status = await service.uninstall(rig.ref);
    expect(status).toMatchObject({ installed: false, partial: false });
    expect(status.lastDecision).toBeUndefined();
    expect(await hangarFiles()).toEqual([]);
    expect(existsSync(dirs.stateDir)).toBe(false);
    expect(await calls()).toEqual([
      // What is there is looked at first: nothing installed, nothing to do.
      'is-active hangar-idle-watcher.timer',
      'disable --now hangar-idle-watcher.timer',
      'stop hangar-idle-watcher.service',
      'daemon-reload',
      'reset-failed hangar-idle-watcher.service hangar-idle-watcher.timer',
      'is-active hangar-idle-watcher.timer',
    ]);
    // Nothing there: nothing to do, and no error.
    await rm(systemctlCalls, { force: true });
    expect(await service.uninstall(rig.ref)).toMatchObject({ installed: false });
    expect(await calls()).toEqual(['is-active hangar-idle-watcher.timer']);
  });

  it('refuses when EC2 says a shutdown from inside terminates the instance', async () => {
    const asked: string[] = [];
    const svc = make({ shutdownBehaviour: async (ref) => (asked.push(ref.instanceId), 'terminate') });
    const error = await caught(svc.install(rig.ref, rule));
    expect(error.code).toBe('IDLE_SHUTDOWN_TERMINATES');
    expect(error.message).toContain('would delete it instead of stopping it');
    expect(asked).toEqual([rig.instanceId]);
    expect(await hangarFiles()).toEqual([]);
    await expect(make({ shutdownBehaviour: async () => 'stop' }).install(rig.ref, rule)).resolves.toMatchObject({ installed: true });
  });

  it('refuses a rule out of range before touching the instance', async () => {
    const error = await caught(service.install(rig.ref, { ...rule, idleMinutes: 2 }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'idleMinutes' } });
    expect(await calls()).toEqual([]);
  });

  it('without sudo: IDLE_NO_SUDO, the files staged in the home folder, and a hint whose commands work', async () => {
    // Whether or not this machine has sudo, the instance under test has none.
    const noSudo = { sudoEvenAsRoot: true, sudoProbe: join(root, 'bin', 'no-sudo') };
    const error = await caught(make(noSudo).install(rig.ref, rule));
    expect(error.code).toBe('IDLE_NO_SUDO');
    expect(error.message).toBe('Hangar cannot install the idle watcher on gpu-1: the instance has no sudo, and it needs root to add a systemd timer.');
    const staged = join(rig.home, '.hangar', 'idle-watcher');
    expect((await readdir(staged)).sort()).toEqual(['hangar-idle-watcher', 'hangar-idle-watcher.service', 'hangar-idle-watcher.timer']);
    expect(await hangarFiles()).toEqual([]);
    const commands = String(error.details?.commands);
    expect(error.hint).toContain(commands);
    expect(commands).toBe(
      `sudo install -m 0755 ${staged}/hangar-idle-watcher ${dirs.binDir}/hangar-idle-watcher && ` +
        `sudo install -m 0644 ${staged}/hangar-idle-watcher.service ${staged}/hangar-idle-watcher.timer ${dirs.unitDir}/ && ` +
        'sudo systemctl daemon-reload && sudo systemctl enable --now hangar-idle-watcher.timer',
    );

    // What the administrator pastes, with a `sudo` that just runs the command and the systemctl stand-in.
    const adminBin = join(root, 'admin-bin');
    await mkdir(adminBin, { recursive: true });
    await writeFile(join(adminBin, 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    await writeFile(join(adminBin, 'systemctl'), `#!/bin/sh\nexec ${fakeSystemctl} "$@"\n`, { mode: 0o755 });
    await mkdir(dirs.unitDir, { recursive: true });
    await mkdir(dirs.binDir, { recursive: true });
    const { connection } = await rig.connections.acquire(rig.ref);
    try {
      const { code, stdout } = await connection.run(argvCommand(['env', `PATH=${adminBin}:/usr/bin:/bin`, '/bin/sh', '-c', commands]), 30_000);
      expect(code, stdout).toBe(0);
    } finally {
      connection.release();
    }
    expect(await service.status(rig.ref)).toMatchObject({ installed: true, settings: rule, timer: 'active' });

    // Removing needs root too: the hint then lists the removal commands; the staged copies are gone already.
    const removal = await caught(make(noSudo).uninstall(rig.ref));
    expect(removal.code).toBe('IDLE_NO_SUDO');
    expect(removal.hint).toContain(`sudo rm -f ${dirs.binDir}/hangar-idle-watcher`);
    expect(existsSync(staged)).toBe(false);
  });
});

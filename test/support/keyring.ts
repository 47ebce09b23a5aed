import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWNER_FILE, sweepStaleDirs } from './stale-dirs';
import { requireBinary } from './system-deps';

/**
 * A real freedesktop Secret Service for tests: a private D-Bus session bus plus gnome-keyring-daemon, with
 * HOME / XDG_* pointing into a temp dir so the real user's keyring is never read or written.
 *
 * The keyring runs inside `dbus-run-session`, given a bus config of our own: the system's session config
 * has service activation, which would auto-start a second, locked gnome-keyring (or a GUI prompter) if
 * anything asked for org.freedesktop.secrets before ours was up. Our bus has no activatable services (so a
 * prompt fails fast instead of hanging), and everything dies with us (pdeathsig) if the worker is killed.
 *
 * Gotcha for callers: libsecret (under keytar) connects to the bus on its first call and keeps that
 * connection for the life of the process. Call apply() before the first keytar call, use one keyring
 * per process, and expect keytar calls after stop() to fail ("The connection is closed").
 */

export interface Keyring {
  /** What a child process needs to reach this keyring (e.g. `secret-tool` or another keytar process). */
  readonly env: { readonly DBUS_SESSION_BUS_ADDRESS: string };
  /** Temp dir holding the bus socket and the keyring files (`data/keyrings/login.keyring`). */
  readonly dir: string;
  /** Points this process at the keyring; must happen before the first keytar/libsecret call. */
  apply(): void;
  stop(): Promise<void>;
}

const DIR_PREFIX = 'hangar-keyring-';
const SECRETS_NAME = 'org.freedesktop.secrets';
const SECRETS_PATH = '/org/freedesktop/secrets';
const LOGIN_COLLECTION = '/org/freedesktop/secrets/collection/login';

export async function startKeyring(): Promise<Keyring> {
  const dbusDaemon = requireBinary('dbus-daemon', 'dbus');
  const dbusSend = requireBinary('dbus-send', 'dbus');
  const keyringDaemon = requireBinary('gnome-keyring-daemon', 'gnome-keyring');
  const dbusRunSession = requireBinary('dbus-run-session', 'dbus');
  const setpriv = requireBinary('setpriv', 'util-linux');

  await sweepStaleDirs(DIR_PREFIX);
  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  const privateDirs = {
    HOME: join(dir, 'home'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_RUNTIME_DIR: join(dir, 'runtime'),
  };
  // 0700: the XDG spec requires a private runtime dir, and the keyring files live here too.
  for (const path of Object.values(privateDirs)) await mkdir(path, { recursive: true, mode: 0o700 });
  const isolatedEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...privateDirs };

  const logChunks: string[] = [];
  const children: ChildProcess[] = [];
  let stopped = false;
  let previousAddress: string | undefined;
  let applied = false;
  let keyringProcess = 0;

  const emergencyCleanup = (): void => {
    for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Nothing more can be done while the process exits.
    }
  };
  process.once('exit', emergencyCleanup);

  const start = (file: string, args: string[], env: Record<string, string>): ChildProcess => {
    const child = spawn(setpriv, ['--pdeathsig', 'SIGKILL', '--', file, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => logChunks.push(text));
    child.once('error', (error) => logChunks.push(`${file}: ${error.message}\n`));
    children.push(child);
    return child;
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      // End the keyring; dbus-run-session then stops its bus and exits by itself.
      if (keyringProcess > 0) {
        try {
          process.kill(keyringProcess, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      for (const child of [...children].reverse()) await terminate(child);
    } finally {
      process.removeListener('exit', emergencyCleanup);
      if (applied) {
        if (previousAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
        else process.env.DBUS_SESSION_BUS_ADDRESS = previousAddress;
      }
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    const configPath = join(dir, 'session-bus.conf');
    await writeFile(configPath, busConfig(join(dir, 'bus')));
    // dbus-run-session owns the bus: it starts dbus-daemon with our config (no service activation, so
    // nothing else is ever auto-started on it) and tears the bus down when its child, the keyring, exits.
    // The child shell prints the bus address and its own pid (which `exec` hands to the keyring), then
    // --unlock reads the login password from stdin: on a fresh XDG_DATA_HOME that creates the `login`
    // keyring, unlocked, and gnome-keyring makes `login` the `default` alias libsecret writes to.
    const session = start(
      dbusRunSession,
      [
        `--config-file=${configPath}`,
        `--dbus-daemon=${dbusDaemon}`,
        '--',
        '/bin/sh',
        '-c',
        'echo "$DBUS_SESSION_BUS_ADDRESS $$"; exec "$0" --foreground --unlock --components=secrets',
        keyringDaemon,
      ],
      isolatedEnv,
    );
    session.stdin?.end('hangar-test-keyring');
    const [address = '', keyringPid = ''] = (await firstLine(session, 10_000, () => logChunks.join(''))).split(' ');
    keyringProcess = Number(keyringPid);
    session.stdout?.resume();
    const env = { DBUS_SESSION_BUS_ADDRESS: address };
    const keyring = session;

    await waitUntilReady(dbusSend, address, keyring, () => logChunks.join(''));

    return {
      env,
      dir,
      apply: () => {
        if (!applied) previousAddress = process.env.DBUS_SESSION_BUS_ADDRESS;
        applied = true;
        // Node writes through to the C environ, which is where GDBus (inside libsecret) looks.
        process.env.DBUS_SESSION_BUS_ADDRESS = address;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function busConfig(socketPath: string): string {
  // A session bus with no <servicedir>: nothing is ever auto-started on it.
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socketPath}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

function firstLine(child: ChildProcess, timeoutMs: number, logs: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(() => fail(new Error(`dbus-daemon printed no bus address within ${timeoutMs} ms:\n${logs()}`)), timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      received += text;
      const newline = received.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      resolve(received.slice(0, newline).trim());
    });
    child.once('exit', (code) => fail(new Error(`dbus-daemon exited (code ${String(code)}) before printing its address:\n${logs()}`)));
  });
}

/** Ready means: our daemon owns the name, `default` resolves to the login collection, and it is unlocked. */
async function waitUntilReady(dbusSend: string, address: string, keyring: ChildProcess, logs: () => string): Promise<void> {
  const call = (dest: string, path: string, method: string, ...args: string[]): Promise<string> =>
    run(dbusSend, [`--bus=${address}`, '--print-reply', `--dest=${dest}`, path, method, ...args]);

  const deadline = Date.now() + 15_000;
  let lastProblem = 'not started';
  while (Date.now() < deadline) {
    if (!isRunning(keyring)) throw new Error(`gnome-keyring-daemon exited during start-up:\n${logs()}`);
    try {
      const owned = await call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${SECRETS_NAME}`);
      if (!/boolean true/.test(owned)) {
        lastProblem = `${SECRETS_NAME} has no owner yet`;
      } else {
        const alias = await call(SECRETS_NAME, SECRETS_PATH, 'org.freedesktop.Secret.Service.ReadAlias', 'string:default');
        const locked = await call(
          SECRETS_NAME,
          LOGIN_COLLECTION,
          'org.freedesktop.DBus.Properties.Get',
          'string:org.freedesktop.Secret.Collection',
          'string:Locked',
        );
        if (!alias.includes(`"${LOGIN_COLLECTION}"`)) lastProblem = `default alias is not the login keyring: ${alias}`;
        else if (!/boolean false/.test(locked)) lastProblem = 'login keyring is locked';
        else return;
      }
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Secret Service not ready within 15 s (${lastProblem}):\n${logs()}`);
}

async function terminate(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Give dbus-run-session a moment to notice its child is gone and stop its bus cleanly.
  const early = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1000))]);
  if (early) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', timeout: 5000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve(stdout);
    });
  });
}

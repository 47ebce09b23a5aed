import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { OWNER_FILE, sweepStaleDirs } from './stale-dirs';
import { requireBinary } from './system-deps';

/**
 * A real OpenSSH server per test suite, on 127.0.0.1 and a random port, living entirely in a temp dir.
 *
 * Process shape, which drives the cleanup code below: the listener (`sshd -D`, our direct child) forks one
 * child per connection, and that child calls setsid(), so it is NOT in the listener's process group.
 * Killing the group is therefore not enough; connections are found through /proc (PPid links).
 * PID 1 in our containers reaps orphans only every few seconds, so a process whose parent dies first shows up
 * as a zombie `sshd` in pgrep for a while: trees are killed leaves first, letting each sshd reap its children.
 * (OpenSSH itself orphans a pre-auth child when a login fails; those zombies, too, are gone in seconds.)
 */

export type SshKeyType = 'ed25519' | 'rsa' | 'ecdsa';

export interface GenerateKeyPairOptions {
  /** ssh-keygen refuses passphrases shorter than 5 characters. */
  passphrase?: string;
  /** 'pem' writes the legacy "BEGIN RSA/EC PRIVATE KEY" form; OpenSSH has none for ed25519. */
  format?: 'openssh' | 'pem';
  comment?: string;
  /** Keep the files here (as `<dir>/<name>` and `.pub`); without it they are deleted after reading. */
  dir?: string;
  name?: string;
}

export interface GeneratedKeyPair {
  type: SshKeyType;
  privateKey: string;
  /** `<algorithm> <base64>` without the comment, as it would go into authorized_keys or known_hosts. */
  publicKey: string;
  /** 'SHA256:…' exactly as `ssh-keygen -l -E sha256` prints it. */
  fingerprintSha256: string;
  /** Set only when `dir` was given. */
  privateKeyPath: string | undefined;
}

export interface SshdOptions {
  hostKeyType?: SshKeyType;
  /** Also create and authorise an RSA user key in PEM form (PKCS#1, as the AWS console's .pem files are). */
  rsaPemUserKey?: boolean;
  /**
   * Extra sshd_config lines. They are written BEFORE the defaults because sshd keeps the first value it
   * reads for a keyword, so they override. No `Match` blocks (those must come last).
   */
  extraConfig?: readonly string[];
  /**
   * Make the SFTP subsystem log each file it closes (`close "<path>" bytes read N written M`) into logs():
   * the server's own account of what a transfer wrote. internal-sftp can only log to syslog or to the
   * client, so this runs the sftp-server binary with its stderr appended to `<dir>/sftp.log`.
   */
  sftpLog?: boolean;
  /** Loopback address to listen on, e.g. '127.0.0.2' (any 127.x.y.z works on Linux). Default 127.0.0.1. */
  listenHost?: string;
  /** A fixed port (e.g. 22, as root) instead of a random free one; fails if it is taken. */
  port?: number;
  /** Public key lines authorised from the start, besides the rig's own user keys. */
  authorizedKeys?: readonly string[];
  /**
   * Start with this host key (OpenSSH private key text, of `hostKeyType`) instead of a fresh one, e.g. to
   * bring a machine back up with the identity it had. `replaceHostKey()` still makes a new one.
   */
  hostPrivateKey?: string;
  /**
   * Log in as this existing local user instead of the one running the tests (root only), e.g. a user whose
   * login shell is fish. The rig's folder becomes traversable by it and its home and keys readable by it;
   * the home is handed to the user (`uid` / `gid`), so sessions write there as that user.
   */
  loginUser?: string;
  /**
   * More variables for every session, next to HOME (sshd keeps only its first SetEnv line, so they go on
   * the rig's own). E.g. a PATH that puts a test's wrapper commands first. Values may not contain spaces.
   */
  env?: Readonly<Record<string, string>>;
}

export interface Sshd {
  /** '127.0.0.1' unless `listenHost` said otherwise. */
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** The login user's ids: what files made for it in `home` should be owned by. */
  readonly uid: number;
  readonly gid: number;
  /** ed25519, OpenSSH format, unencrypted. */
  readonly userPrivateKey: string;
  readonly userPublicKey: string;
  readonly userKeyPath: string;
  readonly rsaPemUserKey: GeneratedKeyPair | undefined;
  readonly hostKeyType: SshKeyType;
  /** Current host key; changes after replaceHostKey(). */
  readonly hostKeyFingerprintSha256: string;
  readonly hostPublicKey: string;
  readonly dir: string;
  /**
   * The remote $HOME and working directory (`<dir>/home`) for commands, shells and SFTP, so sessions never
   * run the real user's dotfiles nor write into the real home. sshd itself still logs in the real user.
   */
  readonly home: string;
  /** sshd's own log (LogLevel VERBOSE), across restarts. Print it when a test fails. */
  logs(): string;
  /** Appends a public key line to the AuthorizedKeysFile; sshd reads it per connection. */
  authorizeKey(publicKey: string): Promise<void>;
  /**
   * Replaces the second authorized keys file, which only this method writes: the keys an EC2 Instance
   * Connect push authorises for a while (the simulator puts them in and takes them out).
   */
  setPushedKeys(publicKeys: readonly string[]): Promise<void>;
  /** New host key of the same type, sshd restarted on the same port. Open connections are dropped. */
  replaceHostKey(): Promise<string>;
  /** Kills every connection's sshd processes (and their shells) but keeps the listener: a dead link. */
  dropConnections(): Promise<void>;
  /** Listener plus every descendant, for leak checks. */
  processIds(): number[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const LOG_LIMIT = 1_000_000;
const DIR_PREFIX = 'hangar-sshd-';

export async function generateKeyPair(type: SshKeyType, options: GenerateKeyPairOptions = {}): Promise<GeneratedKeyPair> {
  const sshKeygen = requireBinary('ssh-keygen', 'openssh-client');
  if (options.format === 'pem' && type === 'ed25519') {
    // ssh-keygen would silently write the OpenSSH format instead; say so rather than hand back a surprise.
    throw new Error('OpenSSH has no PEM form for ed25519 keys: use rsa or ecdsa with format "pem"');
  }
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'hangar-key-')));
  const path = join(dir, options.name ?? `id_${type}`);
  try {
    const args = ['-q', '-t', type, '-N', options.passphrase ?? '', '-C', options.comment ?? `hangar-test-${type}`, '-f', path];
    // Smallest sizes OpenSSH accepts keep suites fast; strength is not the point here.
    if (type === 'rsa') args.push('-b', '2048');
    if (type === 'ecdsa') args.push('-b', '256');
    if (options.format === 'pem') args.push('-m', 'PEM');
    await run(sshKeygen, args);
    const privateKey = await readFile(path, 'utf8');
    const publicKey = stripComment(await readFile(`${path}.pub`, 'utf8'));
    const fingerprintSha256 = await fingerprintOf(sshKeygen, `${path}.pub`);
    return { type, privateKey, publicKey, fingerprintSha256, privateKeyPath: options.dir === undefined ? undefined : path };
  } finally {
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const sshdPath = requireBinary('/usr/sbin/sshd', 'openssh-server');
  const sshKeygen = requireBinary('ssh-keygen', 'openssh-client');
  const setpriv = requireBinary('setpriv', 'util-linux');
  const hostKeyType = options.hostKeyType ?? 'ed25519';
  const host = options.listenHost ?? HOST;
  const username = options.loginUser ?? userInfo().username;
  const isRoot = process.getuid?.() === 0;
  if (options.loginUser !== undefined && !isRoot) throw new Error('startSshd: loginUser needs the tests to run as root');

  // sshd running as root insists on its privilege-separation chroot dir.
  if (isRoot) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  // sshd re-executes itself per connection and needs -f to be absolute; TMPDIR could be relative.
  await sweepStaleDirs(DIR_PREFIX);
  const dir = resolvePath(await mkdtemp(join(tmpdir(), DIR_PREFIX)));
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  const configPath = join(dir, 'sshd_config');
  const hostKeyPath = join(dir, `ssh_host_${hostKeyType}_key`);
  const authorizedKeysPath = join(dir, 'authorized_keys');
  const pushedKeysPath = join(dir, 'pushed_keys');
  const home = join(dir, 'home');
  const sftpServer = options.sftpLog === true ? requireBinary('/usr/lib/openssh/sftp-server', 'openssh-sftp-server') : undefined;

  const logChunks: string[] = [];
  let logSize = 0;
  const log = (text: string): void => {
    if (logSize > LOG_LIMIT) return;
    logChunks.push(text);
    logSize += text.length;
  };

  let listener: ChildProcess | undefined;
  let listenerExit: Promise<void> = Promise.resolve();
  let stopped = false;

  const emergencyCleanup = (): void => {
    if (listener?.pid !== undefined && listener.exitCode === null && listener.signalCode === null) {
      killTreeNow(listener.pid);
    }
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Nothing more can be done while the process exits.
    }
  };
  process.once('exit', emergencyCleanup);

  const hostKey = { publicKey: '', fingerprint: '' };
  let givenHostKey = options.hostPrivateKey;
  const makeHostKey = async (): Promise<void> => {
    await rm(hostKeyPath, { force: true });
    await rm(`${hostKeyPath}.pub`, { force: true });
    if (givenHostKey === undefined) {
      await run(sshKeygen, ['-q', '-t', hostKeyType, ...keySizeArgs(hostKeyType), '-N', '', '-C', 'hangar-test-host', '-f', hostKeyPath]);
    } else {
      await writeFile(hostKeyPath, givenHostKey.endsWith('\n') ? givenHostKey : `${givenHostKey}\n`, { mode: 0o600 });
      await writeFile(`${hostKeyPath}.pub`, await run(sshKeygen, ['-y', '-f', hostKeyPath]));
      givenHostKey = undefined;
    }
    hostKey.publicKey = stripComment(await readFile(`${hostKeyPath}.pub`, 'utf8'));
    hostKey.fingerprint = await fingerprintOf(sshKeygen, `${hostKeyPath}.pub`);
  };

  const launch = async (port: number): Promise<void> => {
    await writeFile(
      configPath,
      sshdConfig({ host, port, dir, home, hostKeyPath, authorizedKeysPath, pushedKeysPath, username, extra: options.extraConfig ?? [], sftpLog: sftpServer, env: options.env ?? {} }),
    );
    log(`--- starting sshd on ${host}:${port} ---\n`);
    // pdeathsig: if the test worker is killed outright, the listener goes with it instead of lingering.
    const child = spawn(setpriv, ['--pdeathsig', 'SIGKILL', '--', sshdPath, '-D', '-e', '-f', configPath], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    child.stdout?.setEncoding('utf8').on('data', log);
    child.stderr?.setEncoding('utf8').on('data', log);
    listener = child;
    listenerExit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        log(`--- sshd exited (code ${String(code)}, signal ${String(signal)}) ---\n`);
        resolve();
      });
      child.once('error', (error) => {
        log(`--- sshd failed to start: ${error.message} ---\n`);
        resolve();
      });
    });
    await waitForBanner(host, port, child, listenerExit, () => logChunks.join(''));
  };

  const stopListener = async (): Promise<void> => {
    const child = listener;
    if (child?.pid === undefined) return;
    if (child.exitCode === null && child.signalCode === null) {
      await killDescendants(child.pid);
      signalGroup(child.pid, 'SIGTERM');
      if (!(await within(listenerExit, 3000))) {
        signalGroup(child.pid, 'SIGKILL');
        await listenerExit;
      }
    }
    listener = undefined;
  };

  try {
    await makeHostKey();
    const userKey = await generateKeyPair('ed25519', { dir, name: 'id_ed25519', comment: `${username}@hangar-test` });
    const rsaPemUserKey = options.rsaPemUserKey
      ? await generateKeyPair('rsa', { dir, name: 'id_rsa_pem', format: 'pem', comment: `${username}@hangar-test-rsa` })
      : undefined;
    await writeHome(home);
    const authorized = [userKey.publicKey, rsaPemUserKey?.publicKey, ...(options.authorizedKeys ?? []).map((k) => k.trim())];
    await writeFile(authorizedKeysPath, authorized.filter(Boolean).join('\n') + '\n', {
      mode: 0o600,
    });
    await writeFile(pushedKeysPath, '', { mode: 0o644 });
    if (options.loginUser !== undefined) {
      // sshd reads authorized_keys as the user, and the session lives in the rig's home as that user.
      await chmod(dir, 0o711);
      await chmod(authorizedKeysPath, 0o644);
      await run('chown', ['-R', `${options.loginUser}:`, home]);
    }
    const owner = await stat(home);

    let port: number;
    if (options.port === undefined) {
      port = await launchOnFreePort(host, launch, stopListener, () => logChunks.join(''));
    } else {
      port = options.port;
      await launch(port);
    }

    const sshd: Sshd = {
      host,
      port,
      username,
      uid: owner.uid,
      gid: owner.gid,
      userPrivateKey: userKey.privateKey,
      userPublicKey: userKey.publicKey,
      userKeyPath: join(dir, 'id_ed25519'),
      rsaPemUserKey,
      hostKeyType,
      get hostKeyFingerprintSha256() {
        return hostKey.fingerprint;
      },
      get hostPublicKey() {
        return hostKey.publicKey;
      },
      dir,
      home,
      logs: () => logChunks.join('') + (sftpServer === undefined ? '' : readSftpLog(dir)),
      authorizeKey: async (publicKey) => {
        await appendFile(authorizedKeysPath, `${publicKey.trim()}\n`);
      },
      setPushedKeys: async (publicKeys) => {
        // Written aside and renamed over: sshd never reads a half-written file.
        const next = `${pushedKeysPath}.next`;
        await writeFile(next, publicKeys.map((k) => `${k.trim()}\n`).join(''), { mode: 0o644 });
        await rename(next, pushedKeysPath);
      },
      replaceHostKey: async () => {
        if (stopped) throw new Error('sshd was stopped');
        await stopListener();
        await makeHostKey();
        await launch(port);
        return hostKey.fingerprint;
      },
      dropConnections: async () => {
        if (listener?.pid !== undefined) await killDescendants(listener.pid);
      },
      processIds: () => {
        const pid = listener?.pid;
        if (pid === undefined) return [];
        return [pid, ...descendantsOf(pid, readProcessTable())];
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        try {
          await stopListener();
        } finally {
          process.removeListener('exit', emergencyCleanup);
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
    return sshd;
  } catch (error) {
    stopped = true;
    await stopListener().catch(() => undefined);
    process.removeListener('exit', emergencyCleanup);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface ConfigInput {
  host: string;
  port: number;
  dir: string;
  home: string;
  hostKeyPath: string;
  authorizedKeysPath: string;
  pushedKeysPath: string;
  username: string;
  extra: readonly string[];
  sftpLog: string | undefined;
  env: Readonly<Record<string, string>>;
}

function sshdConfig(input: ConfigInput): string {
  return [
    ...input.extra,
    `ListenAddress ${input.host.includes(":") ? `[${input.host}]` : input.host}:${input.port}`,
    `HostKey ${input.hostKeyPath}`,
    `PidFile ${join(input.dir, 'sshd.pid')}`,
    // ~/.ssh/authorized_keys as on a real instance: what a cluster set-up installs there is honoured.
    `AuthorizedKeysFile ${input.authorizedKeysPath} ${input.pushedKeysPath} ${input.home}/.ssh/authorized_keys`,
    `AllowUsers ${input.username}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    // No PAM: the login user may have a '*' password field, and there is no PAM stack to configure here.
    'UsePAM no',
    // Temp dirs and keys have whatever modes the test machine gives them.
    'StrictModes no',
    'PermitTTY yes',
    'AllowTcpForwarding yes',
    'X11Forwarding no',
    'PrintMotd no',
    // lastlog is not writable when not root, and its text would pollute shell output.
    'PrintLastLog no',
    'UseDNS no',
    'MaxStartups 100',
    'MaxSessions 100',
    'LogLevel VERBOSE',
    // The real home's rc files are not ours to run: on dev machines they may be slow (pyenv rehash takes
    // a lock file; a session killed mid-way leaves it stale and every later shell waits 60 s on it).
    `SetEnv ${[`HOME=${input.home}`, ...Object.entries(input.env).map(([name, value]) => setEnvWord(name, value))].join(' ')}`,
    input.sftpLog === undefined
      ? `Subsystem sftp internal-sftp -d ${input.home}`
      : `Subsystem sftp ${input.sftpLog} -e -l INFO -d ${input.home} 2>>${join(input.dir, 'sftp.log')}`,
    '',
  ].join('\n');
}

function setEnvWord(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /[\s"'\\]/.test(value)) throw new Error(`startSshd: env ${name} cannot be written as a SetEnv word`);
  return `${name}=${value}`;
}

async function launchOnFreePort(
  host: string,
  launch: (port: number) => Promise<void>,
  stopListener: () => Promise<void>,
  logs: () => string,
): Promise<number> {
  // The port is free when we ask, but another process may take it before sshd binds: try again then.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(host);
    try {
      await launch(port);
      return port;
    } catch (error) {
      await stopListener();
      if (attempt >= 5 || !/Address already in use|Cannot bind any address/.test(logs())) throw error;
    }
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForBanner(host: string, port: number, child: ChildProcess, exited: Promise<void>, logs: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`sshd exited before accepting connections (pid ${String(child.pid)}):\n${logs()}`);
    if (await readsSshBanner(host, port)) return;
    await sleep(50);
  }
  throw new Error(`sshd did not accept connections on ${host}:${port} within 15 s:\n${logs()}`);
}

/** A listening socket is not enough: the banner proves sshd itself is answering, not something else. */
function readsSshBanner(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (received.includes('\n')) finish(received.startsWith('SSH-2.0-'));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

interface ProcessEntry {
  pid: number;
  ppid: number;
  zombie: boolean;
}

function readProcessTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we were looking
    }
    // The command name is in parentheses and may itself contain spaces or ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    table.set(pid, { pid, ppid: Number(fields[1]), zombie: fields[0] === 'Z' });
  }
  return table;
}

function descendantsOf(root: number, table: Map<number, ProcessEntry>): number[] {
  const children = new Map<number, number[]>();
  for (const entry of table.values()) {
    const list = children.get(entry.ppid) ?? [];
    list.push(entry.pid);
    children.set(entry.ppid, list);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * Kills everything below `root` (not root itself), leaves first: a process is killed only once it has no
 * children left, zombie or alive, so its parent is still there to reap it. A parent that keeps forking
 * (a remote `while sleep 1` loop) never becomes a leaf: after the deadline whatever remains is killed at
 * once, and PID 1 reaps the orphans a few seconds later.
 */
async function killDescendants(root: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!killLeaves(root, Date.now() > deadline)) await sleep(20);
}

/** The same at process exit, where nothing asynchronous runs any more: blocks, with a short budget. */
function killTreeNow(root: number): void {
  const deadline = Date.now() + 1000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!killLeaves(root, Date.now() > deadline)) Atomics.wait(pause, 0, 0, 10);
  signalGroup(root, 'SIGKILL');
}

/** One pass; true when nothing is left below root (or, when late, after killing all that remains). */
function killLeaves(root: number, late: boolean): boolean {
  const table = readProcessTable();
  const below = descendantsOf(root, table);
  if (below.length === 0) return true;
  const hasChildren = new Set(below.map((pid) => table.get(pid)?.ppid));
  for (const pid of below) {
    const entry = table.get(pid);
    if (entry === undefined || entry.zombie) continue;
    if (late || !hasChildren.has(pid)) signal(pid, 'SIGKILL');
  }
  return late;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** The listener was spawned detached, so it leads its own process group. */
function signalGroup(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pid, name);
  } catch {
    signal(pid, name);
  }
}

function keySizeArgs(type: SshKeyType): string[] {
  if (type === 'rsa') return ['-b', '2048'];
  if (type === 'ecdsa') return ['-b', '256'];
  return [];
}

function stripComment(publicKeyLine: string): string {
  return publicKeyLine.trim().split(/\s+/).slice(0, 2).join(' ');
}

async function fingerprintOf(sshKeygen: string, publicKeyPath: string): Promise<string> {
  const output = await run(sshKeygen, ['-l', '-E', 'sha256', '-f', publicKeyPath]);
  const match = /\b(SHA256:[A-Za-z0-9+/]+)/.exec(output);
  if (!match?.[1]) throw new Error(`unexpected ssh-keygen -l output: ${output}`);
  return match[1];
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${stderr.trim() || error.message}`)); // args may hold a passphrase
      else resolve(stdout);
    });
  });
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * sshd always chdirs to the passwd home; these rc files move shells there instead. bash reads .bashrc for
 * commands run over ssh and .profile for login (PTY) shells.
 */
async function writeHome(home: string): Promise<void> {
  await mkdir(home, { recursive: true });
  const note = '# Written by the Hangar test sshd (test/support/sshd.ts).\n';
  await writeFile(join(home, '.bashrc'), `${note}cd "$HOME" 2>/dev/null || true\n`);
  await writeFile(join(home, '.profile'), `${note}cd "$HOME" 2>/dev/null || true\n`);
}

function readSftpLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'sftp.log'), 'utf8');
  } catch {
    return '';
  }
}

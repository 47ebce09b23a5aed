import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { generateKeyPair, startSshd, type Sshd } from '../support/sshd';
import { requireBinary } from '../support/system-deps';
import { RSA_PEM_HEADER } from '../support/key-headers';

/** What OpenSSH prints: SHA-256 of the raw key blob, base64 without padding. */
function fingerprintOf(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

interface Connected {
  client: Client;
  seenFingerprint: string;
}

const openClients = new Set<Client>();

function connectTo(sshd: Sshd, overrides: Partial<ConnectConfig> = {}, expectedFingerprint = sshd.hostKeyFingerprintSha256): Promise<Connected> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    openClients.add(client);
    let seenFingerprint = '';
    client.once('ready', () => resolve({ client, seenFingerprint }));
    client.once('error', (error) => {
      openClients.delete(client);
      reject(error);
    });
    client.connect({
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.userPrivateKey,
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => {
        seenFingerprint = fingerprintOf(key);
        return seenFingerprint === expectedFingerprint;
      },
      ...overrides,
    });
  });
}

function exec(client: Client, command: string): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let stdout = '';
      stream.on('data', (data: Buffer) => (stdout += data.toString('utf8')));
      stream.stderr.resume();
      stream.on('close', (code: number | null) => resolve({ stdout, code }));
    });
  });
}

function waitForClose(client: Client, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function isAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

describe('startSshd: a real OpenSSH server for tests', () => {
  let sshd: Sshd;

  beforeAll(async () => {
    requireBinary('/usr/sbin/sshd', 'openssh-server');
    requireBinary('ssh-keygen', 'openssh-client');
    requireBinary('setpriv', 'util-linux');
    sshd = await startSshd();
  });

  afterEach(() => {
    for (const client of openClients) client.end();
    openClients.clear();
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  function dumpLogsOnFailure(): void {
    onTestFailed(() => {
      console.error(`--- sshd log ---\n${sshd.logs()}`);
    });
  }

  it('authenticates with the user key, verifies the host key by SHA256 fingerprint and runs a command', async () => {
    dumpLogsOnFailure();
    expect(sshd.hostKeyFingerprintSha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const { client, seenFingerprint } = await connectTo(sshd);
    expect(seenFingerprint).toBe(sshd.hostKeyFingerprintSha256);

    const { stdout, code } = await exec(client, 'echo hello; printf %s "$SSH_CONNECTION"');
    expect(code).toBe(0);
    const [first, second] = stdout.split('\n');
    expect(first).toBe('hello');
    expect(second).toMatch(new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${sshd.port}$`));

    // Sessions live in the rig's home, not the real user's.
    expect((await exec(client, 'pwd; printf %s "$HOME"')).stdout).toBe(`${sshd.home}\n${sshd.home}`);
  });

  it('gives a PTY shell the requested window size', async () => {
    dumpLogsOnFailure();
    const { client } = await connectTo(sshd);
    const output = await new Promise<string>((resolve, reject) => {
      client.shell({ rows: 24, cols: 80, term: 'xterm' }, (error, stream) => {
        if (error) return reject(error);
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no stty output; got: ${JSON.stringify(text)}`)), 10_000);
        stream.on('data', (data: Buffer) => {
          text += data.toString('utf8');
          // The marker is split by quotes in what we type, so only the command's output matches it.
          const match = /SIZE=(\d+ \d+ \S+)\r?\n/.exec(text);
          if (match?.[1]) {
            clearTimeout(timer);
            stream.end('exit\n');
            resolve(match[1]);
          }
        });
        stream.write(`echo "SI""ZE=$(stty size) $(pwd)"\n`);
      });
    });
    expect(output).toBe(`24 80 ${sshd.home}`);
  });

  it('serves SFTP: a written file lands on disk with its content', async () => {
    dumpLogsOnFailure();
    const { client } = await connectTo(sshd);
    const content = `pushed by sftp ${Date.now()}\n`;
    await new Promise<void>((resolve, reject) => {
      client.sftp((error, sftp) => {
        if (error) return reject(error);
        // Relative: SFTP starts in the rig's home.
        sftp.writeFile('uploaded.txt', content, (writeError) => (writeError ? reject(writeError) : resolve()));
      });
    });
    expect(readFileSync(join(sshd.home, 'uploaded.txt'), 'utf8')).toBe(content);
  });

  it('rejects a key that is not authorised', async () => {
    dumpLogsOnFailure();
    const stranger = await generateKeyPair('ed25519');
    const error = await connectTo(sshd, { privateKey: stranger.privateKey }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error & { level?: string }).level).toBe('client-authentication');
  });

  it('accepts an encrypted key once authorised, given its passphrase', async () => {
    dumpLogsOnFailure();
    const key = await generateKeyPair('ecdsa', { passphrase: 'correct horse', format: 'pem' });
    expect(key.privateKey).toContain('ENCRYPTED');
    await sshd.authorizeKey(key.publicKey);
    const { client } = await connectTo(sshd, { privateKey: key.privateKey, passphrase: 'correct horse' });
    expect((await exec(client, 'echo ok')).stdout).toBe('ok\n');
  });

  it('dropConnections() kills open connections but keeps accepting new ones', async () => {
    dumpLogsOnFailure();
    const { client } = await connectTo(sshd);
    const closed = waitForClose(client, 10_000);
    await sshd.dropConnections();
    expect(await closed).toBe(true);

    const { client: again } = await connectTo(sshd);
    expect((await exec(again, 'echo still-here')).stdout).toBe('still-here\n');
  });

  it('replaceHostKey() keeps the port and presents a different fingerprint', async () => {
    dumpLogsOnFailure();
    const before = sshd.hostKeyFingerprintSha256;
    const port = sshd.port;
    const after = await sshd.replaceHostKey();
    expect(after).not.toBe(before);
    expect(sshd.hostKeyFingerprintSha256).toBe(after);
    expect(sshd.port).toBe(port);

    // A client that pinned the old key refuses the server and has seen the new one.
    let seen = '';
    const refused = await connectTo(sshd, {
      hostVerifier: (key: Buffer) => {
        seen = fingerprintOf(key);
        return seen === before;
      },
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(seen).toBe(after);

    const { seenFingerprint } = await connectTo(sshd);
    expect(seenFingerprint).toBe(after);
  });
});

describe('startSshd options and cleanup', () => {
  it('serves an RSA host key and accepts an RSA PEM user key', async () => {
    const sshd = await startSshd({ hostKeyType: 'rsa', rsaPemUserKey: true });
    try {
      const rsa = sshd.rsaPemUserKey;
      expect(rsa?.privateKey).toContain(RSA_PEM_HEADER);
      expect(rsa?.privateKeyPath && readFileSync(rsa.privateKeyPath, 'utf8')).toBe(rsa?.privateKey);
      const { client, seenFingerprint } = await connectTo(sshd, { privateKey: rsa?.privateKey });
      expect(seenFingerprint).toBe(sshd.hostKeyFingerprintSha256);
      expect(sshd.hostPublicKey).toMatch(/^ssh-rsa /);
      expect((await exec(client, 'echo rsa')).stdout).toBe('rsa\n');
      client.end();
    } finally {
      await sshd.stop();
    }
  });

  it('stop() ends the listener, every connection and its shell, and removes the temp dir', async () => {
    const sshd = await startSshd({ hostKeyType: 'ecdsa' });
    try {
      const { client } = await connectTo(sshd);
      // A long-running remote process and an interactive shell: both must go with stop().
      await new Promise<void>((resolve, reject) => client.exec('sleep 300', (error) => (error ? reject(error) : resolve())));
      await new Promise<void>((resolve, reject) => client.shell({ rows: 24, cols: 80 }, (error) => (error ? reject(error) : resolve())));
      const closed = waitForClose(client, 10_000);
      const loginShell = basename(userInfo().shell ?? 'sh');
      await expect.poll(() => sshd.processIds().map(commandName), { timeout: 5000 }).toEqual(expect.arrayContaining(['sleep', loginShell]));
      const pids = sshd.processIds();

      await sshd.stop();
      expect(await closed).toBe(true);
      expect(pids.filter(isAlive)).toEqual([]);
      expect(existsSync(sshd.dir)).toBe(false);
      await sshd.stop(); // idempotent
    } finally {
      await sshd.stop();
    }
  });
});

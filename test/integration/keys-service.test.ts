import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeysService } from '../../src/main/services/ssh/create-keys-service';
import type { KeysService } from '../../src/main/services/ssh/keys-service';
import { PPK_ARGON2_HINT, PUBLIC_KEY_HINT, WRONG_PASSPHRASE } from '../../src/main/services/ssh/keys/parse-private-key';
import { createKeytarSecretStore } from '../../src/main/services/secrets/keytar-secret-store';
import { sshPassphrase, sshPrivateKey } from '../../src/main/services/secrets/secret-keys';
import type { SecretStore } from '../../src/main/services/secrets/secret-store';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { caught } from '../support/caught';
import { filesContaining } from '../support/files-containing';
import { startKeyring, type Keyring } from '../support/keyring';
import { generateKeyPair, startSshd, type GeneratedKeyPair, type Sshd, type SshKeyType } from '../support/sshd';
import { requireBinary } from '../support/system-deps';
import { OPENSSH_KEY_HEADER, PPK_HEADER_PREFIX, RSA_PEM_HEADER } from '../support/key-headers';

const PASSPHRASE = 'correct horse battery';

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 });
    });
  });
}

/** A line from the middle of a PEM/OpenSSH/PPK body: unique to the key, present wherever the material is. */
function bodyLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line));
  const line = lines[Math.floor(lines.length / 2)];
  if (!line) throw new Error('no body line');
  return line;
}

describe('KeysService with the real keyring and a real sshd', () => {
  let keyring: Keyring;
  let keychain: SecretStore;
  let sshd: Sshd;
  let keyDir: string;
  let dataDir: string;
  let settings: SettingsStore;
  let keys: KeysService;
  let puttygen: string;
  let secretTool: string;
  let counter = 0;

  const newService = (): KeysService =>
    createKeysService({ settings, secrets: keychain, newId: () => `key-${Date.now().toString(36)}-${(counter += 1)}` });

  const lookup = async (key: string): Promise<string> => (await run(secretTool, ['lookup', 'service', 'Hangar', 'account', key], { ...process.env, ...keyring.env })).stdout;

  async function keyFile(type: SshKeyType, name: string, options: { passphrase?: string; format?: 'openssh' | 'pem' } = {}): Promise<GeneratedKeyPair & { path: string }> {
    const pair = await generateKeyPair(type, { ...options, dir: keyDir, name, comment: `${name}-comment` });
    if (!pair.privateKeyPath) throw new Error('no key path');
    return { ...pair, path: pair.privateKeyPath };
  }

  /** The stored material logs in to the real sshd and runs a command. */
  async function authenticates(service: KeysService, keyId: string, publicKey: string): Promise<void> {
    await sshd.authorizeKey(publicKey);
    const { privateKey, passphrase } = await service.material(keyId);
    const client = new Client();
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve());
        client.once('error', reject);
        client.connect({
          host: sshd.host,
          port: sshd.port,
          username: sshd.username,
          privateKey,
          ...(passphrase === undefined ? {} : { passphrase }),
          readyTimeout: 10_000,
          hostVerifier: (key: Buffer) =>
            `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` === sshd.hostKeyFingerprintSha256,
        });
      });
      const output = await new Promise<string>((resolve, reject) => {
        client.exec('echo ok', (error, stream) => {
          if (error) return reject(error);
          let text = '';
          stream.on('data', (data: Buffer) => (text += data.toString('utf8')));
          stream.stderr.resume();
          stream.on('close', () => resolve(text));
        });
      });
      expect(output).toBe('ok\n');
    } finally {
      client.end();
    }
  }

  beforeAll(async () => {
    requireBinary('gnome-keyring-daemon', 'gnome-keyring');
    secretTool = requireBinary('secret-tool', 'libsecret-tools');
    puttygen = requireBinary('puttygen', 'putty-tools');
    keyring = await startKeyring();
    keyring.apply();
    keychain = createKeytarSecretStore();
    sshd = await startSshd();
    keyDir = mkdtempSync(join(tmpdir(), 'hangar-keys-files-'));
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-keys-data-'));
    settings = createSettingsStore(createSettingsFileBackend(dataDir));
    keys = newService();
    writeFileSync(join(keyDir, 'pass'), PASSPHRASE);
    writeFileSync(join(keyDir, 'empty'), '');
  });

  afterAll(async () => {
    await sshd?.stop();
    await keyring?.stop();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports an ed25519 OpenSSH key: facts in settings, material only in the keychain, and it logs in', async () => {
    const pair = await keyFile('ed25519', 'prod-ed.pem');
    const summary = await keys.import({ path: pair.path });
    expect(summary).toMatchObject({ name: 'prod-ed', type: 'ssh-ed25519', format: 'openssh', encrypted: false, passphraseRemembered: false, comment: 'prod-ed.pem-comment' });
    expect(summary.fingerprintSha256).toBe(pair.fingerprintSha256);
    // AWS shows ED25519 key pairs as padded base64 SHA-256 of the public key.
    expect(summary.awsFingerprint).toBe(`${pair.fingerprintSha256.slice('SHA256:'.length)}=`);
    expect(await keys.list()).toContainEqual(summary);

    expect(await lookup(sshPrivateKey(summary.id))).toContain(bodyLine(pair.privateKey));
    expect(filesContaining(dataDir, bodyLine(pair.privateKey))).toEqual([]);
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toContain(pair.fingerprintSha256);
    await authenticates(keys, summary.id, pair.publicKey);
  });

  it('imports an RSA PEM key (as the EC2 console gives it) with the AWS SHA-1 fingerprint', async () => {
    const pair = await keyFile('rsa', 'aws-rsa.pem', { format: 'pem' });
    expect(pair.privateKey).toContain(RSA_PEM_HEADER);
    const summary = await keys.import({ path: pair.path });
    expect(summary).toMatchObject({ name: 'aws-rsa', type: 'ssh-rsa', format: 'pem', encrypted: false });
    expect(summary.fingerprintSha256).toBe(pair.fingerprintSha256);
    // What AWS documents: openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c
    const der = await new Promise<Buffer>((resolve, reject) => {
      execFile('openssl', ['pkcs8', '-in', pair.path, '-topk8', '-nocrypt', '-outform', 'DER'], { encoding: 'buffer' }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
    expect(summary.awsFingerprint).toBe((createHash('sha1').update(der).digest('hex').match(/../g) ?? []).join(':'));
    expect(filesContaining(dataDir, bodyLine(pair.privateKey))).toEqual([]);
    await authenticates(keys, summary.id, pair.publicKey);

    expect(await keys.findForKeyPair('something-else', summary.awsFingerprint)).toMatchObject({ id: summary.id });
    expect(await keys.findForKeyPair('aws-rsa')).toMatchObject({ id: summary.id });
    expect(await keys.findForKeyPair('AWS-RSA')).toMatchObject({ id: summary.id });
    expect(await keys.findForKeyPair('nope')).toBeUndefined();
  });

  it('asks for the passphrase of an encrypted OpenSSH key, refuses a wrong one, and keeps a not-remembered one in memory only', async () => {
    const pair = await keyFile('ed25519', 'locked', { passphrase: PASSPHRASE });
    const needed = await caught(keys.import({ path: pair.path }));
    expect(needed.code).toBe('SSH_KEY_PASSPHRASE_NEEDED');
    expect(needed.details).toMatchObject({ path: pair.path, name: 'locked' });
    const wrong = await caught(keys.import({ path: pair.path, passphrase: 'not the passphrase' }));
    expect(wrong.code).toBe('SSH_KEY_PASSPHRASE_NEEDED');
    expect(wrong.message).toBe(WRONG_PASSPHRASE);

    const summary = await keys.import({ path: pair.path, passphrase: PASSPHRASE });
    expect(summary).toMatchObject({ format: 'openssh', encrypted: true, passphraseRemembered: false });
    expect(summary.fingerprintSha256).toBe(pair.fingerprintSha256);
    expect(await keychain.get(sshPassphrase(summary.id))).toBeUndefined();
    expect(filesContaining(dataDir, PASSPHRASE)).toEqual([]);
    // Stored still encrypted, exactly as the file was.
    expect(await keychain.get(sshPrivateKey(summary.id))).toBe(pair.privateKey);
    await authenticates(keys, summary.id, pair.publicKey);

    // A new run of the app does not know the passphrase.
    const afterRestart = await caught(newService().material(summary.id));
    expect(afterRestart.code).toBe('SSH_KEY_PASSPHRASE_NEEDED');
    expect(afterRestart.details).toMatchObject({ keyId: summary.id, name: 'locked' });

    // …until the user gives it again: a wrong one is refused, the right one unlocks for this run only…
    const later = newService();
    expect(await caught(later.unlock(summary.id, 'still wrong', false))).toMatchObject({ code: 'SSH_KEY_PASSPHRASE_NEEDED', message: WRONG_PASSPHRASE });
    expect(await later.unlock(summary.id, PASSPHRASE, false)).toMatchObject({ passphraseRemembered: false });
    await authenticates(later, summary.id, pair.publicKey);
    expect(await keychain.get(sshPassphrase(summary.id))).toBeUndefined();
    // …or, on request, for good: the run after that needs nothing.
    expect(await later.unlock(summary.id, PASSPHRASE, true)).toMatchObject({ passphraseRemembered: true });
    expect(await keychain.get(sshPassphrase(summary.id))).toBe(PASSPHRASE);
    await authenticates(newService(), summary.id, pair.publicKey);
  });

  it('imports an encrypted PEM key and remembers its passphrase in the keychain on request', async () => {
    const pair = await keyFile('rsa', 'locked-pem.pem', { passphrase: PASSPHRASE, format: 'pem' });
    expect(pair.privateKey).toContain('Proc-Type: 4,ENCRYPTED');
    expect((await caught(keys.import({ path: pair.path }))).code).toBe('SSH_KEY_PASSPHRASE_NEEDED');
    expect((await caught(keys.import({ path: pair.path, passphrase: 'wrong wrong' }))).message).toBe(WRONG_PASSPHRASE);
    const summary = await keys.import({ path: pair.path, passphrase: PASSPHRASE, rememberPassphrase: true });
    expect(summary).toMatchObject({ format: 'pem', encrypted: true, passphraseRemembered: true, type: 'ssh-rsa' });
    expect(summary.fingerprintSha256).toBe(pair.fingerprintSha256);
    expect(await lookup(sshPassphrase(summary.id))).toBe(PASSPHRASE);
    expect(filesContaining(dataDir, PASSPHRASE)).toEqual([]);
    // Remembered: a fresh service (next app run) connects without asking.
    await authenticates(newService(), summary.id, pair.publicKey);
  });

  it('imports PKCS#8 keys ("BEGIN PRIVATE KEY", plain and encrypted), which ssh2 cannot read as they are', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ed = generateKeyPairSync('ed25519');
    const edPath = join(keyDir, 'pkcs8-ed.pem');
    writeFileSync(edPath, ed.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const plain = await keys.import({ path: edPath });
    expect(plain).toMatchObject({ name: 'pkcs8-ed', type: 'ssh-ed25519', format: 'pem', encrypted: false });
    const edPublic = `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.from(ed.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')]).toString('base64')}`;
    writeFileSync(join(keyDir, 'pkcs8-ed.pub'), `${edPublic}\n`);
    const listed = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(keyDir, 'pkcs8-ed.pub')]);
    expect(listed.stdout).toContain(plain.fingerprintSha256);
    await authenticates(keys, plain.id, edPublic);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaPath = join(keyDir, 'pkcs8-rsa-enc.pem');
    writeFileSync(rsaPath, rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }));
    expect((await caught(keys.import({ path: rsaPath }))).code).toBe('SSH_KEY_PASSPHRASE_NEEDED');
    expect((await caught(keys.import({ path: rsaPath, passphrase: 'nope nope' }))).message).toBe(WRONG_PASSPHRASE);
    const locked = await keys.import({ path: rsaPath, passphrase: PASSPHRASE });
    expect(locked).toMatchObject({ type: 'ssh-rsa', format: 'pem', encrypted: true });
    const rsaPubPath = join(keyDir, 'pkcs8-rsa.pem.pub');
    writeFileSync(rsaPubPath, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    const converted = await run('ssh-keygen', ['-i', '-m', 'PKCS8', '-f', rsaPubPath]);
    expect(converted.code, converted.stderr).toBe(0);
    await authenticates(keys, locked.id, converted.stdout.trim());
  });

  const ppkCases: Array<{ type: SshKeyType; version: 2 | 3; encrypted: boolean }> = [
    { type: 'rsa', version: 2, encrypted: false },
    { type: 'ed25519', version: 2, encrypted: false },
    { type: 'rsa', version: 2, encrypted: true },
    { type: 'ed25519', version: 2, encrypted: true },
    { type: 'ed25519', version: 3, encrypted: false },
    { type: 'rsa', version: 3, encrypted: false },
    { type: 'ecdsa', version: 3, encrypted: false },
  ];

  for (const { type, version, encrypted } of ppkCases) {
    it(`imports a PuTTY .ppk v${version} ${type}${encrypted ? ' (encrypted)' : ''} key that then logs in`, async () => {
      const name = `putty-${type}-v${version}${encrypted ? '-enc' : ''}`;
      const pair = await keyFile(type, `${name}-source`);
      const ppkPath = join(keyDir, `${name}.ppk`);
      const made = await run(puttygen, [
        pair.path,
        '-O',
        'private',
        '--ppk-param',
        `version=${version}`,
        '--new-passphrase',
        join(keyDir, encrypted ? 'pass' : 'empty'),
        '-o',
        ppkPath,
      ]);
      expect(made.code, made.stderr).toBe(0);
      expect(readFileSync(ppkPath, 'utf8')).toMatch(new RegExp(`^${PPK_HEADER_PREFIX}${version}: `));

      if (encrypted) {
        expect((await caught(keys.import({ path: ppkPath }))).code).toBe('SSH_KEY_PASSPHRASE_NEEDED');
        expect((await caught(keys.import({ path: ppkPath, passphrase: 'bad bad bad' }))).message).toBe(WRONG_PASSPHRASE);
      }
      const summary = await keys.import({ path: ppkPath, ...(encrypted ? { passphrase: PASSPHRASE } : {}) });
      expect(summary).toMatchObject({ name, format: 'ppk', encrypted, comment: `${name}-source-comment` });
      expect(summary.fingerprintSha256).toBe(pair.fingerprintSha256);
      const stored = await lookup(sshPrivateKey(summary.id));
      expect(stored).toContain(OPENSSH_KEY_HEADER);
      expect(filesContaining(dataDir, bodyLine(readFileSync(ppkPath, 'utf8')))).toEqual([]);
      expect(filesContaining(dataDir, bodyLine(stored))).toEqual([]);
      if (encrypted) {
        // Converted, but still protected by the same passphrase.
        expect(await caught(newService().material(summary.id))).toMatchObject({ code: 'SSH_KEY_PASSPHRASE_NEEDED' });
        const ssh2 = await import('ssh2');
        expect(ssh2.utils.parseKey(stored)).toBeInstanceOf(Error);
      }
      await authenticates(keys, summary.id, pair.publicKey);
    });
  }

  it('refuses an encrypted PuTTY v3 key with the way out', async () => {
    const pair = await keyFile('ed25519', 'argon-source');
    const ppkPath = join(keyDir, 'argon.ppk');
    const made = await run(puttygen, [pair.path, '-O', 'private', '--new-passphrase', join(keyDir, 'pass'), '-o', ppkPath]);
    expect(made.code, made.stderr).toBe(0);
    const error = await caught(keys.import({ path: ppkPath, passphrase: PASSPHRASE }));
    expect(error.code).toBe('SSH_KEY_INVALID');
    expect(error.hint).toBe(PPK_ARGON2_HINT);
    expect(error.hint).toContain('Conversions → Export OpenSSH key');
  });

  it('refuses public keys, garbage, huge files and missing files with a next step', async () => {
    const pair = await keyFile('ed25519', 'pubonly');
    const pub = await caught(keys.import({ path: `${pair.path}.pub` }));
    expect(pub.code).toBe('SSH_KEY_INVALID');
    expect(pub.hint).toBe(PUBLIC_KEY_HINT);

    const garbagePath = join(keyDir, 'notes.txt');
    writeFileSync(garbagePath, 'hello, this is not a key\n');
    const garbage = await caught(keys.import({ path: garbagePath }));
    expect(garbage.code).toBe('SSH_KEY_INVALID');
    expect(garbage.message).toContain('does not look like a private key file');
    expect(garbage.hint).toBeTruthy();

    const hugePath = join(keyDir, 'huge.pem');
    writeFileSync(hugePath, Buffer.alloc(200 * 1024, 'A'));
    const huge = await caught(keys.import({ path: hugePath }));
    expect(huge.code).toBe('SSH_KEY_INVALID');
    expect(huge.message).toContain('does not look like a private key file');

    const binaryPath = join(keyDir, 'image.pem');
    writeFileSync(binaryPath, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expect((await caught(keys.import({ path: binaryPath }))).code).toBe('SSH_KEY_INVALID');

    expect((await caught(keys.import({ path: join(keyDir, 'missing.pem') }))).code).toBe('NOT_FOUND');
  });

  it('refuses the same key twice, naming the existing entry', async () => {
    const pair = await keyFile('ed25519', 'twice.pem');
    const first = await keys.import({ path: pair.path });
    const error = await caught(keys.import({ path: pair.path, name: 'another name' }));
    expect(error.message).toContain('“twice”');
    expect(error.details).toMatchObject({ existingKeyId: first.id, existingName: 'twice' });
  });

  it('renames, and removes with the keychain entries', async () => {
    const pair = await keyFile('rsa', 'to-remove.pem', { passphrase: PASSPHRASE, format: 'pem' });
    const summary = await keys.import({ path: pair.path, passphrase: PASSPHRASE, rememberPassphrase: true });
    const renamed = await keys.rename(summary.id, '  staging-pair ');
    expect(renamed.name).toBe('staging-pair');
    expect(await keys.findForKeyPair('staging-pair')).toMatchObject({ id: summary.id });
    expect((await caught(keys.rename(summary.id, '   '))).code).toBe('INVALID_ARGUMENT');

    await keys.remove(summary.id);
    expect(await lookup(sshPrivateKey(summary.id))).toBe('');
    expect(await lookup(sshPassphrase(summary.id))).toBe('');
    expect((await keys.list()).some((key) => key.id === summary.id)).toBe(false);
    expect((await caught(keys.material(summary.id))).code).toBe('NOT_FOUND');
    expect((await caught(keys.remove(summary.id))).code).toBe('NOT_FOUND');
  });
});

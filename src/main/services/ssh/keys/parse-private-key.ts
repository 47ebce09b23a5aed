import { createPrivateKey, type KeyObject } from 'node:crypto';
// ssh2 is CommonJS: under Node's ESM loader only a few names are detected as named exports; `utils` is not.
import ssh2, { type ParsedKey } from 'ssh2';
import { HangarError } from '../../../../shared/errors/hangar-error';
import { awsFingerprint, sha256Fingerprint } from './fingerprints';
import { keyObjectOf, partsOfKeyObject, publicBlobOf, sshTypeOf, toOpenSshPrivateKey, type KeyParts } from './key-parts';
import { isPpk, parsePpk, PpkError } from './ppk';
import { WireReader } from './ssh-wire';

const { utils } = ssh2;

export type KeyFileFormat = 'openssh' | 'pem' | 'ppk';

/** A private key read from a file: facts for settings plus the material ssh2 will be given. */
export interface ParsedPrivateKey {
  readonly format: KeyFileFormat;
  readonly encrypted: boolean;
  readonly type: string;
  readonly publicBlob: Buffer;
  readonly comment: string | undefined;
  /**
   * What goes to the keychain: a text ssh2's parseKey reads, still encrypted with the same passphrase
   * when the file was. OpenSSH and PKCS#1/SEC1 PEM files are kept as they are (minus stray text around the
   * block); PuTTY and PKCS#8 keys are rewritten in the OpenSSH format, which ssh2 reads for every type.
   */
  readonly material: string;
  readonly fingerprintSha256: string;
  readonly awsFingerprint: string | undefined;
}

export const NOT_A_KEY_HINT =
  'Choose the private key file: the .pem you downloaded when the key pair was created in the EC2 console, ' +
  'a key made with ssh-keygen (e.g. ~/.ssh/id_ed25519), or a PuTTY .ppk file.';
export const PUBLIC_KEY_HINT = 'This is the public half of a key. Choose the private key (the file without .pub).';
export const PPK_ARGON2_HINT =
  'In PuTTYgen: load the key, then Conversions → Export OpenSSH key, and import that file (it keeps a passphrase if you set one).';
export const WRONG_PASSPHRASE = 'That passphrase did not unlock the key.';

const PUBLIC_KEY_LINE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-\S+|\S+-cert-v01@openssh\.com)\s+AAAA/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\n[\s\S]*?\n-----END \1-----/;

/** Reads a key file's text. Throws HangarError (SSH_KEY_INVALID / SSH_KEY_PASSPHRASE_NEEDED) without file details. */
export function parsePrivateKey(input: string, passphrase?: string): ParsedPrivateKey {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trim();
  const pass = passphrase === undefined || passphrase.length === 0 ? undefined : passphrase;

  if (isPpk(text)) return fromPpk(text, pass);
  if (PUBLIC_KEY_LINE.test(text) || /^---- BEGIN SSH2 PUBLIC KEY ----/.test(text) || /-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) {
    throw invalid('This is a public key, not a private key.', PUBLIC_KEY_HINT);
  }
  const block = PEM_BLOCK.exec(text);
  const label = block?.[1];
  if (!block || !label) throw notAKey();
  const pem = `${block[0]}\n`;
  if (label === 'OPENSSH PRIVATE KEY') return fromSsh2(pem, 'openssh', openSshEncrypted(pem), pass);
  if (label === 'RSA PRIVATE KEY' || label === 'EC PRIVATE KEY') {
    return fromSsh2(pem, 'pem', /^Proc-Type:\s*4,ENCRYPTED/m.test(pem), pass);
  }
  if (label === 'DSA PRIVATE KEY') throw dsaUnsupported();
  if (label === 'PRIVATE KEY' || label === 'ENCRYPTED PRIVATE KEY') return fromPkcs8(pem, label === 'ENCRYPTED PRIVATE KEY', pass);
  if (label === 'CERTIFICATE') throw invalid('This is a certificate, not a private key.', NOT_A_KEY_HINT);
  throw notAKey();
}

function fromSsh2(pem: string, format: KeyFileFormat, encrypted: boolean, passphrase: string | undefined): ParsedPrivateKey {
  if (encrypted && passphrase === undefined) throw passphraseNeeded();
  const result = utils.parseKey(pem, encrypted ? passphrase : undefined);
  const key: ParsedKey | Error | undefined = Array.isArray(result) ? (result[0] as ParsedKey | undefined) : result;
  if (key === undefined || key instanceof Error) {
    if (encrypted) throw passphraseNeeded(WRONG_PASSPHRASE);
    throw invalid('This private key file is damaged or in a form Hangar cannot read.', NOT_A_KEY_HINT);
  }
  if (!key.isPrivateKey()) throw invalid('This is a public key, not a private key.', PUBLIC_KEY_HINT);
  if (key.type === 'ssh-dss') throw dsaUnsupported();
  const publicBlob = key.getPublicSSH();
  let keyObject: KeyObject | undefined;
  if (key.type === 'ssh-rsa') {
    try {
      keyObject = createPrivateKey(key.getPrivatePEM());
    } catch {
      keyObject = undefined;
    }
  }
  return {
    format,
    encrypted,
    type: key.type,
    publicBlob,
    comment: key.comment || undefined,
    material: pem,
    fingerprintSha256: sha256Fingerprint(publicBlob),
    awsFingerprint: awsFingerprint(key.type, publicBlob, keyObject),
  };
}

function fromPkcs8(pem: string, encrypted: boolean, passphrase: string | undefined): ParsedPrivateKey {
  if (encrypted && passphrase === undefined) throw passphraseNeeded();
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch {
    if (encrypted) throw passphraseNeeded(WRONG_PASSPHRASE);
    throw invalid('This private key file is damaged or in a form Hangar cannot read.', NOT_A_KEY_HINT);
  }
  const parts = partsOfKeyObject(keyObject);
  if (!parts) {
    if (keyObject.asymmetricKeyType === 'dsa') throw dsaUnsupported();
    throw invalid(`Hangar cannot use ${keyObject.asymmetricKeyType ?? 'this kind of'} keys for SSH.`, 'Use an Ed25519, RSA or ECDSA key.');
  }
  return fromParts(parts, 'pem', encrypted, undefined, passphrase, keyObject);
}

function fromPpk(text: string, passphrase: string | undefined): ParsedPrivateKey {
  try {
    const ppk = parsePpk(text, passphrase);
    return fromParts(ppk.parts, 'ppk', ppk.encrypted, ppk.comment || undefined, passphrase, undefined);
  } catch (error) {
    if (!(error instanceof PpkError)) throw error;
    switch (error.problem) {
      case 'passphrase-needed':
        throw passphraseNeeded();
      case 'bad-passphrase':
        throw passphraseNeeded(WRONG_PASSPHRASE);
      case 'argon2':
        throw invalid('This PuTTY key is protected with a passphrase in PuTTY’s newer format (version 3), which Hangar cannot unlock.', PPK_ARGON2_HINT);
      case 'unsupported-type':
        throw invalid(`This PuTTY key cannot be used: ${error.message}.`, PPK_ARGON2_HINT);
      default:
        throw invalid(`This PuTTY key file is damaged: ${error.message}.`, NOT_A_KEY_HINT);
    }
  }
}

function fromParts(
  parts: KeyParts,
  format: KeyFileFormat,
  encrypted: boolean,
  comment: string | undefined,
  passphrase: string | undefined,
  knownKeyObject: KeyObject | undefined,
): ParsedPrivateKey {
  const type = sshTypeOf(parts);
  const publicBlob = publicBlobOf(parts);
  let keyObject: KeyObject;
  try {
    keyObject = knownKeyObject ?? keyObjectOf(parts);
  } catch {
    throw invalid('This private key is inconsistent (its numbers do not form a valid key).', NOT_A_KEY_HINT);
  }
  // The public half must follow from the private half; a mismatch means a damaged or forged file.
  const derived = partsOfKeyObject(keyObject);
  if (!derived || !publicBlobOf(derived).equals(publicBlob)) {
    throw invalid('This private key is inconsistent (its public and private halves do not match).', NOT_A_KEY_HINT);
  }
  const material = toOpenSshPrivateKey(parts, comment ?? '', encrypted ? passphrase : undefined);
  // Prove ssh2 reads what will be stored, before anything is stored.
  const check = utils.parseKey(material, encrypted ? passphrase : undefined);
  const checked = Array.isArray(check) ? check[0] : check;
  if (!checked || checked instanceof Error || !checked.getPublicSSH().equals(publicBlob)) {
    throw new HangarError({ code: 'INTERNAL', message: 'Hangar could not convert this key into a form its SSH client reads.' });
  }
  return {
    format,
    encrypted,
    type,
    publicBlob,
    comment,
    material,
    fingerprintSha256: sha256Fingerprint(publicBlob),
    awsFingerprint: awsFingerprint(type, publicBlob, keyObject),
  };
}

function openSshEncrypted(pem: string): boolean {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  try {
    const reader = new WireReader(Buffer.from(body, 'base64'));
    const magic = reader.bytes(15).toString('latin1');
    if (magic !== 'openssh-key-v1\0') return false;
    return reader.text() !== 'none';
  } catch {
    return false;
  }
}

function invalid(message: string, hint: string): HangarError {
  return new HangarError({ code: 'SSH_KEY_INVALID', message, hint });
}

function notAKey(): HangarError {
  return invalid('This does not look like a private key file.', NOT_A_KEY_HINT);
}

function dsaUnsupported(): HangarError {
  return invalid('DSA keys are not supported: OpenSSH and EC2 no longer accept them.', 'Create an Ed25519 or RSA key pair instead.');
}

export function passphraseNeeded(message = 'This key is protected by a passphrase.'): HangarError {
  return new HangarError({ code: 'SSH_KEY_PASSPHRASE_NEEDED', message, hint: 'Enter the passphrase you chose when the key was created.' });
}

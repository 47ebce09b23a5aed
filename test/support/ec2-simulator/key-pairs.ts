import { createHash, createHmac, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { OPENSSH_KEY_HEADER, PPK_HEADER_PREFIX } from '../key-headers';
import type { Ec2ActionContext } from './ec2-actions';
import { checkDryRun } from './network-actions';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { parseTagSpecifications, tagSetXml } from './tags';
import { items, optText, text } from './xml';

export type SimKeyType = 'rsa' | 'ed25519';

export interface SimKeyPair {
  readonly id: string;
  readonly region: string;
  readonly name: string;
  readonly type: SimKeyType;
  /** As DescribeKeyPairs shows it: see `fingerprintOf*` for how AWS computes each kind. */
  readonly fingerprint: string;
  /** OpenSSH public key line `<type> <base64>` (plus the key name as comment, as AWS returns it). */
  readonly publicKey: string;
  readonly createTime: Date;
  readonly tags: Map<string, string>;
  readonly imported: boolean;
}

/** Key pairs per region, keyed by name (EC2 key pair names are unique per region). */
export class KeyPairStore {
  private readonly byRegion = new Map<string, Map<string, SimKeyPair>>();

  in(region: string): Map<string, SimKeyPair> {
    let map = this.byRegion.get(region);
    if (!map) {
      map = new Map();
      this.byRegion.set(region, map);
    }
    return map;
  }

  get(region: string, name: string): SimKeyPair | undefined {
    return this.in(region).get(name);
  }
}

export const KEY_PAIR_ACTIONS = {
  CreateKeyPair: createKeyPair,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPair: deleteKeyPair,
} as const;

function keyPairId(): string {
  return `key-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

function validName(ctx: Ec2ActionContext): string {
  const name = ctx.params.get('KeyName');
  if (name === undefined || name === '') throw new SimError('MissingParameter', 'The request must contain the parameter KeyName');
  if (name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) {
    throw new SimError('InvalidParameterValue', `Value (${name}) for parameter keyName is invalid. Key names must be ASCII and at most 255 characters.`);
  }
  if (ctx.world.keyPairs.get(ctx.region, name)) throw new SimError('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
  return name;
}

function createKeyPair(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const name = validName(ctx);
  const type = params.get('KeyType') ?? 'rsa';
  if (type !== 'rsa' && type !== 'ed25519') {
    throw new SimError('InvalidParameterValue', `Value (${type}) for parameter keyType is invalid. Valid values are rsa, ed25519.`);
  }
  const format = params.get('KeyFormat') ?? 'pem';
  if (format !== 'pem' && format !== 'ppk') {
    throw new SimError('InvalidParameterValue', `Value (${format}) for parameter keyFormat is invalid. Valid values are pem, ppk.`);
  }
  const tags = parseTagSpecifications(params, ['key-pair']).get('key-pair') ?? new Map<string, string>();
  world.permissions.checkEc2('CreateKeyPair', ctx);
  if (tags.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  checkDryRun(params);

  const generated = generate(type, name, format);
  const pair: SimKeyPair = {
    id: keyPairId(),
    region,
    name,
    type,
    fingerprint: generated.fingerprint,
    publicKey: `${generated.publicLine} ${name}`,
    createTime: new Date(Math.floor(Date.now() / 1000) * 1000),
    tags,
    imported: false,
  };
  world.keyPairs.in(region).set(name, pair);
  return (
    text('keyName', name) +
    text('keyFingerprint', pair.fingerprint) +
    text('keyMaterial', generated.material) +
    text('keyPairId', pair.id) +
    (tags.size > 0 ? tagSetXml(tags) : '')
  );
}

function importKeyPair(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const name = validName(ctx);
  const raw = params.get('PublicKeyMaterial');
  if (raw === undefined || raw === '') throw new SimError('MissingParameter', 'The request must contain the parameter PublicKeyMaterial');
  // The SDK base64-encodes the blob on the wire; the blob is the text of an OpenSSH public key line.
  const line = Buffer.from(raw, 'base64').toString('utf8').trim();
  const parsed = parsePublicKeyLine(line);
  const tags = parseTagSpecifications(params, ['key-pair']).get('key-pair') ?? new Map<string, string>();
  world.permissions.checkEc2('ImportKeyPair', ctx);
  if (tags.size > 0) world.permissions.checkEc2('CreateTags', ctx);
  checkDryRun(params);
  const pair: SimKeyPair = {
    id: keyPairId(),
    region,
    name,
    type: parsed.type,
    fingerprint: parsed.fingerprint,
    publicKey: `${parsed.line} ${name}`,
    createTime: new Date(Math.floor(Date.now() / 1000) * 1000),
    tags,
    imported: true,
  };
  world.keyPairs.in(region).set(name, pair);
  return text('keyFingerprint', pair.fingerprint) + text('keyName', name) + text('keyPairId', pair.id) + (tags.size > 0 ? tagSetXml(tags) : '');
}

function describeKeyPairs(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const all = [...world.keyPairs.in(region).values()];
  const names = params.list('KeyName');
  const ids = params.list('KeyPairId');
  const missingName = names.find((n) => !all.some((k) => k.name === n));
  if (missingName !== undefined) throw new SimError('InvalidKeyPair.NotFound', `The key pair '${missingName}' does not exist`);
  const missingId = ids.find((id) => !all.some((k) => k.id === id));
  if (missingId !== undefined) throw new SimError('InvalidKeyPair.NotFound', `The key pair ID '${missingId}' does not exist`);
  const predicate = compileFilters<SimKeyPair>(
    params.filters(),
    {
      'key-name': (k) => [k.name],
      'key-pair-id': (k) => [k.id],
      fingerprint: (k) => [k.fingerprint],
      'key-type': (k) => [k.type],
    },
    (k) => k.tags,
  );
  const includePublic = params.bool('IncludePublicKey');
  world.permissions.checkEc2('DescribeKeyPairs', ctx);
  checkDryRun(params);
  const shown = all.filter((k) => (names.length === 0 || names.includes(k.name)) && (ids.length === 0 || ids.includes(k.id)) && predicate(k));
  return items('keySet', shown, (k) =>
    [
      text('keyPairId', k.id),
      text('keyType', k.type),
      tagSetXml(k.tags),
      optText('publicKey', includePublic ? k.publicKey : undefined),
      text('createTime', k.createTime.toISOString()),
      text('keyName', k.name),
      text('keyFingerprint', k.fingerprint),
    ].join(''),
  );
}

/** Deleting an unknown name succeeds (EC2 is idempotent there); an unknown key pair id does not. */
function deleteKeyPair(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const name = params.get('KeyName');
  const id = params.get('KeyPairId');
  if (name === undefined && id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter KeyName or KeyPairId');
  const pairs = world.keyPairs.in(region);
  const pair = id !== undefined ? [...pairs.values()].find((k) => k.id === id) : pairs.get(name ?? '');
  if (id !== undefined && !pair) throw new SimError('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`);
  world.permissions.checkEc2('DeleteKeyPair', ctx);
  checkDryRun(params);
  if (pair) pairs.delete(pair.name);
  return text('return', true) + optText('keyPairId', pair?.id);
}

// --- key material -------------------------------------------------------------------------------------

interface Generated {
  material: string;
  publicLine: string;
  fingerprint: string;
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function mpint(unsigned: Buffer): Buffer {
  let b = unsigned;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

function jwkBytes(value: string | undefined): Buffer {
  return Buffer.from(value ?? '', 'base64url');
}

function colonHex(bytes: Buffer): string {
  return (bytes.toString('hex').match(/../g) ?? []).join(':');
}

/** AWS-created RSA pairs: SHA-1 of the private key as DER PKCS#8, hex with colons. */
export function fingerprintOfCreatedRsa(privateKey: KeyObject): string {
  return colonHex(createHash('sha1').update(privateKey.export({ type: 'pkcs8', format: 'der' })).digest());
}

/** Imported RSA pairs: MD5 of the public key as DER SubjectPublicKeyInfo, hex with colons. */
export function fingerprintOfImportedRsa(publicKey: KeyObject): string {
  return colonHex(createHash('md5').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
}

/** ED25519 pairs, created or imported: base64 (padded) SHA-256 of the OpenSSH public key blob. */
export function fingerprintOfEd25519(publicBlob: Buffer): string {
  return createHash('sha256').update(publicBlob).digest('base64');
}

function pem(header: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `${header}\n${lines.join('\n')}\n${header.replace('BEGIN', 'END')}\n`;
}

function generate(type: SimKeyType, name: string, format: 'pem' | 'ppk'): Generated {
  if (type === 'rsa') {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const jwk = privateKey.export({ format: 'jwk' });
    const blob = Buffer.concat([sshString('ssh-rsa'), mpint(jwkBytes(jwk.e)), mpint(jwkBytes(jwk.n))]);
    const material =
      format === 'pem'
        ? String(privateKey.export({ type: 'pkcs1', format: 'pem' })).trimEnd()
        : ppk('ssh-rsa', blob, Buffer.concat([mpint(jwkBytes(jwk.d)), mpint(jwkBytes(jwk.p)), mpint(jwkBytes(jwk.q)), mpint(jwkBytes(jwk.qi))]), name);
    return { material, publicLine: `ssh-rsa ${blob.toString('base64')}`, fingerprint: fingerprintOfCreatedRsa(privateKey) };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = jwkBytes(jwk.d);
  const pub = jwkBytes(jwk.x);
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const material = format === 'pem' ? openSshPrivateKey(blob, pub, seed) : ppk('ssh-ed25519', blob, sshString(seed), name);
  return { material, publicLine: `ssh-ed25519 ${blob.toString('base64')}`, fingerprint: fingerprintOfEd25519(blob) };
}

/** The openssh-key-v1 container, unencrypted, as `ssh-keygen` (and EC2 for ed25519 pairs) writes it. */
function openSshPrivateKey(publicBlob: Buffer, pub: Buffer, seed: Buffer): string {
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString('')]);
  const pad: number[] = [];
  for (let k = 1; (section.length + pad.length) % 8 !== 0; k++) pad.push(k);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    count,
    sshString(publicBlob),
    sshString(section),
  ]);
  return pem(OPENSSH_KEY_HEADER, body).trimEnd();
}

/** PuTTY's format, version 2, unencrypted (MAC keyed with SHA-1 of the fixed string plus an empty passphrase). */
function ppk(algorithm: string, publicBlob: Buffer, privateBlob: Buffer, comment: string): string {
  const macKey = createHash('sha1').update('putty-private-key-file-mac-key').digest();
  const mac = createHmac('sha1', macKey)
    .update(Buffer.concat([sshString(algorithm), sshString('none'), sshString(comment), sshString(publicBlob), sshString(privateBlob)]))
    .digest('hex');
  const wrap = (b: Buffer): string[] => b.toString('base64').match(/.{1,64}/g) ?? [];
  const pubLines = wrap(publicBlob);
  const privLines = wrap(privateBlob);
  return [
    `${PPK_HEADER_PREFIX}2: ${algorithm}`,
    'Encryption: none',
    `Comment: ${comment}`,
    `Public-Lines: ${pubLines.length}`,
    ...pubLines,
    `Private-Lines: ${privLines.length}`,
    ...privLines,
    `Private-MAC: ${mac}`,
  ].join('\n');
}

/** An OpenSSH public key line (rsa or ed25519) → type, normalised line and the fingerprint AWS shows for imports. */
export function parsePublicKeyLine(line: string): { type: SimKeyType; line: string; fingerprint: string } {
  const invalid = (): SimError => new SimError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
  const [algorithm = '', data = ''] = line.split(/\s+/);
  const blob = Buffer.from(data, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw invalid();
  const fields: Buffer[] = [];
  let at = 0;
  while (at + 4 <= blob.length) {
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) throw invalid();
    fields.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (at !== blob.length || fields[0]?.toString('latin1') !== algorithm) throw invalid();
  if (algorithm === 'ssh-ed25519') {
    if (fields.length !== 2 || fields[1]?.length !== 32) throw invalid();
    return { type: 'ed25519', line: `${algorithm} ${data}`, fingerprint: fingerprintOfEd25519(blob) };
  }
  if (algorithm === 'ssh-rsa') {
    const [, e, n] = fields;
    if (fields.length !== 3 || !e || !n) throw invalid();
    const strip = (b: Buffer): string => (b[0] === 0 ? b.subarray(1) : b).toString('base64url');
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty: 'RSA', n: strip(n), e: strip(e) }, format: 'jwk' });
    } catch {
      throw invalid();
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 1024) throw invalid();
    return { type: 'rsa', line: `${algorithm} ${data}`, fingerprint: fingerprintOfImportedRsa(key) };
  }
  throw invalid();
}

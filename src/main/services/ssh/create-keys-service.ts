import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { SshKeyRecord } from '../../../shared/models/settings';
import { importKeyInputSchema, keyIdSchema, type SshKeySummary } from '../../../shared/models/ssh';
import { sshPassphrase, sshPrivateKey } from '../secrets/secret-keys';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { normalizeFingerprint } from './keys/fingerprints';
import { NOT_A_KEY_HINT, parsePrivateKey, passphraseNeeded, WRONG_PASSPHRASE, type ParsedPrivateKey } from './keys/parse-private-key';
import type { ImportKeyFileInput, KeyMaterial, KeysService } from './keys-service';

export interface KeysServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  clock?: () => Date;
  /** Hangar's own id for a new key; must fit `keyIdSchema` and the keychain naming scheme. */
  newId?: () => string;
  /** Reads a key file (tests hand in their own). The size limit is checked on what it returns too. */
  readFile?: (path: string) => Promise<Buffer>;
}

/** Key files are a few KiB; anything much larger is not one, and is not read into memory whole. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;
const MAX_KEYS = 500;
const importKeyFileSchema = importKeyInputSchema.omit({ grant: true }).extend({ path: z.string().min(1).max(4096) });
// Extensions that say "key file" rather than being part of the key pair's name ("web.prod" stays whole).
const KEY_FILE_EXTENSIONS = /\.(pem|ppk|key|openssh|priv|private|txt)$/i;

/**
 * SSH private keys. Facts (name, type, fingerprints, format) go to settings; the key material (still
 * encrypted when the file was) and, only on request, the passphrase go to the keychain. A passphrase the
 * user did not ask to remember lives in this process's memory for the rest of the run, so a terminal can
 * connect right after the import.
 */
export function createKeysService(deps: KeysServiceDeps): KeysService {
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? (() => randomUUID());
  const readKeyFile = deps.readFile ?? readWithLimit;
  const sessionPassphrases = new Map<string, string>();
  let queue: Promise<unknown> = Promise.resolve();

  // Read-modify-write steps that touch both the keychain and settings run one at a time.
  function exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = queue.then(step, step);
    queue = run.catch(() => undefined);
    return run;
  }

  function records(): SshKeyRecord[] {
    return deps.settings.get().sshKeys;
  }

  function findRecord(keyId: string): SshKeyRecord {
    const record = records().find((candidate) => candidate.id === keyId);
    if (!record) throw keyNotFound(keyId);
    return record;
  }

  async function importKey(rawInput: ImportKeyFileInput): Promise<SshKeySummary> {
    const parsedInput = importKeyFileSchema.safeParse(rawInput);
    if (!parsedInput.success) {
      throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'The key import request is not valid.' });
    }
    const input = parsedInput.data;
    const fileName = basename(input.path);
    const name = input.name ?? defaultName(fileName);
    const passphrase = input.passphrase === undefined || input.passphrase.length === 0 ? undefined : input.passphrase;

    const bytes = await readKeyFileSafely(readKeyFile, input.path, fileName);
    let parsed: ParsedPrivateKey;
    try {
      parsed = parsePrivateKey(decodeText(bytes, fileName), passphrase);
    } catch (error) {
      throw withFileDetails(error, input.path, name, fileName);
    } finally {
      bytes.fill(0);
    }

    return storeParsed(parsed, name, passphrase, input.rememberPassphrase === true);
  }

  /** A key Hangar received in memory (an EC2 CreateKeyPair answer): parsed and stored like a file's. */
  async function importMaterial(input: { name: string; privateKey: string }): Promise<SshKeySummary> {
    const name = input.name.trim().slice(0, 255);
    if (name.length === 0) throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'A key name must be 1-255 characters.' });
    return storeParsed(parsePrivateKey(input.privateKey), name, undefined, false);
  }

  function storeParsed(parsed: ParsedPrivateKey, name: string, passphrase: string | undefined, rememberRequested: boolean): Promise<SshKeySummary> {
    return exclusive(async () => {
      const existing = records().find((record) => record.fingerprintSha256 === parsed.fingerprintSha256);
      if (existing) {
        throw new HangarError({
          code: 'INVALID_ARGUMENT',
          message: `This key is already in Hangar as “${existing.name}”.`,
          hint: 'Use the existing entry (rename it if the name does not match the key pair), or remove it first to import again.',
          details: { existingKeyId: existing.id, existingName: existing.name },
        });
      }
      if (records().length >= MAX_KEYS) {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: `Hangar holds at most ${MAX_KEYS} keys.`, hint: 'Remove keys you no longer use.' });
      }

      const id = newId();
      const remember = parsed.encrypted && passphrase !== undefined && rememberRequested;
      const record: SshKeyRecord = {
        id,
        name,
        type: parsed.type,
        fingerprintSha256: parsed.fingerprintSha256,
        ...(parsed.awsFingerprint === undefined ? {} : { awsFingerprint: parsed.awsFingerprint }),
        format: parsed.format,
        encrypted: parsed.encrypted,
        passphraseRemembered: remember,
        ...(parsed.comment === undefined ? {} : { comment: parsed.comment.slice(0, 1024) }),
        addedAt: clock().toISOString(),
      };

      // Keychain first, settings second: a record never points at material that is not there.
      try {
        await deps.secrets.set(sshPrivateKey(id), parsed.material);
        if (remember && passphrase !== undefined) await deps.secrets.set(sshPassphrase(id), passphrase);
        deps.settings.mutate((current) => ({ ...current, sshKeys: [...current.sshKeys, record] }));
      } catch (error) {
        await deps.secrets.delete(sshPassphrase(id)).catch(() => false);
        await deps.secrets.delete(sshPrivateKey(id)).catch(() => false);
        throw error;
      }
      if (parsed.encrypted && passphrase !== undefined && !remember) sessionPassphrases.set(id, passphrase);
      return toSummary(record);
    });
  }

  async function material(keyId: string): Promise<KeyMaterial> {
    const record = findRecord(checkId(keyId));
    const privateKey = await deps.secrets.get(sshPrivateKey(record.id));
    if (privateKey === undefined) {
      throw new HangarError({
        code: 'SSH_KEY_MISSING',
        message: `The private key “${record.name}” is no longer in the keychain.`,
        hint: 'Remove the key in Hangar and import the key file again.',
        details: { keyId: record.id, name: record.name },
      });
    }
    if (!record.encrypted) return { privateKey };
    const passphrase = sessionPassphrases.get(record.id) ?? (record.passphraseRemembered ? await deps.secrets.get(sshPassphrase(record.id)) : undefined);
    if (passphrase === undefined) {
      const error = passphraseNeeded(`The key “${record.name}” is protected by a passphrase.`);
      throw new HangarError({
        code: error.code,
        message: error.message,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        details: { keyId: record.id, name: record.name },
      });
    }
    return { privateKey, passphrase };
  }

  /** Gives the passphrase of a stored encrypted key: for this run, or remembered in the keychain. */
  function unlock(keyId: string, passphrase: string, remember: boolean): Promise<SshKeySummary> {
    return exclusive(async () => {
      const record = findRecord(checkId(keyId));
      const privateKey = await deps.secrets.get(sshPrivateKey(record.id));
      if (privateKey === undefined) return material(record.id).then(() => toSummary(record));
      if (record.encrypted) {
        const parsed = ssh2.utils.parseKey(privateKey, passphrase);
        if (parsed instanceof Error || passphrase.length === 0) throw passphraseNeeded(WRONG_PASSPHRASE);
      }
      if (!remember) {
        sessionPassphrases.set(record.id, passphrase);
        return toSummary(record);
      }
      await deps.secrets.set(sshPassphrase(record.id), passphrase);
      sessionPassphrases.delete(record.id);
      const updated = deps.settings.mutate((current) => ({
        ...current,
        sshKeys: current.sshKeys.map((r) => (r.id === record.id ? { ...r, passphraseRemembered: true } : r)),
      }));
      return toSummary(updated.sshKeys.find((r) => r.id === record.id) ?? record);
    });
  }

  return {
    list: () => Promise.resolve(records().map(toSummary)),
    import: importKey,
    importMaterial,
    unlock,
    material,
    rename: (keyId, newName) =>
      exclusive(() => {
        checkId(keyId);
        const name = typeof newName === 'string' ? newName.trim() : '';
        if (name.length === 0 || name.length > 255) {
          throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'A key name must be 1-255 characters.' });
        }
        findRecord(keyId);
        const updated = deps.settings.mutate((current) => ({
          ...current,
          sshKeys: current.sshKeys.map((record) => (record.id === keyId ? { ...record, name } : record)),
        }));
        const record = updated.sshKeys.find((candidate) => candidate.id === keyId);
        if (!record) throw keyNotFound(keyId);
        return Promise.resolve(toSummary(record));
      }),
    remove: (keyId) =>
      exclusive(async () => {
        findRecord(checkId(keyId));
        // Keychain first: if it fails, the entry stays visible and removable rather than orphaning material.
        await deps.secrets.delete(sshPassphrase(keyId));
        await deps.secrets.delete(sshPrivateKey(keyId));
        sessionPassphrases.delete(keyId);
        deps.settings.mutate((current) => ({
          ...current,
          sshKeys: current.sshKeys.filter((record) => record.id !== keyId),
          // Instances that were set to use this key fall back to automatic matching.
          connections: Object.fromEntries(
            Object.entries(current.connections).map(([instanceId, connection]) => {
              if (connection.keyId !== keyId) return [instanceId, connection];
              const { keyId: _removed, ...rest } = connection;
              return [instanceId, rest];
            }),
          ),
        }));
      }),
    findForKeyPair: (keyName, fingerprint) => {
      const all = records();
      if (fingerprint !== undefined && fingerprint.trim() !== '') {
        const wanted = normalizeFingerprint(fingerprint);
        const byFingerprint = all.find(
          (record) =>
            (record.awsFingerprint !== undefined && normalizeFingerprint(record.awsFingerprint) === wanted) ||
            normalizeFingerprint(record.fingerprintSha256) === wanted,
        );
        if (byFingerprint) return Promise.resolve(toSummary(byFingerprint));
      }
      const exact = all.find((record) => record.name === keyName);
      const loose = exact ?? all.find((record) => record.name.toLowerCase() === keyName.toLowerCase());
      return Promise.resolve(loose ? toSummary(loose) : undefined);
    },
  };
}

function toSummary(record: SshKeyRecord): SshKeySummary {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    fingerprintSha256: record.fingerprintSha256,
    ...(record.awsFingerprint === undefined ? {} : { awsFingerprint: record.awsFingerprint }),
    format: record.format,
    encrypted: record.encrypted,
    passphraseRemembered: record.passphraseRemembered,
    ...(record.comment === undefined ? {} : { comment: record.comment }),
    addedAt: record.addedAt,
  };
}

/** "my-pair.pem" → "my-pair" (the EC2 key pair name); "id_ed25519" and "web.prod" stay as they are. */
export function defaultName(fileName: string): string {
  const name = fileName.replace(KEY_FILE_EXTENSIONS, '').trim();
  return (name.length > 0 ? name : fileName).slice(0, 255);
}

function checkId(keyId: string): string {
  if (!keyIdSchema.safeParse(keyId).success) throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'Invalid key id.' });
  return keyId;
}

function keyNotFound(keyId: string): HangarError {
  return new HangarError({ code: 'NOT_FOUND', message: 'That key is not in Hangar (any more).', details: { keyId } });
}

function tooBig(fileName: string): HangarError {
  return new HangarError({
    code: 'SSH_KEY_INVALID',
    message: `“${fileName}” does not look like a private key file (it is too large).`,
    hint: NOT_A_KEY_HINT,
  });
}

/**
 * Reads a key file the safe way for a path the user named: opened non-blocking (a FIFO must not park a
 * libuv worker forever), checked on the open handle to be a regular file (not a device like /dev/zero, not
 * a socket), and read with a cap whatever the size claims.
 */
async function readWithLimit(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (info.size > MAX_KEY_FILE_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_KEY_FILE_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function readKeyFileSafely(read: (path: string) => Promise<Buffer>, path: string, fileName: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EFBIG') throw tooBig(fileName);
    if (code === 'ENOENT') {
      throw new HangarError({ code: 'NOT_FOUND', message: `Hangar could not find “${fileName}”.`, hint: 'Check that the file still exists, then choose it again.', details: { path } });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new HangarError({ code: 'SSH_KEY_INVALID', message: `Hangar is not allowed to read “${fileName}”.`, hint: 'Check the file’s permissions (it should be readable by you).', details: { path } });
    }
    if (code === 'EISDIR') throw new HangarError({ code: 'SSH_KEY_INVALID', message: `“${fileName}” is a folder, not a key file.`, hint: NOT_A_KEY_HINT });
    if (code === 'ENOTREG') {
      throw new HangarError({ code: 'SSH_KEY_INVALID', message: `“${fileName}” is not a regular file (a device, pipe or socket).`, hint: NOT_A_KEY_HINT });
    }
    throw new HangarError({ code: 'SSH_KEY_INVALID', message: `Hangar could not read “${fileName}”.`, hint: NOT_A_KEY_HINT, details: { path }, cause: error });
  }
  if (bytes.length > MAX_KEY_FILE_BYTES) throw tooBig(fileName);
  return bytes;
}

function decodeText(bytes: Buffer, fileName: string): string {
  // Key files are ASCII; NUL bytes mean a binary file (a .der, a zip, an image).
  if (bytes.includes(0)) throw new HangarError({ code: 'SSH_KEY_INVALID', message: `“${fileName}” does not look like a private key file.`, hint: NOT_A_KEY_HINT });
  return bytes.toString('utf8');
}

/** Parser errors carry no file facts; the UI needs them to prompt ("Passphrase for my-pair.pem"). */
function withFileDetails(error: unknown, path: string, name: string, fileName: string): unknown {
  if (!(error instanceof HangarError)) return error;
  if (error.code === 'SSH_KEY_PASSPHRASE_NEEDED') {
    return new HangarError({
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      details: { path, name, fileName },
    });
  }
  if (error.code === 'SSH_KEY_INVALID' && error.message === 'This does not look like a private key file.') {
    return new HangarError({ code: error.code, message: `“${fileName}” does not look like a private key file.`, hint: error.hint ?? NOT_A_KEY_HINT, details: { path } });
  }
  return new HangarError({ code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }), details: { path } });
}

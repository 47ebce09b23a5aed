import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { CreateKeyPairCommand, DeleteKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand, type KeyPairInfo as SdkKeyPairInfo } from '@aws-sdk/client-ec2';
import ssh2 from 'ssh2';
import { HangarError } from '../../../shared/errors/hangar-error';
import { CREATED_BY_TAG, type CreateKeyPairInput, type ImportKeyPairInput, type KeyPairInfo, type RegionScope } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { normalizeFingerprint } from '../ssh/keys/fingerprints';
import type { KeysService } from '../ssh/keys-service';
import { createEc2Call } from './ec2-call';
import { isHangarTagged } from './hangar-tag';

const { utils } = ssh2;

export interface LaunchKeyPairsDeps {
  clientsFor(accountId: string): AwsClientFactory;
  keys: Pick<KeysService, 'list' | 'material' | 'importMaterial' | 'remove'>;
}

export interface LaunchKeyPairs {
  keyPairs(scope: RegionScope, signal?: AbortSignal): Promise<KeyPairInfo[]>;
  createKeyPair(input: CreateKeyPairInput, signal?: AbortSignal): Promise<KeyPairInfo>;
  importKeyPair(input: ImportKeyPairInput, signal?: AbortSignal): Promise<KeyPairInfo>;
  exportKey(keyId: string, path: string): Promise<void>;
  /** The id of the Hangar key that is this pair's private half, matched by fingerprint; undefined if Hangar holds none. */
  localKeyFor(pair: SdkKeyPairInfo): Promise<string | undefined>;
}

/** EC2 key pairs, each matched to the Hangar key (in the keychain) that is its private half. */
export function createLaunchKeyPairs(deps: LaunchKeyPairsDeps): LaunchKeyPairs {
  const call = createEc2Call(deps.clientsFor);

  async function localKeyFor(pair: SdkKeyPairInfo): Promise<string | undefined> {
    const keys = await deps.keys.list();
    const wanted = pair.KeyFingerprint === undefined ? undefined : normalizeFingerprint(pair.KeyFingerprint);
    const publicFp = publicKeyFingerprint(pair.PublicKey);
    const found = keys.find(
      (k) =>
        (wanted !== undefined && ((k.awsFingerprint !== undefined && normalizeFingerprint(k.awsFingerprint) === wanted) || normalizeFingerprint(k.fingerprintSha256) === wanted)) ||
        (publicFp !== undefined && k.fingerprintSha256 === publicFp),
    );
    return found?.id;
  }

  async function keyPairInfo(pair: SdkKeyPairInfo): Promise<KeyPairInfo> {
    const localKeyId = await localKeyFor(pair);
    return {
      ...(pair.KeyPairId === undefined ? {} : { keyPairId: pair.KeyPairId }),
      keyName: pair.KeyName ?? '',
      keyType: pair.KeyType ?? 'rsa',
      fingerprint: pair.KeyFingerprint ?? '',
      createdByHangar: isHangarTagged(pair.Tags),
      ...(localKeyId === undefined ? {} : { localKeyId }),
    };
  }

  return {
    localKeyFor,

    async keyPairs(scope, signal) {
      const out = await call(scope, 'ec2:DescribeKeyPairs', signal, (c) => c.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }), { abortSignal: signal }));
      const pairs = await Promise.all((out.KeyPairs ?? []).map(keyPairInfo));
      return pairs.sort((a, b) => a.keyName.localeCompare(b.keyName));
    },

    async createKeyPair(input, signal) {
      const out = await call(input, 'ec2:CreateKeyPair', signal, (c) =>
        c.send(
          new CreateKeyPairCommand({
            KeyName: input.keyName,
            KeyType: input.keyType,
            KeyFormat: 'pem',
            TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'Name', Value: input.keyName }, { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }] }],
          }),
          { abortSignal: signal },
        ),
      );
      const material = out.KeyMaterial ?? '';
      let localKeyId: string;
      try {
        // Named as the key pair, so connecting to an instance launched with it finds the key by name too.
        localKeyId = (await deps.keys.importMaterial({ name: input.keyName, privateKey: material })).id;
      } catch (error) {
        // AWS never hands the private key out again: a pair whose key could not be kept is useless.
        await deps
          .clientsFor(input.accountId)
          .ec2(input.region)
          .send(new DeleteKeyPairCommand({ KeyName: input.keyName }))
          .catch(() => undefined);
        throw error;
      }
      return {
        ...(out.KeyPairId === undefined ? {} : { keyPairId: out.KeyPairId }),
        keyName: out.KeyName ?? input.keyName,
        keyType: input.keyType,
        fingerprint: out.KeyFingerprint ?? '',
        createdByHangar: true,
        localKeyId,
      };
    },

    async importKeyPair(input, signal) {
      const summary = (await deps.keys.list()).find((k) => k.id === input.keyId);
      if (!summary) throw new HangarError({ code: 'NOT_FOUND', message: 'That key is not in Hangar (any more).' });
      if (summary.type !== 'ssh-ed25519' && summary.type !== 'ssh-rsa') {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: `EC2 key pairs are ED25519 or RSA; “${summary.name}” is ${summary.type}.`, hint: 'Create a new key pair instead.' });
      }
      const { privateKey, passphrase } = await deps.keys.material(summary.id);
      const parsed = utils.parseKey(privateKey, passphrase);
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (key === undefined || key instanceof Error) throw new HangarError({ code: 'SSH_KEY_INVALID', message: `Hangar could not read the key “${summary.name}”.` });
      const keyName = input.keyName ?? summary.name;
      const line = `${key.type} ${key.getPublicSSH().toString('base64')} ${keyName}\n`;
      const out = await call(input, 'ec2:ImportKeyPair', signal, (c) =>
        c.send(
          new ImportKeyPairCommand({
            KeyName: keyName,
            PublicKeyMaterial: Buffer.from(line),
            TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'Name', Value: keyName }, { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }] }],
          }),
          { abortSignal: signal },
        ),
      );
      return {
        ...(out.KeyPairId === undefined ? {} : { keyPairId: out.KeyPairId }),
        keyName: out.KeyName ?? keyName,
        keyType: key.type === 'ssh-ed25519' ? 'ed25519' : 'rsa',
        fingerprint: out.KeyFingerprint ?? '',
        createdByHangar: true,
        localKeyId: summary.id,
      };
    },

    async exportKey(keyId, path) {
      const { privateKey } = await deps.keys.material(keyId);
      try {
        await writeFile(path, privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`, { mode: 0o600 });
        // The mode only applies to a new file; an existing one is narrowed too.
        await chmod(path, 0o600);
      } catch (error) {
        throw new HangarError({
          code: 'LOCAL_WRITE_FAILED',
          message: 'Hangar could not save the key file there.',
          hint: 'Choose a folder you can write to (for example your home folder or ~/.ssh).',
          details: { path },
          cause: error,
        });
      }
    },
  };
}

/** "SHA256:…" of an OpenSSH public key line (DescribeKeyPairs IncludePublicKey). */
function publicKeyFingerprint(line: string | undefined): string | undefined {
  const blob = line?.trim().split(/\s+/)[1];
  if (blob === undefined) return undefined;
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPasswordDataCommand } from '@aws-sdk/client-ec2';
import ssh2, { type ParsedKey } from 'ssh2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceRef } from '../../../shared/models/transfers';
import { isWindowsPlatform, WINDOWS_ADMIN_USER, type WindowsPassword } from '../../../shared/models/windows';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';
import type { Ec2Service } from '../ec2/ec2-service';
import type { KeysService } from '../ssh/keys-service';
import { decryptPasswordData } from './password-data';
import { rdpFileText } from './rdp-file';

export interface WindowsAccessDeps {
  clientsFor(accountId: string): AwsClientFactory;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  keys: Pick<KeysService, 'findForKeyPair' | 'material'>;
  /** Opens a file Hangar wrote with the system's handler (shell.openPath in Electron). */
  openPath(path: string): Promise<void>;
  /** Where .rdp files are written; default <tmp>/hangar-rdp. */
  rdpDir?: string;
}

/** Windows instances: the Administrator password (GetPasswordData, decrypted here) and a .rdp file to open. */
export interface WindowsAccess {
  password(ref: InstanceRef, signal?: AbortSignal): Promise<WindowsPassword>;
  /** Writes <name>.rdp (address and user, no password) and opens it; resolves with its path. */
  openRdp(ref: InstanceRef, signal?: AbortSignal): Promise<string>;
}

export function createWindowsAccess(deps: WindowsAccessDeps): WindowsAccess {
  const rdpDir = deps.rdpDir ?? join(tmpdir(), 'hangar-rdp');

  async function windowsInstance(ref: InstanceRef, signal?: AbortSignal) {
    const { instance } = await deps.ec2.describeInstance(ref.accountId, ref.region, ref.instanceId, signal);
    const title = instance.name ?? instance.id;
    if (!isWindowsPlatform(instance.platform)) {
      throw new HangarError({
        code: 'WINDOWS_PASSWORD_UNAVAILABLE',
        message: `${title} does not run Windows, so it has no Administrator password to get.`,
        hint: 'Connect to it with SSH instead.',
        details: { instanceId: instance.id },
      });
    }
    return { instance, title };
  }

  /** The RSA private key of the instance's key pair, from the keychain; refusals say which key to import. */
  async function rsaKeyFor(keyPair: string | undefined, title: string, instanceId: string): Promise<{ key: KeyObject; name: string }> {
    if (keyPair === undefined) {
      throw new HangarError({
        code: 'WINDOWS_PASSWORD_UNAVAILABLE',
        message: `${title} was launched without a key pair, so EC2 did not encrypt a password for it.`,
        hint: 'Reset the Administrator password from inside (EC2Launch, or Systems Manager\'s AWSSupport-ResetAccess), or launch it again with an RSA key pair.',
        details: { instanceId },
      });
    }
    const summary = await deps.keys.findForKeyPair(keyPair);
    if (summary === undefined) {
      throw new HangarError({
        code: 'SSH_KEY_MISSING',
        message: `The password of ${title} is encrypted to the key pair "${keyPair}", and Hangar holds no key for it.`,
        hint: `Import "${keyPair}.pem" (the private key downloaded when the key pair was created) in Accounts → SSH keys, then get the password again.`,
        details: { instanceId, keyName: keyPair },
      });
    }
    if (summary.type !== 'ssh-rsa') {
      throw new HangarError({
        code: 'WINDOWS_PASSWORD_UNAVAILABLE',
        message: `The key "${summary.name}" is ${summary.type === 'ssh-ed25519' ? 'an ED25519' : `a ${summary.type}`} key; Windows passwords are encrypted to RSA key pairs only.`,
        hint: 'EC2 gives Windows instances a password only when they are launched with an RSA key pair. Launch with an RSA key pair, or reset the password from inside the instance.',
        details: { instanceId, keyName: keyPair, keyType: summary.type },
      });
    }
    const material = await deps.keys.material(summary.id);
    const result = ssh2.utils.parseKey(material.privateKey, material.passphrase);
    const parsed: ParsedKey | Error | undefined = Array.isArray(result) ? (result[0] as ParsedKey | undefined) : result;
    if (parsed === undefined || parsed instanceof Error) {
      throw new HangarError({ code: 'SSH_KEY_INVALID', message: `The key "${summary.name}" could not be read from the keychain.`, hint: 'Remove it in Accounts → SSH keys and import the .pem again.' });
    }
    return { key: createPrivateKey(parsed.getPrivatePEM()), name: summary.name };
  }

  return {
    async password(ref, signal) {
      const { instance, title } = await windowsInstance(ref, signal);
      // The key first: a missing or unsuitable key is said at once, not after a wait for the password.
      const { key, name } = await rsaKeyFor(instance.keyName, title, instance.id);
      const out = await callAws(
        () => deps.clientsFor(ref.accountId).ec2(ref.region).send(new GetPasswordDataCommand({ InstanceId: ref.instanceId }), { abortSignal: signal }),
        { action: 'ec2:GetPasswordData', region: ref.region, signal },
      );
      const data = out.PasswordData?.trim() ?? '';
      if (data === '') {
        throw new HangarError({
          code: 'WINDOWS_PASSWORD_NOT_READY',
          message: `The password of ${title} is not ready yet (Windows sets it about 4 minutes after launch).`,
          hint: 'Wait a few minutes and try again. An instance from a custom image that keeps its own password never gets one here.',
          retryable: true,
          details: { instanceId: instance.id },
        });
      }
      const password = decryptPasswordData(data, key);
      const host = instance.publicIp ?? instance.publicDns;
      return { instanceId: instance.id, user: WINDOWS_ADMIN_USER, password, keyName: name, ...(host === undefined ? {} : { host }) };
    },

    async openRdp(ref, signal) {
      const { instance, title } = await windowsInstance(ref, signal);
      const host = instance.publicIp ?? instance.publicDns;
      if (host === undefined) {
        throw new HangarError({
          code: 'SSH_NO_ADDRESS',
          message: `${title} has no public IP address, so Remote Desktop cannot reach it directly.`,
          hint: 'Attach an Elastic IP, or reach it through a VPN or bastion.',
          details: { instanceId: instance.id },
        });
      }
      await mkdir(rdpDir, { recursive: true, mode: 0o700 });
      const path = join(rdpDir, `${safeFileName(instance.name ?? instance.id)}.rdp`);
      await writeFile(path, rdpFileText({ host, user: WINDOWS_ADMIN_USER }), { mode: 0o600 });
      await deps.openPath(path);
      return path;
    },
  };
}

/** A Name tag as a file name: letters, digits, dot, dash and underscore; never empty or hidden. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80);
  return cleaned === '' ? 'instance' : cleaned;
}

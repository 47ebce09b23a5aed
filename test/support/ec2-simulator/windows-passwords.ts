import { constants, createPublicKey, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import type { Ec2ActionContext } from './ec2-actions';
import { SimError } from './sim-error';
import { text } from './xml';

/**
 * The Administrator passwords EC2Launch sets on Windows instances: random, encrypted to the launch key pair's
 * RSA public key with PKCS#1 v1.5 and served base64 by GetPasswordData once `delayMs` has passed since
 * launch (about 4 minutes on AWS; 0 by default here). Before that, and for Linux instances, PasswordData is
 * empty, as AWS answers.
 */
export class WindowsPasswords {
  private readonly passwords = new Map<string, string>();

  constructor(public delayMs: number) {}

  /** The instance's plain password (made on first use), for a test to compare with what Hangar shows. */
  passwordOf(instanceId: string): string {
    let password = this.passwords.get(instanceId);
    if (password === undefined) {
      // EC2Launch's passwords are 32 characters of letters, digits and symbols.
      const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*()-=+;?.';
      password = [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('');
      this.passwords.set(instanceId, password);
    }
    return password;
  }
}

export function getPasswordData(ctx: Ec2ActionContext): string {
  const id = ctx.params.get('InstanceId');
  if (id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter InstanceId');
  const instance = ctx.store.get(id);
  if (!instance || instance.region !== ctx.region) throw new SimError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  ctx.world.permissions.checkEc2('GetPasswordData', ctx);
  const { windowsPasswords } = ctx.world;
  const ready = Date.now() - instance.launchTime.getTime() >= windowsPasswords.delayMs;
  const pair = instance.keyName === undefined ? undefined : ctx.world.keyPairs.get(ctx.region, instance.keyName);
  let data = '';
  if (instance.platformDetails.startsWith('Windows') && ready && pair?.type === 'rsa') {
    const publicKey = rsaPublicKeyOf(pair.publicKey);
    data = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(windowsPasswords.passwordOf(instance.id), 'utf8')).toString('base64');
  }
  return text('instanceId', instance.id) + text('timestamp', new Date().toISOString()) + text('passwordData', data);
}

/** `ssh-rsa <base64>` → the key (the blob is string "ssh-rsa", mpint e, mpint n). */
function rsaPublicKeyOf(line: string): KeyObject {
  const blob = Buffer.from(line.split(/\s+/)[1] ?? '', 'base64');
  const fields: Buffer[] = [];
  for (let at = 0; at + 4 <= blob.length; ) {
    const length = blob.readUInt32BE(at);
    fields.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  const [, e, n] = fields;
  const strip = (b: Buffer | undefined): string => (b !== undefined && b[0] === 0 ? b.subarray(1) : (b ?? Buffer.alloc(0))).toString('base64url');
  return createPublicKey({ key: { kty: 'RSA', n: strip(n), e: strip(e) }, format: 'jwk' });
}

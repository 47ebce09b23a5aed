import { constants, createPrivateKey, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HangarError } from '../../../src/shared/errors/hangar-error';
import { decryptPasswordData, unpadPkcs1Type2 } from '../../../src/main/services/windows/password-data';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** What EC2 does: RSA PKCS#1 v1.5 encryption to the key pair's public key, base64. */
function passwordDataFor(password: string, key = publicKey): string {
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(password, 'utf8')).toString('base64');
}

describe('decryptPasswordData', () => {
  it('decrypts what EC2 encrypts to the key pair, whatever the characters', () => {
    for (const password of ['Zq9)x!Kp.3wT&e;UvYc*rL@h(2mBn7jS', 'a', 'ü€?%$ {}']) {
      expect(decryptPasswordData(passwordDataFor(password), privateKey)).toBe(password);
    }
  });

  it('reads the base64 with the line breaks the console copies in', () => {
    const data = passwordDataFor('Line-broken-1');
    const wrapped = (data.match(/.{1,64}/g) ?? []).join('\r\n');
    expect(decryptPasswordData(`\n${wrapped}\n`, privateKey)).toBe('Line-broken-1');
  });

  it('refuses data encrypted to another key instead of returning garbage', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const error = (() => {
      try {
        return decryptPasswordData(passwordDataFor('secret', other.publicKey), privateKey);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HangarError);
    expect((error as HangarError).code).toBe('WINDOWS_PASSWORD_UNAVAILABLE');
    expect((error as HangarError).message).toMatch(/another key/);
  });

  it('refuses a key that is not RSA and data of the wrong length', () => {
    const ed = createPrivateKey(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    expect(() => decryptPasswordData(passwordDataFor('x'), ed)).toThrow(/not an RSA key/);
    expect(() => decryptPasswordData(Buffer.alloc(100).toString('base64'), privateKey)).toThrow(/100 bytes/);
  });

  it('unpads only a well-formed type-2 block', () => {
    const good = Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(8, 7), Buffer.from([0]), Buffer.from('pw')]);
    expect(unpadPkcs1Type2(good)).toBe('pw');
    expect(unpadPkcs1Type2(Buffer.concat([Buffer.from([0, 1]), good.subarray(2)]))).toBeUndefined();
    // Fewer than 8 bytes of padding before the separator.
    expect(unpadPkcs1Type2(Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(7, 7), Buffer.from([0]), Buffer.from('pwpw')]))).toBeUndefined();
    expect(unpadPkcs1Type2(Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(20, 9)]))).toBeUndefined();
  });
});

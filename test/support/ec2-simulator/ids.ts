import { randomBytes } from 'node:crypto';

/** AWS resource ids: a prefix and 17 lowercase hex digits (the "long id" format used since 2018). */
export function resourceId(prefix: 'i' | 'r' | 'vpc' | 'subnet' | 'sg' | 'vol' | 'ami' | 'eni'): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** Instance ids come in the old 8-digit and the current 17-digit form; anything else is malformed. */
export function isWellFormedInstanceId(id: string): boolean {
  return /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
}

import { randomBytes } from 'node:crypto';

/** AWS resource ids: a prefix and 17 lowercase hex digits (the "long id" format used since 2018). */
export function resourceId(prefix: 'i' | 'r' | 'vpc' | 'subnet' | 'sg' | 'vol' | 'ami' | 'eni' | 'snap' | 'eipalloc' | 'eipassoc' | 'pg' | 'eice'): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** Instance ids come in the old 8-digit and the current 17-digit form; anything else is malformed. */
export function isWellFormedInstanceId(id: string): boolean {
  return /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
}

/** `prefix-` and 8 or 17 lowercase hex digits, the two forms EC2 ids come in. */
export function isWellFormedId(prefix: string, id: string): boolean {
  return new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}

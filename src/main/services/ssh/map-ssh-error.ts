import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';

export interface SshErrorContext {
  readonly instanceId: string;
  readonly host: string;
  readonly port: number;
  /** e.g. "sg-0123 (web)"; named in the timeout hint. */
  readonly securityGroups: readonly string[];
}

/** What ssh2 / net put on their errors. */
interface RawSshError {
  code?: unknown;
  level?: unknown;
  message?: unknown;
}

function raw(error: unknown): RawSshError {
  return typeof error === 'object' && error !== null ? (error as RawSshError) : {};
}

export function isRefused(error: unknown): boolean {
  return raw(error).code === 'ECONNREFUSED';
}

export function isAuthFailure(error: unknown): boolean {
  return raw(error).level === 'client-authentication';
}

/** Maps an ssh2 / socket failure to a HangarError with a next step. Auth failures are mapped by the caller (it knows what was tried). */
export function mapSshError(error: unknown, ctx: SshErrorContext): HangarError {
  if (error instanceof HangarError) return error;
  const e = raw(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const where = `${ctx.host}:${ctx.port}`;
  const details = { instanceId: ctx.instanceId, host: ctx.host, port: ctx.port };
  if (code === 'ABORT_ERR' || (error instanceof Error && error.name === 'AbortError')) return cancelledError();
  if (code === 'ECONNREFUSED') {
    return new HangarError({
      code: 'SSH_CONNECT_REFUSED',
      message: `${ctx.instanceId} refused the SSH connection on ${where}.`,
      hint: 'If the instance has just started, sshd may not be up yet: try again in a minute. Otherwise check that sshd runs and listens on that port.',
      retryable: true,
      details,
      cause: error,
    });
  }
  if (e.level === 'client-timeout' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timed out/i.test(message)) {
    const groups = ctx.securityGroups.length > 0 ? ctx.securityGroups.join(', ') : undefined;
    return new HangarError({
      code: 'SSH_TIMEOUT',
      message: `Timed out connecting to ${ctx.instanceId} at ${where}.`,
      hint:
        groups === undefined
          ? 'Port 22 is probably closed to you: allow inbound TCP 22 from your IP in the instance\'s security group (and check the subnet\'s network ACL).'
          : `Port 22 is probably closed to you: allow inbound TCP 22 from your IP in the security group ${groups} (and check the subnet's network ACL).`,
      retryable: true,
      details: { ...details, ...(groups === undefined ? {} : { securityGroups: groups }) },
      cause: error,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new HangarError({
      code: 'SSH_FAILED',
      message: `The address ${ctx.host} could not be resolved.`,
      hint: 'Check your network connection, or the host set in this instance\'s connection settings.',
      retryable: true,
      details,
      cause: error,
    });
  }
  if (/encrypted.*no passphrase|passphrase/i.test(message)) {
    return new HangarError({
      code: 'SSH_KEY_PASSPHRASE_NEEDED',
      message: 'The private key is encrypted and needs its passphrase.',
      hint: 'Enter the passphrase (it can be remembered in the keychain).',
      details,
      cause: error,
    });
  }
  if (/cannot parse privatekey|unsupported key format/i.test(message)) {
    return new HangarError({
      code: 'SSH_KEY_INVALID',
      message: 'The private key could not be read.',
      hint: 'Import the key again in Accounts → SSH keys (OpenSSH, PEM or .ppk).',
      details,
      cause: error,
    });
  }
  return new HangarError({
    code: 'SSH_FAILED',
    message: `SSH to ${ctx.instanceId} at ${where} failed: ${message}`,
    hint: 'Check that the instance is running and reachable, then try again.',
    retryable: true,
    details,
    cause: error,
  });
}

import type { SshConnection } from '../ssh/ssh-connection';

const LINK_FAILURE = /No response from server|Not connected|channel.*(closed|not open)|ECONNRESET|EPIPE|ECONNABORTED|socket|connection.*(lost|closed)|Unable to start subsystem|Unable to exec|write after end/i;

/** The SSH link (or its SFTP channel) went away, as opposed to the server refusing one request. */
export function isLinkFailure(error: unknown, connection: SshConnection | undefined): boolean {
  if (connection?.closed === true) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /ECONNRESET|EPIPE|ECONNABORTED|ERR_STREAM_WRITE_AFTER_END/.test(code)) return true;
  if (typeof code === 'number') return false;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && LINK_FAILURE.test(message);
}

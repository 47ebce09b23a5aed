const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument, quoted for a POSIX shell: safe words stay as they are, everything else in single quotes. */
export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * argv → one command line a POSIX shell runs as exactly those arguments: for text inside a /bin/sh script
 * Hangar writes, or shown for a user to paste. What Hangar runs on an instance goes through SshConnection
 * as a RemoteCommand (remote-command.ts), which is safe whatever the login shell is.
 */
export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
